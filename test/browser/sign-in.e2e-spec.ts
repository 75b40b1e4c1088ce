import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm, submit, textOf } from '../support/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const WRONG_PASSWORD = 'not-the-right-password-42';
const LEARNER_PASSWORD = 'learner-secret-password-7';
const SUSPENDED_PASSWORD = 'suspended-secret-password-9';

describe('sign-in in a browser', () => {
  let testApp: BuiltApp;
  let browser: Browser;
  let admin: ApiClient;
  let rootId: string;
  const contexts: BrowserContext[] = [];

  async function freshPage(): Promise<Page> {
    const { context, page } = await newPage(browser, testApp.baseUrl);
    contexts.push(context);
    return page;
  }

  async function cookieNamed(page: Page, name: string) {
    return (await page.context().cookies()).find((c) => c.name === name);
  }

  beforeAll(async () => {
    testApp = await startBuiltApp();
    browser = await launchBrowser();
    admin = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const organizations = await admin.get('/api/v1/organizations');
    rootId = organizations.body.items.find((o: { name: string }) => o.name === 'Organization').id;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await testApp?.close();
  });

  it('should render the sign-in form when a visitor opens /login', async () => {
    const page = await freshPage();
    const response = await page.goto('/login');
    expect(response?.status()).toBe(200);
    expect(await textOf(page, 'h1')).toBe('Sign in');
    expect(await page.locator('#f-email').getAttribute('type')).toBe('email');
    expect(await page.locator('#f-password').getAttribute('type')).toBe('password');
    expect(await page.locator('input[name="_csrf"]').getAttribute('value')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await cookieNamed(page, 'tms_session')).toBeUndefined();
  });

  it('should show the error and set no session cookie when the password is wrong', async () => {
    const page = await freshPage();
    await page.goto('/login');
    await page.locator('#f-email').fill(ADMIN_EMAIL);
    await page.locator('#f-password').fill(WRONG_PASSWORD);
    const response = await submit(page, page.getByRole('button', { name: 'Sign in' }));
    expect(response.status()).toBe(401);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await textOf(page, '.error-summary')).toBe('Email or password is incorrect, or the account is suspended');
    expect(await page.locator('#f-email').inputValue()).toBe(ADMIN_EMAIL);
    expect(await page.locator('#f-password').inputValue()).toBe('');
    expect(await page.content()).not.toContain(WRONG_PASSWORD);
    expect(await cookieNamed(page, 'tms_session')).toBeUndefined();
  });

  it('should show field errors when the form is sent empty', async () => {
    const page = await freshPage();
    await page.goto('/login');
    const response = await submit(page, page.getByRole('button', { name: 'Sign in' }));
    expect(response.status()).toBe(400);
    expect(await page.locator('p.field-error[data-field="email"]').count()).toBe(1);
    expect(await page.locator('#f-email').getAttribute('aria-invalid')).toBe('true');
    expect(await cookieNamed(page, 'tms_session')).toBeUndefined();
  });

  it('should land on home with the admin navigation and a safe session cookie when the credentials are right', async () => {
    const page = await freshPage();
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await textOf(page, 'h1')).toBe('Welcome, Site');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Home',
      'Site Administration',
      'Organizations',
      'People',
      'LTI',
      'Audit log',
      'Courses',
      'Classes',
      'My learning',
    ]);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    const session = await cookieNamed(page, 'tms_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    expect(session?.value.length).toBeGreaterThan(20);
    expect(await cookieNamed(page, 'tms_csrf')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('should go back to the deep-linked page after sign-in when a signed-out visitor opens it', async () => {
    const page = await freshPage();
    await page.goto('/admin/people');
    expect(page.url()).toBe(`${testApp.baseUrl}/login?next=%2Fadmin%2Fpeople`);
    expect(await page.locator('input[name="next"]').getAttribute('value')).toBe('/admin/people');
    await page.locator('#f-email').fill(ADMIN_EMAIL);
    await page.locator('#f-password').fill(ADMIN_PASSWORD);
    const response = await submit(page, page.getByRole('button', { name: 'Sign in' }));
    expect(response.status()).toBe(200);
    expect(page.url()).toBe(`${testApp.baseUrl}/admin/people`);
    expect(await textOf(page, 'h1')).toBe('People');
  });

  it('should not redirect off-site after sign-in when next points to another host', async () => {
    const page = await freshPage();
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/login?next=%2F%2Fevil.example.com%2F');
    expect(page.url()).toBe(`${testApp.baseUrl}/`);
  });

  it('should end the session when the user signs out, so the old cookie no longer opens admin pages', async () => {
    const page = await freshPage();
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    const old = await cookieNamed(page, 'tms_session');
    expect(old).toBeDefined();
    await submit(page, page.getByRole('button', { name: 'Sign out' }));
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await cookieNamed(page, 'tms_session')).toBeUndefined();

    const replay = await freshPage();
    await replay.context().addCookies([{ ...old!, expires: -1 }]);
    await replay.goto('/admin/people');
    expect(replay.url()).toBe(`${testApp.baseUrl}/login?next=%2Fadmin%2Fpeople`);
    expect(await textOf(replay, 'h1')).toBe('Sign in');
  });

  it('should refuse to sign in a user when the account is suspended', async () => {
    const email = 'suspended@example.com';
    const person = await createPerson(admin, {
      email,
      organizationId: rootId,
      role: 'learner',
      password: SUSPENDED_PASSWORD,
    });
    expect((await admin.patch(`/api/v1/users/${person.id}`, { status: 'suspended' })).status).toBe(200);
    const page = await freshPage();
    await page.goto('/login');
    await page.locator('#f-email').fill(email);
    await page.locator('#f-password').fill(SUSPENDED_PASSWORD);
    const response = await submit(page, page.getByRole('button', { name: 'Sign in' }));
    expect(response.status()).toBe(401);
    expect(await textOf(page, '.error-summary')).toBe('Email or password is incorrect, or the account is suspended');
    expect(await cookieNamed(page, 'tms_session')).toBeUndefined();
  });

  it('should sign a browser out at its next page when the account is suspended meanwhile', async () => {
    const email = 'suspended-later@example.com';
    const person = await createPerson(admin, {
      email,
      organizationId: rootId,
      role: 'learner',
      password: SUSPENDED_PASSWORD,
    });
    const page = await freshPage();
    await signInThroughForm(page, email, SUSPENDED_PASSWORD);
    expect(await textOf(page, 'h1')).toMatch(/^Welcome, /);
    expect((await admin.patch(`/api/v1/users/${person.id}`, { status: 'suspended' })).status).toBe(200);
    await page.goto('/');
    expect(page.url()).toBe(`${testApp.baseUrl}/login?next=%2F`);
  });

  it('should show no admin navigation and answer 403 on /admin/people when a learner signs in', async () => {
    const email = 'learner@example.com';
    await createPerson(admin, {
      email,
      name: 'Lee Learner',
      organizationId: rootId,
      role: 'learner',
      password: LEARNER_PASSWORD,
    });
    const page = await freshPage();
    await signInThroughForm(page, email, LEARNER_PASSWORD);
    expect(await textOf(page, 'h1')).toBe('Welcome, Lee Learner');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Home',
      'My learning',
    ]);
    expect(await page.getByRole('heading', { name: 'My learning' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'People' }).count()).toBe(0);
    for (const path of ['/admin/people', '/admin/organizations']) {
      const response = await page.goto(path);
      expect({ path, status: response?.status() }).toEqual({ path, status: 403 });
      expect(await textOf(page, '.error-summary')).toBe('You do not have access to this area');
      expect(await page.locator('table').count()).toBe(0);
    }
  });

  it('should not write any submitted password to the logs', async () => {
    const logs = testApp.logs.text;
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [ADMIN_PASSWORD, WRONG_PASSWORD, LEARNER_PASSWORD, SUSPENDED_PASSWORD]) {
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain(encodeURIComponent(secret));
    }
  });
});
