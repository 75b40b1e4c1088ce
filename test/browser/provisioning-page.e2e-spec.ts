import { readFile } from 'node:fs/promises';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { launchBrowser, newPage, signInThroughForm, submit, textOf } from '../support/browser';
import { catalogRows, csvFile } from '../support/provisioning-files';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';

/** The bootstrap administrator's organization, the top of their organization paths. */
const TOP = 'Organization';

describe('LTI provisioning page in a browser', () => {
  let testApp: BuiltApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const count = async (table: string) =>
    Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  const tableRows = async (selector: string) =>
    Promise.all(
      (await page.locator(`${selector} tbody tr`).all()).map(async (row) =>
        (await row.locator('td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()),
      ),
    );

  /** Chooses `text` as the file and uploads it, a dry run or not; answers the response of the page it leads to. */
  async function upload(name: string, text: string, dryRun: boolean) {
    await page.goto('/admin/lti/provisioning');
    await page.locator('#file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.getByRole('checkbox', { name: /Check only/ }).setChecked(dryRun);
    return submit(page, page.getByRole('button', { name: 'Upload' }));
  }

  /** Progress texts the page shows until the import ends (the page then reloads with the result). */
  async function followProgress(): Promise<string[]> {
    const seen: string[] = [];
    while (await page.locator('#job-progress').count()) {
      const text = await page
        .locator('#job-progress-text')
        .textContent()
        .catch(() => null);
      if (text && !seen.includes(text)) seen.push(text);
      await page.waitForTimeout(150);
    }
    return seen;
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

  it('should show progress, then the three bad lines of a 1,000-row file, when the file has bad rows', async () => {
    const rows = catalogRows(TOP, 1000);
    rows[120] = { ...rows[120], url: 'not a url' };
    rows[500] = { ...rows[500], passingScore: 'high' };
    rows[999] = { ...rows[999], provider: 'No Such Tool' };
    const { text, lines } = csvFile(rows);

    const response = await upload('catalog.csv', text, false);

    expect(response.status()).toBe(200);
    expect(page.url()).toMatch(/\/admin\/lti\/provisioning\/imports\/[0-9a-f-]{36}$/);
    expect(await textOf(page, 'h1')).toBe('Import of catalog.csv');
    const progress = await followProgress();
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((shown) => / of 1000 rows$/.test(shown))).toBe(true);

    expect(await textOf(page, '#job-message')).toBe(
      '3 rows have problems; nothing was written. Fix them and import the file again.',
    );
    const bad = await tableRows('#bad-rows');
    expect(bad.map(([line, column]) => [Number(line), column])).toEqual([
      [lines[120], 'url'],
      [lines[500], 'passingScore'],
      [lines[999], 'provider'],
    ]);
    expect(bad[2][2]).toBe(`provider “No Such Tool” is not a provider of ${TOP} (in this file or the catalog)`);
    expect(await count('lti_resource_links')).toBe(0);
    const [job] = await testApp.dataSource.query(`SELECT status, processed, total FROM provisioning_jobs`);
    expect(job).toEqual({ status: 'refused', processed: 1000, total: 1000 });
  }, 300_000);

  it('should apply a checked dry run when its button is pressed, and export the catalog', async () => {
    const { text } = csvFile(catalogRows(TOP, 120, 'Page'));

    await upload('page.csv', text, true);
    await followProgress();

    expect(await textOf(page, '#job-message')).toBe(
      'Every row is valid. Nothing was written: applying would create 120, update 0 and leave 0 unchanged.',
    );
    expect(await tableRows('#row-outcomes')).toContainEqual(['2', 'Provider', 'Page 00', 'create']);
    expect(await count('lti_providers')).toBe(0);

    await submit(page, page.getByRole('button', { name: 'Apply these 120 rows' }));
    await followProgress();

    expect(await textOf(page, '#job-message')).toBe('Applied: 120 created, 0 updated, 0 unchanged.');
    expect(await count('lti_providers')).toBe(20);
    expect(await count('lti_resource_links')).toBe(100);

    await page.goto('/admin/lti/provisioning');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const exported = await readFile((await download.path())!, 'utf8');
    expect(exported.split('\n')[0]).toMatch(/^kind,organization,name,status,ltiVersion,/);
    expect(exported).toContain('resource_link,Organization,Page lesson 0000,active');
    expect(exported).not.toContain('a-long-shared-secret');
  }, 300_000);

  it('should name the problem on the page when the file cannot be read', async () => {
    const response = await upload('odd.csv', 'kind,colour\nprovider,red\n', true);

    expect(response.status()).toBe(400);
    expect(await textOf(page, '#file-problems')).toMatch(/^Line 1: Unknown column “colour”/);
  });
});
