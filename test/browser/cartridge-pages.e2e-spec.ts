import { readFileSync } from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm, submit, textOf } from '../support/browser';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';

const PASSWORD = 'a-long-test-password';

/**
 * The course page's Common Cartridge buttons in Chromium against the built app: the export downloads a
 * cartridge, which the import of another course previews (nothing written) and then imports on confirm.
 */
describe('Common Cartridge pages', () => {
  let testApp: BuiltApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sourceId: string;
  let targetId: string;
  let providerId: string;
  let cartridgePath: string;

  const activitiesOf = async (courseId: string): Promise<string[]> =>
    (
      await testApp.dataSource.query(`SELECT title FROM course_activities WHERE course_id = $1 ORDER BY position`, [
        courseId,
      ])
    ).map((row: { title: string }) => row.title);

  beforeAll(async () => {
    testApp = await startBuiltApp();
    browser = await launchBrowser();
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const top = (await root.post('/api/v1/organizations', { name: 'Cartridges' })).body.id;
    const orgA = (await root.post('/api/v1/organizations', { name: 'North', parentId: top })).body.id;
    const orgB = (await root.post('/api/v1/organizations', { name: 'South', parentId: top })).body.id;
    providerId = (
      await root.post('/api/v1/lti/providers', {
        name: 'Reading tool',
        organizationId: top,
        ltiVersion: '1.1',
        consumerKey: 'pages-key',
        sharedSecret: 'pages-secret',
        availableOrganizationIds: [top],
      })
    ).body.id;
    const link = async (name: string, url: string, availableIn: string) =>
      (
        await root.post('/api/v1/lti/resource-links', {
          name,
          organizationId: top,
          providerId,
          url,
          requiresScoreForCompletion: false,
          availableOrganizationIds: [availableIn],
        })
      ).body.id as string;
    const shared = await link('Chapter 1', 'https://reading.example.com/ch1', top);
    const northOnly = await link('Chapter 2', 'https://reading.example.com/ch2', orgA);
    // An admin who also authors: importing creates resource links, which is a site administrator's.
    await createPerson(root, { email: 'pages-admin@example.com', organizationId: top, role: 'site_admin' });
    const author = (
      await createPerson(root, { email: 'pages-author@example.com', organizationId: top, role: 'course_author' })
    ).client;
    sourceId = (await author.post('/api/v1/courses', { title: 'North reading', organizationId: orgA })).body.id;
    for (const resourceLinkId of [shared, northOnly]) {
      await author.post(`/api/v1/courses/${sourceId}/activities`, { resourceLinkId });
    }
    targetId = (await author.post('/api/v1/courses', { title: 'South reading', organizationId: orgB })).body.id;
    ({ context, page } = await newPage(browser, testApp.baseUrl, { acceptDownloads: true }));
    await signInThroughForm(page, 'pages-admin@example.com', PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await testApp?.close();
  });

  it('should download a cartridge when the admin clicks Export cartridge on the course page', async () => {
    await page.goto(`/author/courses/${sourceId}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export cartridge' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('North-reading.imscc');
    cartridgePath = (await download.path())!;
    // A zip: the local file header's signature.
    expect(readFileSync(cartridgePath).subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
  });

  it('should preview the import without writing anything when the admin uploads the cartridge', async () => {
    await page.goto(`/author/courses/${targetId}`);
    await submit(page, page.getByRole('link', { name: 'Import cartridge' }));
    await page.locator('#f-cartridge').setInputFiles(cartridgePath);
    await page.locator('#f-providerId').selectOption(providerId);
    const answer = await submit(page, page.getByRole('button', { name: 'Preview import' }));

    expect(answer.status()).toBe(200);
    expect(await textOf(page, 'h2')).toBe('Preview of “North reading”');
    const rows = page.locator('table.cartridge-preview tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')))).toEqual([
      'match',
      'create',
    ]);
    expect(await rows.nth(0).textContent()).toContain('using the resource link “Chapter 1”');
    expect(await rows.nth(1).textContent()).toContain('new resource link under Reading tool');
    expect(await activitiesOf(targetId)).toEqual([]);
  });

  it('should import the activities in order when the admin confirms the preview', async () => {
    await submit(page, page.getByRole('button', { name: 'Confirm import' }));

    expect(new URL(page.url()).pathname).toBe(`/author/courses/${targetId}`);
    expect(await textOf(page, '.notice')).toBe('Cartridge imported: its links were added as activities.');
    expect(await page.locator('table.activities tbody tr td:nth-child(2)').allTextContents()).toEqual([
      'Chapter 1',
      'Chapter 2',
    ]);
    expect(await activitiesOf(targetId)).toEqual(['Chapter 1', 'Chapter 2']);
  });

  it('should refuse a file that is not a cartridge with the reason on the page and write nothing', async () => {
    const before = await activitiesOf(targetId);
    await page.goto(`/author/courses/${targetId}/cartridge/import`);
    await page.locator('#f-cartridge').setInputFiles({
      name: 'notes.imscc',
      mimeType: 'application/zip',
      buffer: Buffer.from('not a zip at all'),
    });
    const answer = await submit(page, page.getByRole('button', { name: 'Preview import' }));

    expect(answer.status()).toBe(400);
    expect(await textOf(page, '[data-field="cartridge"]')).toBe('The file is not a zip archive');
    expect(await activitiesOf(targetId)).toEqual(before);
  });
});
