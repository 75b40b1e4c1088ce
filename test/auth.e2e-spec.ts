import { ExpiryJanitor } from '@tms/core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';
import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';

/** Pulls a form's CSRF field and the cookies from a page response. */
async function openLoginPage(baseUrl: string) {
  const response = await fetch(`${baseUrl}/login`);
  const html = await response.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { csrf, cookie, setCookies: response.headers.getSetCookie() };
}

async function postLogin(baseUrl: string, form: Record<string, string>, cookie: string) {
  return fetch(`${baseUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

describe('sign-in, sessions and tokens', () => {
  let testApp: TestApp;
  let admin: ApiClient;
  let rootId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    rootId = (await admin.get('/api/v1/organizations')).body.items[0].id;
  });

  afterAll(() => testApp.close());

  it('should create the bootstrap admin once, with the site_admin role on a root organization', async () => {
    const users = await admin.get('/api/v1/users');
    expect(users.body.items).toEqual([expect.objectContaining({ email: ADMIN_EMAIL, status: 'active' })]);
    const me = await admin.get(`/api/v1/users/${users.body.items[0].id}`);
    expect(me.body.memberships).toEqual([expect.objectContaining({ organizationId: rootId, role: 'site_admin' })]);
  });

  it('should issue a bearer token and refuse wrong credentials with one message', async () => {
    const ok = await new ApiClient(testApp.baseUrl).post('/api/v1/auth/token', {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ accessToken: expect.any(String), expiresIn: 3600 });
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const wrong = await new ApiClient(testApp.baseUrl).post('/api/v1/auth/token', {
      email: ADMIN_EMAIL,
      password: 'wrong-password!',
    });
    const unknown = await new ApiClient(testApp.baseUrl).post('/api/v1/auth/token', {
      email: 'nobody@example.com',
      password: 'wrong-password!',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('should answer 401 with WWW-Authenticate to a missing or forged token', async () => {
    for (const client of [new ApiClient(testApp.baseUrl), new ApiClient(testApp.baseUrl, 'forged-token')]) {
      const response = await client.get('/api/v1/users');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
    }
  });

  it('should lock a suspended user out: no sign-in, and their live token stops working', async () => {
    const person = await createPerson(admin, {
      email: 'soon-suspended@example.com',
      organizationId: rootId,
      role: 'site_admin',
    });
    expect((await person.client.get('/api/v1/organizations')).status).toBe(200);
    expect((await admin.patch(`/api/v1/users/${person.id}`, { status: 'suspended' })).body.status).toBe('suspended');
    expect((await person.client.get('/api/v1/organizations')).status).toBe(401);
    const again = await new ApiClient(testApp.baseUrl).post('/api/v1/auth/token', {
      email: 'soon-suspended@example.com',
      password: 'a-long-test-password',
    });
    expect(again.status).toBe(401);
    await admin.patch(`/api/v1/users/${person.id}`, { status: 'active' });
    await expect(
      ApiClient.signIn(testApp.baseUrl, 'soon-suspended@example.com', 'a-long-test-password'),
    ).resolves.toBeDefined();
  });

  it('should refuse to let an admin suspend themselves', async () => {
    const me = (await admin.get('/api/v1/users')).body.items.find((u: { email: string }) => u.email === ADMIN_EMAIL);
    const response = await admin.patch(`/api/v1/users/${me.id}`, { status: 'suspended', name: 'Changed' });
    expect(response.status).toBe(400);
    expect((await admin.get(`/api/v1/users/${me.id}`)).body).toEqual(
      expect.objectContaining({ status: 'active', name: 'Site Administrator' }),
    );
  });

  it('should set an HttpOnly SameSite session cookie on browser sign-in and refuse a form without CSRF token', async () => {
    const page = await openLoginPage(testApp.baseUrl);
    expect(page.csrf).not.toBe('');
    const noToken = await postLogin(testApp.baseUrl, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, page.cookie);
    expect(noToken.status).toBe(403);
    expect(noToken.headers.getSetCookie().some((c) => c.startsWith('tms_session='))).toBe(false);
    const forged = await postLogin(
      testApp.baseUrl,
      { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, _csrf: page.csrf },
      '',
    );
    expect(forged.status).toBe(403);

    const ok = await postLogin(
      testApp.baseUrl,
      { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, _csrf: page.csrf, next: '/admin/people' },
      page.cookie,
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/people');
    const session = ok.headers.getSetCookie().find((c) => c.startsWith('tms_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/i);
  });

  it('should refuse the CSRF token from before sign-in once signed in, and accept the renewed one', async () => {
    const browser = new FormSession(testApp.baseUrl);
    await browser.get('/login');
    const before = browser.csrf;
    const signedIn = await browser.post('/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.getSetCookie().some((c) => c.startsWith('tms_csrf='))).toBe(true);

    // Still the pre-sign-in token (what a planted cookie or an old page would carry): refused.
    const stale = await browser.post('/logout', {});
    expect(stale.status).toBe(403);
    expect((await browser.get('/')).status).toBe(200);
    expect(browser.csrf).not.toBe(before);

    const renewed = await browser.post('/logout', {});
    expect(renewed.status).toBe(303);
    expect(renewed.headers.get('location')).toBe('/login');
    // Sign-out renews it again: the signed-in page's token does not outlive the session.
    const signedInToken = browser.csrf;
    expect(renewed.headers.getSetCookie().some((c) => c.startsWith('tms_csrf='))).toBe(true);
    await browser.get('/login');
    expect(browser.csrf).not.toBe(signedInToken);
  });

  it('should refuse an open redirect after sign-in', async () => {
    const page = await openLoginPage(testApp.baseUrl);
    for (const next of ['//evil.example.com', 'https://evil.example.com', '/\\evil.example.com']) {
      const ok = await postLogin(
        testApp.baseUrl,
        { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, _csrf: page.csrf, next },
        page.cookie,
      );
      expect(ok.headers.get('location')).toBe('/');
    }
  });

  it('should keep passwords and tokens out of the logs', async () => {
    const token = admin.token!;
    await admin.get('/api/v1/users?search=anything');
    await new ApiClient(testApp.baseUrl).post('/api/v1/auth/token', {
      email: ADMIN_EMAIL,
      password: 'a-wrong-secret-password',
    });
    await admin.post('/api/v1/users', { email: 'pw@example.com', name: 'Pw', password: 'another-very-secret-pw' });
    const logs = testApp.logs.text;
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of [ADMIN_PASSWORD, token, 'a-wrong-secret-password', 'another-very-secret-pw']) {
      expect(logs).not.toContain(secret);
    }
    // Request lines are there, without query strings or headers.
    expect(logs).toContain('"path":"/api/v1/users"');
    expect(logs).not.toContain('search=anything');
    // No header is logged: neither the Authorization nor the Cookie header, as a key or a value.
    expect(logs).not.toMatch(/"(authorization|cookie|set-cookie)"\s*:/i);
    expect(logs).not.toMatch(/Bearer |tms_session=/);
  });
});

describe('session cookie over https', () => {
  it('should mark cookies Secure with the __Host- prefix when PUBLIC_URL is https', async () => {
    const testApp = await startTestApp({ PUBLIC_URL: 'https://tms.example.com' });
    try {
      const response = await fetch(`${testApp.baseUrl}/login`);
      const csrf = response.headers.getSetCookie().find((c) => c.startsWith('__Host-tms_csrf='))!;
      expect(csrf).toMatch(/Secure/);
      expect(csrf).toMatch(/HttpOnly/);
      expect(response.headers.get('strict-transport-security')).toContain('max-age');
    } finally {
      await testApp.close();
    }
  });
});

describe('expired sessions', () => {
  it('should stop accepting an expired token and purge it', async () => {
    const testApp = await startTestApp();
    try {
      const admin = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
      await testApp.dataSource.query(`UPDATE auth_sessions SET expires_at = now() - interval '1 second'`);
      expect((await admin.get('/api/v1/users')).status).toBe(401);
      const purged = (await testApp.app.get(ExpiryJanitor).purge()).sessions;
      expect(purged).toBeGreaterThanOrEqual(1);
      expect((await testApp.dataSource.query('SELECT count(*)::int AS n FROM auth_sessions'))[0].n).toBe(0);
    } finally {
      await testApp.close();
    }
  });
});
