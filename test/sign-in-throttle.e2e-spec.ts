import { ExpiryJanitor } from '@tms/core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';
import { ApiClient, ApiResponse, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';
import { SecondInstance, startSecondInstance } from './support/built-app';

/** Short windows so a test can wait one out: 3 failures per account, then 3 s, 6 s, … */
const THROTTLE = {
  TMS_SIGNIN_ACCOUNT_ATTEMPTS: '3',
  TMS_SIGNIN_ADDRESS_ATTEMPTS: '1000',
  TMS_SIGNIN_LOCKOUT_SECONDS: '3',
  TMS_SIGNIN_MAX_LOCKOUT_SECONDS: '60',
  TMS_SIGNIN_FORGET_SECONDS: '3600',
};
const PASSWORD = 'a-long-test-password';
const WRONG = ['wrong-password-one', 'wrong-password-two', 'wrong-password-three', 'wrong-password-four'];

function requestToken(baseUrl: string, email: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  }).then(async (response) => ({
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  }));
}

async function signInThroughForm(baseUrl: string, email: string, password: string) {
  const browser = new FormSession(baseUrl);
  await browser.get('/login');
  const response = await browser.post('/login', { email, password });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** Waits out a lockout: Retry-After is rounded up, so the window has ended by then. */
function waitOut(retryAfter: string | null): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Number(retryAfter) * 1000 + 100));
}

async function lockouts(admin: ApiClient): Promise<Array<{ entityId: string; after: Record<string, unknown> }>> {
  const response: ApiResponse = await admin.get('/api/v1/audit-events?entityType=sign_in&limit=100');
  expect(response.status).toBe(200);
  return response.body.items;
}

