import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ApiClient } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm, submit, textOf } from '../support/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const PERSON_EMAIL = 'pat.person@example.com';
const PERSON_PASSWORD = 'pat-person-password-1';

describe('admin pages in a browser', () => {
  let testApp: BuiltApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const ids: Record<string, string> = {};

  const count = async (table: 'organizations' | 'users') =>
    Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  /** Selects the option whose text, without the tree's indentation, is `name`. */
  async function choose(select: Locator, name: string): Promise<void> {
    const options = await Promise.all(
      (await select.locator('option').all()).map(async (o) => ({
        value: (await o.getAttribute('value')) ?? '',
        text: ((await o.textContent()) ?? '').trim(),
      })),
    );
    const found = options.filter((o) => o.text === name);
    if (found.length !== 1) throw new Error(`${found.length} options named ${name}: ${JSON.stringify(options)}`);
    await select.selectOption(found[0].value);
  }

  const idFromUrl = () => /\/admin\/(?:organizations|people)\/([0-9a-f-]{36})/.exec(page.url())![1];
  const treeNames = async () => (await page.locator('ul.tree a').allTextContents()).map((t) => t.trim());
  const fieldError = (field: string) => textOf(page, `p.field-error[data-field="${field}"]`);
  const tableRows = async () =>
    Promise.all(
      (await page.locator('table tbody tr').all()).map(async (row) =>
        (await row.locator('td').allTextContents()).map((t) => t.trim()),
      ),
    );

  async function createOrganization(name: string, parent: string) {
    await page.goto('/admin/organizations');
    await page.locator('#f-name').fill(name);
    await choose(page.locator('#f-parentId'), parent);
    return submit(page, page.getByRole('button', { name: 'Create' }));
  }

  beforeAll(async () => {
    testApp = await startBuiltApp();
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, testApp.baseUrl));
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await testApp?.close();
  });

  describe('organizations', () => {
    it('should show a new organization in the tree when it is created under "Organization"', async () => {
      const response = await createOrganization('Northwind', 'Organization');
      expect(response.status()).toBe(200);
      expect(page.url()).toMatch(/\/admin\/organizations\/[0-9a-f-]{36}\?notice=created$/);
      ids.northwind = idFromUrl();
      expect(await textOf(page, 'h1')).toBe('Northwind');
      expect(await textOf(page, '.notice')).toBe('Created.');
      expect(await textOf(page, 'dl.facts dd')).toBe('Organization');
      await page.goto('/admin/organizations');
      expect(await treeNames()).toEqual(['Organization', 'Northwind']);
      const link = page.locator('ul.tree a', { hasText: 'Northwind' });
      expect(await link.getAttribute('href')).toBe(`/admin/organizations/${ids.northwind}`);
      expect(await link.locator('xpath=..').getAttribute('style')).toContain('--depth: 1');
    });

    it('should nest a child under its parent when the parent is chosen in the select', async () => {
      await createOrganization('Northwind East', 'Northwind');
      ids.east = idFromUrl();
      expect(await textOf(page, 'h1')).toBe('Northwind East');
      expect(await page.locator('dl.facts dd a').getAttribute('href')).toBe(`/admin/organizations/${ids.northwind}`);
      await page.goto('/admin/organizations');
      expect(await treeNames()).toEqual(['Organization', 'Northwind', 'Northwind East']);
      expect(await page.locator('ul.tree li').nth(2).getAttribute('style')).toContain('--depth: 2');
      await page.goto(`/admin/organizations/${ids.northwind}`);
      expect(await page.locator('main ul a').allTextContents()).toEqual(['Northwind East']);
    });

    it('should show an inline error on name and write nothing when the name is empty', async () => {
      const before = await count('organizations');
      for (const name of ['', '   ']) {
        const response = await createOrganization(name, 'Organization');
        expect(response.status()).toBe(400);
        expect(await fieldError('name')).toMatch(/^Name /);
        expect(await page.locator('#f-name').getAttribute('aria-invalid')).toBe('true');
        expect(await page.locator('.notice').count()).toBe(0);
      }
      expect(await count('organizations')).toBe(before);
    });

    it('should show an inline error on name and write nothing when a sibling has the same name', async () => {
      const before = await count('organizations');
      const response = await createOrganization('Northwind', 'Organization');
      expect(response.status()).toBe(409);
      expect(await fieldError('name')).toBeTruthy();
      expect(await page.locator('#f-name').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#f-name').inputValue()).toBe('Northwind');
      expect(await count('organizations')).toBe(before);
    });

    it('should show the new name everywhere when an organization is renamed on its page', async () => {
      await page.goto(`/admin/organizations/${ids.east}`);
      expect(await page.locator('#f-name').inputValue()).toBe('Northwind East');
      await page.locator('#f-name').fill('Northwind South');
      const response = await submit(page, page.getByRole('button', { name: 'Save' }));
      expect(response.status()).toBe(200);
      expect(page.url()).toBe(`${testApp.baseUrl}/admin/organizations/${ids.east}?notice=saved`);
      expect(await textOf(page, 'h1')).toBe('Northwind South');
      expect(await textOf(page, '.notice')).toBe('Saved.');
      await page.goto('/admin/organizations');
      expect(await treeNames()).toEqual(['Organization', 'Northwind', 'Northwind South']);
    });

    it('should move a child under another parent when a new parent is chosen and saved', async () => {
      await createOrganization('Contoso', 'Organization');
      ids.contoso = idFromUrl();
      await page.goto(`/admin/organizations/${ids.east}`);
      const choices = (await page.locator('#f-parentId option').allTextContents()).map((t) => t.trim());
      expect(choices).not.toContain('Northwind South');
      await choose(page.locator('#f-parentId'), 'Contoso');
      await submit(page, page.getByRole('button', { name: 'Save' }));
      expect(await textOf(page, '.notice')).toBe('Saved.');
      expect(await page.locator('dl.facts dd a').getAttribute('href')).toBe(`/admin/organizations/${ids.contoso}`);
      await page.goto('/admin/organizations');
      expect(await treeNames()).toEqual(['Organization', 'Contoso', 'Northwind South', 'Northwind']);
      await page.goto(`/admin/organizations/${ids.northwind}`);
      expect(await page.locator('main ul a').count()).toBe(0);
    });
  });

  describe('people', () => {
    let token: ApiClient;

    async function fillPerson(values: Record<string, string>, organization = 'Northwind') {
      await page.goto('/admin/people/new');
      for (const [field, value] of Object.entries(values)) await page.locator(`#f-${field}`).fill(value);
      await choose(page.locator('#f-organizationId'), organization);
      return submit(page, page.getByRole('button', { name: 'Create' }));
    }

    it('should show an inline error on email and write nothing when the email is invalid', async () => {
      const before = await count('users');
      const response = await fillPerson({ name: 'Bad Email', email: 'not-an-email', password: PERSON_PASSWORD });
      expect(response.status()).toBe(400);
      expect(await fieldError('email')).toBe(
        'Email is not an email address. Enter an email address, e.g. name@example.com.',
      );
      expect(await page.locator('#f-email').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#f-name').inputValue()).toBe('Bad Email');
      expect(await page.locator('#f-password').inputValue()).toBe('');
      expect(await count('users')).toBe(before);
    });

    it('should show an inline error on password and write nothing when it is shorter than 12', async () => {
      const before = await count('users');
      const response = await fillPerson({ name: 'Short', email: 'short@example.com', password: 'short-pw' });
      expect(response.status()).toBe(400);
      expect(await fieldError('password')).toMatch(/^Password must be 12 to \d+ characters long\.$/);
      expect(await page.locator('p.field-error').count()).toBe(1);
      expect(await count('users')).toBe(before);
    });

    it('should open the person page when a valid person is created', async () => {
      const response = await fillPerson({
        name: 'Pat Person',
        email: PERSON_EMAIL,
        givenName: 'Pat',
        familyName: 'Person',
        sisId: 'SIS-42',
        loginId: 'pat',
        password: PERSON_PASSWORD,
      });
      expect(response.status()).toBe(200);
      expect(page.url()).toMatch(/\/admin\/people\/[0-9a-f-]{36}\?notice=created$/);
      ids.pat = idFromUrl();
      expect(await textOf(page, 'h1')).toBe('Pat Person active');
      expect(await textOf(page, '.notice')).toBe('Created.');
      expect(await page.locator('#f-email').inputValue()).toBe(PERSON_EMAIL);
      expect(await page.locator('#f-sisId').inputValue()).toBe('SIS-42');
      expect(await page.locator('#f-organizationId').inputValue()).toBe(ids.northwind);
      expect(await tableRows()).toEqual([['No roles in organizations you manage.']]);
    });

    it('should list the role in the Roles table when a role is added', async () => {
      await choose(page.locator('#f-m-organizationId'), 'Contoso');
      await page.locator('#f-m-role').selectOption('learner');
      await submit(page, page.getByRole('button', { name: 'Add role' }));
      expect(page.url()).toBe(`${testApp.baseUrl}/admin/people/${ids.pat}?notice=role-added`);
      expect(await textOf(page, '.notice')).toBe('Role added.');
      expect((await tableRows()).map((cells) => cells.slice(0, 2))).toEqual([['Contoso', 'learner']]);
    });

    it('should show suspended and refuse the person API token when the person is suspended', async () => {
      token = await ApiClient.signIn(testApp.baseUrl, PERSON_EMAIL, PERSON_PASSWORD);
      expect((await token.get('/api/v1/me/learning')).status).toBe(200);
      await submit(page, page.getByRole('button', { name: 'Suspend' }));
      expect(page.url()).toBe(`${testApp.baseUrl}/admin/people/${ids.pat}?notice=suspended`);
      expect(await textOf(page, 'h1 .status')).toBe('suspended');
      expect(await textOf(page, '.notice')).toBe('The account is suspended and signed out everywhere.');
      expect(await page.getByRole('button', { name: 'Reactivate' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Suspend' }).count()).toBe(0);
      expect((await token.get('/api/v1/me/learning')).status).toBe(401);
    });

    it('should show active again and let the person sign in when the person is reactivated', async () => {
      await submit(page, page.getByRole('button', { name: 'Reactivate' }));
      expect(await textOf(page, 'h1 .status')).toBe('active');
      expect(await textOf(page, '.notice')).toBe('The account is active again.');
      // The suspension ended the old token for good; a new sign-in works.
      expect((await token.get('/api/v1/me/learning')).status).toBe(401);
      const again = await ApiClient.signIn(testApp.baseUrl, PERSON_EMAIL, PERSON_PASSWORD);
      expect((await again.get('/api/v1/me/learning')).status).toBe(200);
    });

    it('should narrow the people table when the filters are used', async () => {
      await page.goto('/admin/people');
      const emails = async () => (await tableRows()).map((cells) => cells[1]);
      expect(await emails()).toEqual(expect.arrayContaining([ADMIN_EMAIL, PERSON_EMAIL]));
      await page.locator('#f-search').fill('pat.per');
      await submit(page, page.getByRole('button', { name: 'Filter' }));
      expect(new URL(page.url()).searchParams.get('search')).toBe('pat.per');
      expect(await page.locator('#f-search').inputValue()).toBe('pat.per');
      expect(await tableRows()).toEqual([['Pat Person', PERSON_EMAIL, 'active']]);

      await page.locator('#f-search').fill('');
      await choose(page.locator('#f-organizationId'), 'Organization');
      await submit(page, page.getByRole('button', { name: 'Filter' }));
      expect(await emails()).toEqual([ADMIN_EMAIL]);

      await page.locator('#f-search').fill('nobody-by-this-name');
      await page.locator('#f-organizationId').selectOption('');
      await submit(page, page.getByRole('button', { name: 'Filter' }));
      expect(await tableRows()).toEqual([['Nobody matches.']]);

      await page.locator('#f-search').fill('');
      await page.locator('#f-status').selectOption('suspended');
      await submit(page, page.getByRole('button', { name: 'Filter' }));
      expect(await tableRows()).toEqual([['Nobody matches.']]);
    });
  });
});
