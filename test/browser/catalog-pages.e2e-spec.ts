import { generateKeyPairSync } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm, submit, textOf } from '../support/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const SECRET = 'Sup3r-Secret-Value-xyz-123';
const NEW_SECRET = 'An0ther-Secret-Value-abc-789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('LTI catalog pages in a browser', () => {
  let testApp: BuiltApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const ids: Record<string, string> = {};

  const query = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> =>
    testApp.dataSource.query(sql, parameters);
  const auditCount = async () => Number((await query('SELECT count(*)::int AS n FROM audit_events'))[0].n);
  const idFromUrl = () => /\/admin\/lti\/[a-z-]+\/([0-9a-f-]{36})/.exec(page.url())![1];
  const fieldError = (field: string) => textOf(page, `p.field-error[data-field="${field}"]`);
  const tableRows = async () =>
    Promise.all(
      (await page.locator('table tbody tr').all()).map(async (row) =>
        (await row.locator('td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()),
      ),
    );

  /** Picks `label` with the field's "Choose" dialog, found by searching for `search`. */
  async function chooseWith(field: string, search: string, label: string): Promise<void> {
    const picker = page.locator(`[data-picker="${field}"]`);
    await picker.getByRole('button', { name: 'Choose' }).click();
    const dialog = picker.getByRole('dialog');
    await dialog.getByRole('searchbox').fill(search);
    await dialog.getByRole('radio', { name: label, exact: true }).check();
    await dialog.getByRole('button', { name: 'OK' }).click();
  }

  async function expectNoSecretIn(path: string, secrets: readonly string[] = [SECRET]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    const html = await page.content();
    for (const secret of secrets) expect(html).not.toContain(secret);
  }

  beforeAll(async () => {
    testApp = await startBuiltApp();
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, testApp.baseUrl));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: testApp.baseUrl });
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await testApp?.close();
  });

  it('should list a 1.1 provider when it is created through the form with a key, a secret and custom parameters', async () => {
    await page.goto('/admin/lti/providers');
    await submit(page, page.getByRole('link', { name: 'Create LTI provider' }));
    expect(new URL(page.url()).pathname).toBe('/admin/lti/providers/new');
    expect(await page.locator('input[name="ltiVersion"][value="1.1"]').isChecked()).toBe(true);
    expect(await page.locator('fieldset[data-lti-version="1.3"]').isHidden()).toBe(true);
    // The owner is available by default: the Availability tab lists it, ticked.
    await page.getByRole('tab', { name: 'Availability' }).click();
    expect(await page.getByRole('checkbox', { name: 'Organization' }).isChecked()).toBe(true);
    await page.getByRole('tab', { name: 'Details' }).click();

    await page.locator('#f-name').fill('Acme Learning');
    await page.locator('#f-consumerKey').fill('acme-consumer-key');
    await page.locator('#f-sharedSecret').fill(SECRET);
    await page.locator('#f-customParameters').fill('custom_course_code=$Context.label\nlevel=advanced');
    const response = await submit(page, page.getByRole('button', { name: 'Save' }));

    expect(response.status()).toBe(200);
    expect(page.url()).toMatch(/\/admin\/lti\/providers\/[0-9a-f-]{36}\?notice=created$/);
    ids.provider = idFromUrl();
    expect(await textOf(page, 'h1')).toBe('Acme Learning active');
    expect(await textOf(page, '.notice')).toBe('Created.');
    expect(await page.locator('#f-consumerKey').inputValue()).toBe('acme-consumer-key');
    expect(await page.locator('#f-sharedSecret').inputValue()).toBe('');
    expect(await page.locator('#f-sharedSecret').getAttribute('type')).toBe('password');
    expect(await textOf(page, '#f-sharedSecret ~ .hint')).toBe('Leave empty to keep the current secret (••••••••-123)');
    expect(await page.locator('#f-customParameters').inputValue()).toBe('course_code=$Context.label\nlevel=advanced');
    expect(await page.locator('fieldset[data-lti-version="1.3"]').count()).toBe(0);

    await page.goto('/admin/lti/providers?search=acme');
    expect(await tableRows()).toEqual([['Acme Learning', 'LTI 1.1', 'Organization', 'active']]);
    await page.goto('/admin/lti/providers?ltiVersion=1.3');
    expect(await tableRows()).toEqual([['No provider matches.']]);
  });

  it('should list a resource link with its provider when it is created with custom parameters and a required score of 80', async () => {
    await page.goto('/admin/lti/resource-links');
    await submit(page, page.getByRole('link', { name: 'Create LTI resource link' }));
    await page.locator('#f-name').fill('Acme Course 101');
    await chooseWith('providerId', 'acme', 'Acme Learning');
    await page.locator('#f-url').fill('https://tool.example.com/launch/101');
    await page.locator('#f-customParameters').fill('chapter=3\ncustom_mode=exam');
    expect(await page.locator('#f-passingScore').isDisabled()).toBe(true);
    await page.getByLabel('This resource requires a score for completion').check();
    await page.locator('#f-passingScore').fill('80');
    const response = await submit(page, page.getByRole('button', { name: 'Save' }));

    expect(response.status()).toBe(200);
    expect(page.url()).toMatch(/\/admin\/lti\/resource-links\/[0-9a-f-]{36}\?notice=created$/);
    ids.link = idFromUrl();
    expect(await textOf(page, '.notice')).toBe('Created.');
    expect(await page.locator('#f-requiresScoreForCompletion').isChecked()).toBe(true);
    expect(await page.locator('#f-passingScore').inputValue()).toBe('80');
    expect(await page.locator('#f-customParameters').inputValue()).toBe('chapter=3\nmode=exam');

    await page.goto('/admin/lti/resource-links');
    expect(await tableRows()).toEqual([['Acme Course 101', 'Acme Learning', 'Organization', 'Yes, 80%', 'active']]);
    await page.goto(`/admin/lti/resource-links?providerId=${ids.provider}`);
    expect(await tableRows()).toHaveLength(1);
  });

  it('should keep the shared secret out of every page and the logs when the catalog pages are opened', async () => {
    await expectNoSecretIn(`/admin/lti/providers/${ids.provider}`);
    expect(await page.locator('form.card #f-sharedSecret').count()).toBe(1);
    await expectNoSecretIn('/admin/lti/providers');
    await expectNoSecretIn(`/admin/lti/providers/${ids.provider}/delete`);
    expect(await textOf(page, '.usage')).toContain('used by 1 resource link and 0 course activities');
    await expectNoSecretIn(`/admin/lti/resource-links/${ids.link}`);
    await expectNoSecretIn('/admin/lti/resource-links');
    await expectNoSecretIn('/admin/audit');

    const rows = await tableRows();
    expect(rows[0][1]).toBe('Site Administrator');
    expect(rows[0][2]).toContain('LTI resource link');
    expect(rows[0][3]).toBe('create');
    const providerRow = rows.find((row) => row[2].startsWith('LTI provider'))!;
    expect(providerRow[4]).toContain('Custom parameters: "course_code=$Context.label\\nlevel=advanced"');
    expect(await page.locator(`a[href="/admin/lti/providers/${ids.provider}"]`).count()).toBe(1);
    expect(testApp.logs.text).not.toContain(SECRET);
  });

  it('should name the bad line, empty the secret input and change nothing when a custom parameter line is invalid', async () => {
    const before = await query('SELECT * FROM lti_providers WHERE id = $1', [ids.provider]);
    const events = await auditCount();
    await page.goto(`/admin/lti/providers/${ids.provider}`);
    await page.locator('#f-name').fill('Acme Renamed');
    await page.locator('#f-sharedSecret').fill(NEW_SECRET);
    await page.locator('#f-customParameters').fill('course_code=$Context.label\nlevel=advanced\nBad Name=1');
    const response = await submit(page, page.getByRole('button', { name: 'Save' }));

    expect(response.status()).toBe(400);
    expect(await fieldError('customParameters')).toMatch(/^Custom parameters: Line 3: "Bad Name" is not a valid name/);
    expect(await page.locator('#f-customParameters').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-sharedSecret').inputValue()).toBe('');
    expect(await page.locator('#f-name').inputValue()).toBe('Acme Renamed');
    const html = await page.content();
    expect(html).not.toContain(NEW_SECRET);
    expect(html).not.toContain(SECRET);
    expect(await query('SELECT * FROM lti_providers WHERE id = $1', [ids.provider])).toEqual(before);
    expect(await auditCount()).toBe(events);
    expect(testApp.logs.text).not.toContain(NEW_SECRET);
  });

  it('should keep the sealed secret and save the other fields when the provider form is saved with the secret left empty', async () => {
    const sealed = async () =>
      (await query('SELECT shared_secret_sealed FROM lti_providers WHERE id = $1', [ids.provider]))[0]
        .shared_secret_sealed;
    const before = await sealed();
    await page.goto(`/admin/lti/providers/${ids.provider}`);
    await page.locator('#f-name').fill('Acme Renamed');
    await page.locator('#f-customParameters').fill('');
    await submit(page, page.getByRole('button', { name: 'Save' }));
    expect(await textOf(page, '.notice')).toBe('Saved.');
    expect(await textOf(page, 'h1')).toBe('Acme Renamed active');
    expect(await page.locator('#f-customParameters').inputValue()).toBe('');
    expect(await sealed()).toBe(before);
    expect(await textOf(page, '#f-sharedSecret ~ .hint')).toContain('(••••••••-123)');
  });

  it('should show the platform details with the app issuer and a copy button per value when a 1.3 provider is created with a PEM', async () => {
    const { publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    await page.goto('/admin/lti/providers/new');
    await page.getByLabel('LTI 1.3').check();
    expect(await page.locator('fieldset[data-lti-version="1.1"]').isHidden()).toBe(true);
    await page.locator('#f-name').fill('Advantage Tool');
    await page.locator('#f-loginUrl').fill('https://tool13.example.com/login');
    await page.locator('#f-redirectUris').fill('https://tool13.example.com/launch\nhttps://tool13.example.com/deep');
    await page.locator('#f-targetLinkUri').fill('https://tool13.example.com/launch');
    await page.locator('#f-publicKeyPem').fill(publicKey);
    await page.getByLabel('Assignment and Grade Services (scores)').check();
    const response = await submit(page, page.getByRole('button', { name: 'Save' }));

    expect(response.status()).toBe(200);
    expect(await textOf(page, '.notice')).toBe('Created.');
    ids.provider13 = idFromUrl();
    expect(await page.getByRole('heading', { name: 'Platform details' }).count()).toBe(1);
    const details = page.locator('dl.platform-details dd');
    expect(await details.count()).toBe(8);
    const values: string[] = [];
    for (const dd of await details.all()) {
      const shown = ((await dd.locator('code').textContent()) ?? '').trim();
      const button = dd.getByRole('button');
      expect(await button.textContent()).toBe('Copy');
      expect(await button.getAttribute('data-copy')).toBe(shown);
      values.push(shown);
    }
    const [issuer, clientId, deploymentId, authorizationUrl, tokenUrl, jwksUrl, deepLinkingReturnUrl, openidUrl] =
      values;
    expect(issuer).toBe(testApp.baseUrl);
    expect(clientId).toMatch(UUID);
    expect(deploymentId).toMatch(UUID);
    expect(authorizationUrl).toBe(`${testApp.baseUrl}/lti/1p3/authorize`);
    expect(tokenUrl).toBe(`${testApp.baseUrl}/lti/1p3/token`);
    expect(jwksUrl).toBe(`${testApp.baseUrl}/.well-known/jwks.json`);
    expect(deepLinkingReturnUrl).toBe(`${testApp.baseUrl}/lti/1p3/deep-linking/return`);
    expect(openidUrl).toBe(`${testApp.baseUrl}/.well-known/openid-configuration`);

    await details.first().getByRole('button').click();
    await page.waitForFunction(
      () => (globalThis as any).document.querySelector('button.copy').textContent === 'Copied',
    );
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(testApp.baseUrl);
    expect(await page.locator('#f-publicKeyPem').inputValue()).toBe(publicKey.trim());
    expect(await page.locator('input[name="services"][value="grades"]').isChecked()).toBe(true);
    expect(await page.locator('fieldset[data-lti-version="1.1"]').count()).toBe(0);

    await page.locator('input[name="services"][value="grades"]').uncheck();
    await submit(page, page.getByRole('button', { name: 'Save' }));
    expect(await textOf(page, '.notice')).toBe('Saved.');
    expect(await page.locator('input[name="services"]:checked').count()).toBe(0);
    expect(await page.locator('#f-publicKeyPem').inputValue()).toBe(publicKey.trim());
    const [{ services }] = await query('SELECT services FROM lti_providers WHERE id = $1', [ids.provider13]);
    expect(services).toEqual([]);
  });

  it('should disable and re-enable a resource link when its status button is pressed', async () => {
    await page.goto(`/admin/lti/resource-links/${ids.link}`);
    await submit(page, page.getByRole('button', { name: 'Disable' }));
    expect(page.url()).toBe(`${testApp.baseUrl}/admin/lti/resource-links/${ids.link}?notice=disabled`);
    expect(await textOf(page, '.notice')).toBe('Disabled.');
    expect(await textOf(page, 'h1 .status')).toBe('disabled');
    expect((await query('SELECT status FROM lti_resource_links WHERE id = $1', [ids.link]))[0].status).toBe('disabled');
    await page.goto('/admin/lti/resource-links?status=active');
    expect(await tableRows()).toEqual([['No resource link matches.']]);

    await page.goto(`/admin/lti/resource-links/${ids.link}`);
    await submit(page, page.getByRole('button', { name: 'Enable' }));
    expect(await textOf(page, '.notice')).toBe('Enabled.');
    expect(await textOf(page, 'h1 .status')).toBe('active');
    expect((await query('SELECT status FROM lti_resource_links WHERE id = $1', [ids.link]))[0].status).toBe('active');
  });

  it('should clear and set the required score when the checkbox is unticked and ticked on the edit form', async () => {
    const stored = async () =>
      (
        await query<{ requires: boolean; passing: string | null }>(
          'SELECT requires_score_for_completion AS requires, passing_score AS passing FROM lti_resource_links WHERE id = $1',
          [ids.link],
        )
      )[0];
    await page.goto(`/admin/lti/resource-links/${ids.link}`);
    await page.getByLabel('This resource requires a score for completion').uncheck();
    await submit(page, page.getByRole('button', { name: 'Save' }));
    expect(await textOf(page, '.notice')).toBe('Saved.');
    expect(await page.locator('#f-requiresScoreForCompletion').isChecked()).toBe(false);
    expect(await page.locator('#f-passingScore').inputValue()).toBe('');
    expect(await stored()).toEqual({ requires: false, passing: null });

    await page.getByLabel('This resource requires a score for completion').check();
    await page.locator('#f-passingScore').fill('70');
    await submit(page, page.getByRole('button', { name: 'Save' }));
    expect(await textOf(page, '.notice')).toBe('Saved.');
    expect(await page.locator('#f-requiresScoreForCompletion').isChecked()).toBe(true);
    expect(await page.locator('#f-passingScore').inputValue()).toBe('70');
    expect(Number((await stored()).passing)).toBe(70);
  });

  it('should delete a resource link and its course activity when the deletion is confirmed', async () => {
    const [{ organization_id: organizationId }] = await query<{ organization_id: string }>(
      'SELECT organization_id FROM lti_resource_links WHERE id = $1',
      [ids.link],
    );
    const [{ id: courseId }] = await query<{ id: string }>(
      `INSERT INTO courses (organization_id, title) VALUES ($1, 'Safety basics') RETURNING id`,
      [organizationId],
    );
    await query(
      `INSERT INTO course_activities (course_id, resource_link_id, lti_resource_link_id, title, position)
       VALUES ($1, $2, 'placement-1', 'Acme lesson', 1)`,
      [courseId, ids.link],
    );

    await page.goto(`/admin/lti/resource-links/${ids.link}`);
    await submit(page, page.getByRole('link', { name: 'Delete…' }));
    expect(new URL(page.url()).pathname).toBe(`/admin/lti/resource-links/${ids.link}/delete`);
    expect(await textOf(page, '.usage')).toContain('used by 1 course activity; deleting it removes them too');
    await submit(page, page.getByRole('button', { name: 'Delete resource link' }));

    expect(page.url()).toBe(`${testApp.baseUrl}/admin/lti/resource-links?notice=deleted`);
    expect(await textOf(page, '.notice')).toBe('Deleted.');
    expect(await tableRows()).toEqual([['No resource link matches.']]);
    expect(await query('SELECT id FROM lti_resource_links WHERE id = $1', [ids.link])).toEqual([]);
    expect(await query('SELECT id FROM course_activities WHERE course_id = $1', [courseId])).toEqual([]);

    await page.goto('/admin/audit?entityType=lti_resource_link');
    const rows = await tableRows();
    expect(rows.map((row) => row[3])).toEqual(['delete', 'update', 'update', 'enable', 'disable', 'create']);
    expect(await page.locator(`a[href="/admin/lti/resource-links/${ids.link}"]`).count()).toBeGreaterThan(0);
  });

  it('should publish a new next key when the platform keys are rotated', async () => {
    await page.goto('/admin/lti/providers');
    await submit(page, page.getByRole('navigation', { name: 'LTI' }).getByRole('link', { name: 'Platform keys' }));
    const states = async () => (await tableRows()).map((row) => row[1]);
    const before = await tableRows();
    expect((await states()).sort()).toEqual(['current', 'next']);
    const next = before.find((row) => row[1] === 'next')![0];
    await submit(page, page.getByRole('button', { name: 'Rotate keys' }));
    expect(await textOf(page, '.notice')).toMatch(/^Keys rotated/);
    const after = await tableRows();
    expect(after.find((row) => row[1] === 'current')![0]).toBe(next);
    expect((await states()).sort()).toEqual(['current', 'next', 'previous']);
  });

  it('should show a provider read-only when it is owned by an organization the admin does not manage', async () => {
    const admin = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const [{ id: topId }] = await query<{ id: string }>('SELECT id FROM organizations WHERE parent_id IS NULL');
    const branch = await admin.post('/api/v1/organizations', { name: 'Branch', parentId: topId });
    expect(branch.status).toBe(201);
    await createPerson(admin, {
      email: 'branch-admin@example.com',
      organizationId: branch.body.id,
      role: 'site_admin',
      password: 'branch-admin-password-1',
    });
    const other = await newPage(browser, testApp.baseUrl);
    try {
      await signInThroughForm(other.page, 'branch-admin@example.com', 'branch-admin-password-1');
      await other.page.goto('/admin/lti/providers');
      const names = await other.page.locator('table tbody td:first-child').allTextContents();
      expect(names.map((n) => n.replace(/\s+/g, ' ').trim())).toContain('Advantage Tool (read-only)');
      await other.page.goto(`/admin/lti/providers/${ids.provider13}`);
      expect(await other.page.getByRole('note').textContent()).toContain('you can use it, not change it');
      for (const name of ['Save', 'Disable', 'Enable']) {
        expect(await other.page.getByRole('button', { name }).count()).toBe(0);
      }
      expect(await other.page.getByRole('link', { name: 'Delete…' }).count()).toBe(0);
      expect(await other.page.locator('form[action^="/admin/lti/providers/"]').count()).toBe(0);
      expect(await other.page.locator('dl.platform-details dd').count()).toBe(8);
      expect((await other.page.goto(`/admin/lti/providers/${ids.provider13}/delete`))?.status()).toBe(403);
      expect((await other.page.goto('/admin/lti/platform-keys'))?.status()).toBe(403);
    } finally {
      await other.context.close();
    }
  });
});