describe('sign-in throttling across two instances on one database', () => {
  let first: TestApp;
  let second: SecondInstance;
  let admin: ApiClient;
  let rootId: string;

  beforeAll(async () => {
    first = await startTestApp(THROTTLE);
    second = await startSecondInstance(first);
    admin = await ApiClient.signIn(first.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    rootId = (await admin.get('/api/v1/organizations')).body.items[0].id;
    for (const email of ['api-user@example.com', 'form-user@example.com']) {
      await createPerson(admin, { email, organizationId: rootId, role: 'learner', password: PASSWORD });
    }
  });

  afterAll(async () => {
    await second?.stop();
    await first?.close();
  });

  it('should answer 429 problem+json with Retry-After on both instances when failures are spread across them, then accept the right password after the window', async () => {
    const email = 'api-user@example.com';
    for (const [i, baseUrl] of [first.baseUrl, second.baseUrl, first.baseUrl].entries()) {
      expect((await requestToken(baseUrl, email, WRONG[i])).status).toBe(401);
    }
    const refused = await requestToken(second.baseUrl, email, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toEqual(
      expect.objectContaining({
        status: 429,
        code: 'too_many_attempts',
        detail: expect.stringMatching(/^Too many attempts\. Try again in \d+ seconds?\.$/),
      }),
    );
    expect((await requestToken(first.baseUrl, email, PASSWORD)).status).toBe(429);

    await waitOut(refused.headers.get('retry-after'));
    const accepted = await requestToken(second.baseUrl, email, PASSWORD);
    expect(accepted.status).toBe(201);
    // The success reset the account: a typo now is an ordinary 401 again, on either instance.
    expect((await requestToken(first.baseUrl, email, WRONG[0])).status).toBe(401);
    expect((await requestToken(first.baseUrl, email, PASSWORD)).status).toBe(201);
  });

  it('should show the calm message with status 429 on the sign-in page of either instance, then sign in through the form after the window', async () => {
    const email = 'form-user@example.com';
    for (const [i, baseUrl] of [second.baseUrl, first.baseUrl, second.baseUrl].entries()) {
      expect((await signInThroughForm(baseUrl, email, WRONG[i])).status).toBe(401);
    }
    const refused = await signInThroughForm(first.baseUrl, email, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.html).toMatch(/Too many attempts\. Try again in \d+ seconds?\./);
    expect(refused.html).not.toMatch(/incorrect|suspended|does not exist/i);
    expect(refused.headers.getSetCookie().some((c) => c.startsWith('tms_session='))).toBe(false);
    expect((await signInThroughForm(second.baseUrl, email, PASSWORD)).status).toBe(429);

    await waitOut(refused.headers.get('retry-after'));
    const accepted = await signInThroughForm(second.baseUrl, email, PASSWORD);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.getSetCookie().some((c) => c.startsWith('tms_session='))).toBe(true);
  });

  it('should throttle an unknown email exactly like a known one, with growing windows', async () => {
    const known = 'api-user@example.com';
    const unknown = 'nobody-here@example.com';
    const answers = async (email: string) => {
      const out = [];
      for (const [i, baseUrl] of [first.baseUrl, second.baseUrl, first.baseUrl, second.baseUrl].entries()) {
        const response = await requestToken(baseUrl, email, WRONG[i]);
        out.push({
          status: response.status,
          code: response.body.code,
          retryAfter: response.headers.has('retry-after'),
        });
      }
      return out;
    };
    const expected = [
      { status: 401, code: 'invalid_credentials', retryAfter: false },
      { status: 401, code: 'invalid_credentials', retryAfter: false },
      { status: 401, code: 'invalid_credentials', retryAfter: false },
      { status: 429, code: 'too_many_attempts', retryAfter: true },
    ];
    expect(await answers(known)).toEqual(expected);
    expect(await answers(unknown)).toEqual(expected);

    // The next failure after the window locks for twice as long.
    const locked = await requestToken(first.baseUrl, unknown, WRONG[0]);
    await waitOut(locked.headers.get('retry-after'));
    expect((await requestToken(second.baseUrl, unknown, WRONG[1])).status).toBe(401);
    expect((await requestToken(first.baseUrl, unknown, WRONG[2])).status).toBe(429);
    const windows = (await lockouts(admin))
      .filter((e) => e.after.account === unknown)
      .map((e) => e.after.windowSeconds);
    expect(windows.sort()).toEqual([3, 6]);
  });

  it('should check no more than the free attempts when many wrong passwords arrive at once on both instances', async () => {
    const email = 'form-user@example.com';
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        requestToken(i % 2 ? first.baseUrl : second.baseUrl, email, `parallel-guess-${i}`),
      ),
    );
    const statuses = burst.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, ...Array.from({ length: 9 }, () => 429)]);
  });

  it('should answer every right sign-in when many people behind one address sign in at once on both instances', async () => {
    const emails = Array.from({ length: 8 }, (_, i) => `colleague-${i}@example.com`);
    for (const email of emails) {
      const created = await admin.post('/api/v1/users', { email, name: email, password: PASSWORD });
      expect(created.status).toBe(201);
    }
    for (let round = 0; round < 2; round++) {
      const answers = await Promise.all(
        emails.map((email, i) => requestToken(i % 2 ? first.baseUrl : second.baseUrl, email, PASSWORD)),
      );
      expect(answers.map((a) => a.status)).toEqual(emails.map(() => 201));
    }
    const [address] = await first.dataSource.query(
      `SELECT failures, locked_until FROM sign_in_throttles WHERE scope = 'address' AND key = '127.0.0.1'`,
    );
    expect(address.locked_until).toBeNull();
  });

  it('should record an audit entry per lockout naming the account and the window, and never a password', async () => {
    const entries = await lockouts(admin);
    const forAccount = entries.filter((e) => e.after.account === 'api-user@example.com');
    expect(forAccount.length).toBeGreaterThanOrEqual(1);
    expect(forAccount[0].after).toEqual({
      account: 'api-user@example.com',
      failures: 3,
      windowSeconds: 3,
      lockedUntil: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const text = JSON.stringify(entries);
    for (const secret of [...WRONG, PASSWORD]) expect(text).not.toContain(secret);
  });

  it('should keep every typed password out of the logs of both instances', () => {
    const logs = first.logs.text + second.logs.text;
    expect(logs).toContain('/api/v1/auth/token');
    for (const secret of [...WRONG, PASSWORD]) expect(logs).not.toContain(secret);
  });
});

