import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm, submit, textOf } from '../support/browser';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';

const SECRET = 'Workflow-Secret-Value-123';

/** PNGs for the release notes, when SCREENSHOTS_DIR names a folder. */
async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.SCREENSHOTS_DIR;
  if (!folder) return;
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

describe('The administrator’s LTI workflow (seed 001) in a browser', () => {
  let testApp: BuiltApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const organizations: Record<string, string> = {};
  let admin: ApiClient;
  let top: string;

  const query = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> =>
    testApp.dataSource.query(sql, parameters);

  beforeAll(async () => {
    testApp = await startBuiltApp();
    admin = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const [{ id: topId, name }] = await query<{ id: string; name: string }>(
      'SELECT id, name FROM organizations WHERE parent_id IS NULL',
    );
    top = name;
    for (const name of ['Sales', 'Support', 'Engineering']) {
      organizations[name] = (await admin.post('/api/v1/organizations', { name, parentId: topId })).body.id;
    }
    organizations['Sales East'] = (
      await admin.post('/api/v1/organizations', { name: 'Sales East', parentId: organizations.Sales })
    ).body.id;
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, testApp.baseUrl));
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await testApp?.close();
  });

  it('should show every bad field at once, worded with its label, with a focused summary when a provider form has three bad fields', async () => {
    await page.goto('/admin/lti/providers/new');
    await page.locator('#f-name').fill('   ');
    await page.locator('#f-consumerKey').fill('acme-key');
    await page.locator('#f-sharedSecret').fill(SECRET);
    await page.locator('#f-contentItemUrl').fill('not a url');
    await page.locator('#f-customParameters').fill('course=1\nbad name=2');
    const response = await submit(page, page.getByRole('button', { name: 'Save' }));

    expect(response.status()).toBe(400);
    expect(await page.title()).toMatch(/^Error: /);
    const summary = page.locator('[data-error-summary]');
    expect(await summary.locator('li').allTextContents()).toEqual([
      expect.stringMatching(/^Name is empty\. Enter a name/),
      expect.stringMatching(
        /^Content selection URL is not a web address \(it must start with https:\/\/\)\. Enter the tool’s content selection URL/,
      ),
      expect.stringMatching(/^Custom parameters: Line 2: "bad name" is not a valid name/),
    ]);
    expect(await page.evaluate("document.activeElement?.hasAttribute('data-error-summary')")).toBe(true);
    expect(await textOf(page, 'p.field-error[data-field="contentItemUrl"]')).toMatch(/^Content selection URL/);
    expect(await page.locator('#f-consumerKey').inputValue()).toBe('acme-key');
    expect(await page.locator('#f-contentItemUrl').inputValue()).toBe('not a url');
    expect(await page.locator('#f-customParameters').inputValue()).toBe('course=1\nbad name=2');
    expect(await page.locator('#f-sharedSecret').inputValue()).toBe('');
    expect(await page.content()).not.toContain(SECRET);
    expect(await query('SELECT id FROM lti_providers')).toEqual([]);
    await screenshot(page, 'provider-form-errors');

    await page.locator('[data-error-summary] a[data-field="customParameters"]').click();
    expect(new URL(page.url()).hash).toBe('#f-customParameters');
  });

  it('should create the provider the seed describes when the steps are followed literally from the LTI tile', async () => {
    await page.goto('/');
    await submit(
      page,
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Site Administration' }),
    );
    await screenshot(page, 'admin-home');
    const tile = page.getByRole('region', { name: 'LTI' });
    await submit(page, tile.getByRole('link', { name: 'Create LTI Provider' }));
    expect(await page.locator('h1').textContent()).toBe('Create LTI Provider');

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Acme Learning');
    expect(await textOf(page, '[data-picker="organizationId"] [data-picker-current]')).toBe(top);
    await page.getByRole('button', { name: 'Choose' }).click();
    const dialog = page.getByRole('dialog', { name: 'Choose an organization' });
    await dialog.getByLabel('Search organizations you manage').fill('east');
    await dialog.getByRole('radio', { name: `${top} / Sales / Sales East` }).check();
    await dialog.getByRole('button', { name: 'OK' }).click();
    expect(await textOf(page, '[data-picker="organizationId"] [data-picker-current]')).toBe('Sales East');

    await page.getByLabel('LTI key').fill('acme-consumer-key');
    await page.getByLabel('LTI secret').fill(SECRET);
    await page.getByLabel('Custom parameters').fill('custom_value_1=some value with 1');

    await page.getByRole('tab', { name: 'Availability' }).click();
    const availability = page.getByRole('tabpanel', { name: 'Availability' });
    expect(await availability.isVisible()).toBe(true);
    expect(await page.getByRole('tabpanel', { name: 'Details' }).isHidden()).toBe(true);
    await availability.getByRole('button', { name: `Remove ${top}` }).click();
    expect(await textOf(page, '[data-default-note]')).toContain('available in Sales East (the owning organization)');
    await availability.getByText('Add Organizations').click();
    await availability.getByLabel('Search organizations you manage').fill('sales');
    await availability.getByText('2 matches.').waitFor();
    await availability.getByRole('checkbox', { name: `${top} / Sales`, exact: true }).check();
    await availability.getByRole('checkbox', { name: `${top} / Sales / Sales East` }).check();
    await availability.getByRole('button', { name: 'Add selected' }).click();
    expect(await page.locator('[data-default-note]').isHidden()).toBe(true);
    await availability.getByRole('button', { name: 'Remove Sales East' }).click();

    const response = await submit(page, page.getByRole('button', { name: 'Save' }));
    expect(response.status()).toBe(200);
    expect(page.url()).toMatch(/\/admin\/lti\/providers\/[0-9a-f-]{36}\?notice=created$/);
    const id = /providers\/([0-9a-f-]{36})/.exec(page.url())![1];
    const provider = (await admin.get(`/api/v1/lti/providers/${id}`)).body;
    expect(provider).toMatchObject({ name: 'Acme Learning', consumerKey: 'acme-consumer-key' });
    expect(provider.organizationId).toBe(organizations['Sales East']);
    expect(provider.availableOrganizationIds).toEqual([organizations.Sales]);

    // The audit log names what changed: the provider, its fields by their labels, organizations by name.
    await page.goto('/admin/audit?entityType=lti_provider');
    const row = page.locator('table tbody tr').first();
    expect(await row.locator(`[data-entity-id="${id}"]`).textContent()).toBe('Acme Learning');
    const availabilityChange = row.locator('li', {
      has: page.locator('.change-field[title="availableOrganizationIds"]'),
    });
    expect(await availabilityChange.locator('.change-field').textContent()).toBe('Availability');
    expect(await availabilityChange.locator('.after').textContent()).toBe('["Sales"]');
  });
});