describe('sign-in throttling per client address', () => {
  const PER_ADDRESS = {
    ...THROTTLE,
    TMS_SIGNIN_ADDRESS_ATTEMPTS: '5',
    TMS_SIGNIN_LOCKOUT_SECONDS: '300',
    TMS_SIGNIN_MAX_LOCKOUT_SECONDS: '600',
  };

  /** Five failures on five accounts (known and unknown) from one address. */
  async function failOnManyAccounts(baseUrl: string, headers: Record<string, string> = {}) {
    const emails = [ADMIN_EMAIL, 'someone-1@example.com', 'someone-2@example.com', 'someone-3@example.com'];
    for (const email of [...emails, 'someone-4@example.com']) {
      expect((await requestToken(baseUrl, email, 'not-the-password', headers)).status).toBe(401);
    }
  }

  it('should lock an address out after failures over many accounts, also for the right password, when no proxy is trusted', async () => {
    const testApp = await startTestApp(PER_ADDRESS);
    try {
      // Without TMS_TRUST_PROXY, X-Forwarded-For is the client's to write and changes nothing.
      await failOnManyAccounts(testApp.baseUrl, { 'x-forwarded-for': '203.0.113.7' });
      const refused = await requestToken(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD, {
        'x-forwarded-for': '198.51.100.9',
      });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
      const admin = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD).catch((error) => error);
      expect(admin).toBeInstanceOf(Error);
      const count = await testApp.dataSource.query(
        `SELECT key, failures FROM sign_in_throttles WHERE scope = 'address'`,
      );
      expect(count).toEqual([{ key: '127.0.0.1', failures: 5 }]);
      // The lockout's audit entry names the address; the janitor keeps it until its failures are forgotten.
      const audit = await testApp.dataSource.query(
        `SELECT after FROM audit_events WHERE entity_type = 'sign_in' AND action = 'lock'`,
      );
      expect(audit).toEqual([{ after: expect.objectContaining({ address: '127.0.0.1', failures: 5 }) }]);
    } finally {
      await testApp.close();
    }
  });

  it('should count each forwarded client address on its own when TMS_TRUST_PROXY trusts the proxy', async () => {
    const testApp = await startTestApp({ ...PER_ADDRESS, TMS_TRUST_PROXY: 'loopback' });
    try {
      await failOnManyAccounts(testApp.baseUrl, { 'x-forwarded-for': '203.0.113.7' });
      const elsewhere = await requestToken(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD, {
        'x-forwarded-for': '198.51.100.9',
      });
      expect(elsewhere.status).toBe(201);
      const same = await requestToken(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD, {
        'x-forwarded-for': '203.0.113.7',
      });
      expect(same.status).toBe(429);
      // IPv6 clients count by their /64: moving within it does not help.
      await failOnManyAccounts(testApp.baseUrl, { 'x-forwarded-for': '2001:db8:1:2::17' });
      const sameSubnet = await requestToken(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD, {
        'x-forwarded-for': '2001:db8:1:2:ffff::1',
      });
      expect(sameSubnet.status).toBe(429);
    } finally {
      await testApp.close();
    }
  });

  it('should purge counters whose failures are forgotten', async () => {
    const testApp = await startTestApp(PER_ADDRESS);
    try {
      expect((await requestToken(testApp.baseUrl, 'typo@example.com', 'not-the-password')).status).toBe(401);
      await testApp.dataSource.query(`UPDATE sign_in_throttles SET expires_at = now() - interval '1 second'`);
      expect((await testApp.app.get(ExpiryJanitor).purge()).signInCounters).toBe(2);
      expect((await testApp.dataSource.query('SELECT count(*)::int AS n FROM sign_in_throttles'))[0].n).toBe(0);
    } finally {
      await testApp.close();
    }
  });
});
