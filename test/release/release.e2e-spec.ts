import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm } from '../support/browser';
import { EmbeddedStart, startOnEmbeddedDatabase, stopProcess, waitForSignInPage } from '../support/built-app';
import { startLti1p1Tool, Lti1p1Tool } from '../support/lti1p1-tool';
import { Lti1p3Tool, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import { freePort } from '../support/test-app';

/**
 * The release: what `npm start` serves on a fresh clone — the build, on the embedded PostgreSQL with
 * the demo data, nothing configured — driven in Chromium as its people use it. Every page must load
 * its stylesheet and scripts (no failed request, styles applied), and a learner's launches must reach
 * real tools with no click but the learner's own "Launch", in a frame and in a new window.
 */
interface DemoLogin {
  readonly role: string;
  readonly email: string;
  readonly password: string;
}

/** The tools' own pages, as they say so (test/support/lti1p1-tool.ts, lti1p3-tool.ts). */
const TOOL_HEADING = { '1.1': 'Tool launched', '1.3': 'LTI 1.3 tool launched' } as const;

/** The platform runs at http://localhost:<port> (PUBLIC_URL's default); tools on localhost are the same site. */
const onLocalhost = (url: string) => url.replace('//127.0.0.1:', '//localhost:');

describe('the release: the build npm start serves, on the embedded database with the demo data', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tms-release-'));
  let start: EmbeddedStart;
  let baseUrl: string;
  let bannerOutput: string;
  let logins: Map<string, DemoLogin>;
  let browser: Browser;
  let tool1p1: Lti1p1Tool;
  let tool1p3: Lti1p3Tool;
  const launchPaths = new Map<string, string>();

  beforeAll(async () => {
    const port = await freePort();
    start = startOnEmbeddedDatabase(dataDir, port, await freePort());
    baseUrl = `http://localhost:${port}`;
    await waitForSignInPage(port, start);
    bannerOutput = start.output();
    logins = new Map(
      [...bannerOutput.matchAll(/^ {2}(\w+)\s+(\S+@\S+)\s+(\S+)\s+\(/gm)].map(([, role, email, password]) => [
        email.split('@')[0],
        { role, email, password },
      ]),
    );
    browser = await launchBrowser({ popupBlocking: true });
    tool1p1 = await startLti1p1Tool({ consumerKey: 'release-key', consumerSecret: 'release-secret-0123456789' });
    tool1p3 = await startLti1p3Tool();
    await provisionLaunches();
  });

  afterAll(async () => {
    await browser?.close();
    await tool1p1?.close();
    await tool1p3?.close();
    if (start) await stopProcess(start.child, 'SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** As the demo's people would: the admin registers both tools, the author builds a course, the learner is assigned it. */
  async function provisionLaunches(): Promise<void> {
    const admin = await ApiClient.signIn(baseUrl, logins.get('admin')!.email, logins.get('admin')!.password);
    const organizations = (await admin.get('/api/v1/organizations?limit=100')).body.items as Array<{
      id: string;
      parentId: string | null;
    }>;
    const top = organizations.find((o) => o.parentId === null)!.id;
    const providers: Array<{ version: '1.1' | '1.3'; presentation: 'iframe' | 'window'; id: string; url: string }> = [];
    for (const presentation of ['iframe', 'window'] as const) {
      const created = await admin.post('/api/v1/lti/providers', {
        name: `Lab 1.1 ${presentation}`,
        organizationId: top,
        ltiVersion: '1.1',
        consumerKey: 'release-key',
        sharedSecret: 'release-secret-0123456789',
        presentation,
        availableOrganizationIds: [top],
      });
      expect(created.status).toBe(201);
      providers.push({ version: '1.1', presentation, id: created.body.id, url: onLocalhost(tool1p1.launchUrl) });
      const registered = await registerToolAsProvider(admin, tool1p3, baseUrl, top, {
        name: `Lab 1.3 ${presentation}`,
        loginUrl: onLocalhost(tool1p3.loginUrl),
        redirectUris: [onLocalhost(tool1p3.launchUrl)],
        targetLinkUri: onLocalhost(tool1p3.launchUrl),
        presentation,
      });
      providers.push({ version: '1.3', presentation, id: registered.id, url: onLocalhost(tool1p3.launchUrl) });
    }
    const author = await ApiClient.signIn(baseUrl, logins.get('author')!.email, logins.get('author')!.password);
    const course = (await author.post('/api/v1/courses', { title: 'Release course', organizationId: top })).body;
    const learner = (await admin.get(`/api/v1/users?search=${encodeURIComponent(logins.get('learner1')!.email)}`)).body
      .items[0];
    const assignment = await admin.post('/api/v1/self-paced-assignments', { courseId: course.id, userId: learner.id });
    expect(assignment.status).toBe(201);
    for (const provider of providers) {
      const name = `Lab ${provider.version} ${provider.presentation}`;
      const link = await admin.post('/api/v1/lti/resource-links', {
        name,
        organizationId: top,
        providerId: provider.id,
        url: provider.url,
        availableOrganizationIds: [top],
      });
      expect(link.status).toBe(201);
      const activity = await author.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.body.id });
      expect(activity.status).toBe(201);
      launchPaths.set(name, `/learn/enrollments/${assignment.body.id}/activities/${activity.body.id}/launch`);
    }
  }

  /** Every response of the platform's origin that failed, and every request that failed to complete. */
  function watchFailures(page: Page | BrowserContext): string[] {
    const failures: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).origin === baseUrl && response.status() >= 400) {
        failures.push(`${response.status()} ${response.url()}`);
      }
    });
    // A request the browser dropped because the page moved on (net::ERR_ABORTED) did not fail.
    page.on('requestfailed', (request) => {
      const error = request.failure()?.errorText;
      if (new URL(request.url()).origin === baseUrl && error !== 'net::ERR_ABORTED') {
        failures.push(`${error} ${request.url()}`);
      }
    });
    return failures;
  }

  async function signedIn(who: string): Promise<{ context: BrowserContext; page: Page; failures: string[] }> {
    const { context, page } = await newPage(browser, baseUrl);
    const failures = watchFailures(context);
    await signInThroughForm(page, logins.get(who)!.email, logins.get(who)!.password);
    return { context, page, failures };
  }

  it('should print the URL and the demo sign-ins last, with no route-mapping chatter or warning before them', () => {
    const lines = bannerOutput.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^ {2}learner\s+learner2@demo\.example\.com\s+\S+\s+\(Engineering\)$/);
    expect(bannerOutput).toContain(`TMS is running at ${baseUrl}`);
    expect(bannerOutput).not.toMatch(/Mapped \{|RoutesResolver|InstanceLoader/);
    const logged = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number });
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((entry) => entry.level >= 40)).toEqual([]);
    expect([...logins.values()].map((login) => login.role)).toEqual([
      'site_admin',
      'course_author',
      'instructor',
      'learner',
      'learner',
    ]);
  });

  it.each([
    [
      'admin',
      [
        'Home',
        'Site Administration',
        'Organizations',
        'People',
        'LTI',
        'Audit log',
        'Courses',
        'Classes',
        'My learning',
      ],
    ],
    ['author', ['Home', 'Courses', 'My learning']],
    ['instructor', ['Home', 'Classes', 'My learning']],
    ['learner1', ['Home', 'My learning']],
  ])('should serve every main page of %s styled, with its scripts, and no failed request', async (who, menu) => {
    const { context, page, failures } = await signedIn(who);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(menu);
    const hrefs = await nav.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    for (const href of hrefs) {
      await page.goto(href);
      // app.css sets these; the browser's defaults are white and serif.
      expect({ href, ...((await page.evaluate(appliedStyle)) as object) }).toEqual({
        href,
        background: 'rgb(246, 247, 249)',
        font: expect.stringContaining('system-ui'),
      });
      // A page's own links lead to its sub-pages (a course, a class, a provider): one level down.
      const sub = await page
        .locator('main a[href^="/"]')
        .evaluateAll((links) =>
          links.map((a) => a.getAttribute('href')!).filter((h) => !/\/(launch|preview)$/.test(h)),
        );
      for (const subHref of [...new Set(sub)].slice(0, 6)) {
        await page.goto(subHref);
        expect({ subHref, ...((await page.evaluate(appliedStyle)) as object) }).toMatchObject({
          background: 'rgb(246, 247, 249)',
        });
      }
    }
    expect(failures).toEqual([]);
    await context.close();
  });

  it('should send API answers unkept and without a validator, and static files with theirs', async () => {
    const admin = await ApiClient.signIn(baseUrl, logins.get('admin')!.email, logins.get('admin')!.password);
    const answer = await admin.get('/api/v1/organizations');
    expect([answer.status, answer.headers.get('cache-control'), answer.headers.get('etag')]).toEqual([
      200,
      'no-store',
      null,
    ]);
    const stylesheet = await fetch(`${baseUrl}/static/app.css`);
    const etag = stylesheet.headers.get('etag');
    expect([stylesheet.status, stylesheet.headers.get('cache-control'), etag]).toEqual([
      200,
      'no-cache',
      expect.stringMatching(/^W\/"/),
    ]);
    // As a browser revalidates (fetch() would add Cache-Control: no-cache to a conditional request).
    const revalidated = await new Promise<number | undefined>((resolve, reject) =>
      get(`${baseUrl}/static/app.css`, { headers: { 'if-none-match': etag! } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', reject),
    );
    expect(revalidated).toBe(304);
  });

  it('should show only the chosen LTI version fields on the provider form, and copy platform details to the clipboard', async () => {
    const { context, page, failures } = await signedIn('admin');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    await page.goto('/admin/lti/providers/new');
    await page.getByRole('radio', { name: 'LTI 1.1' }).check();
    expect(await page.locator('fieldset[data-lti-version="1.1"]').isVisible()).toBe(true);
    expect(await page.locator('fieldset[data-lti-version="1.3"]').isHidden()).toBe(true);
    await page.getByRole('radio', { name: 'LTI 1.3' }).check();
    expect(await page.locator('fieldset[data-lti-version="1.1"]').isHidden()).toBe(true);
    expect(await page.locator('fieldset[data-lti-version="1.3"]').isVisible()).toBe(true);

    await page.goto('/admin/lti/providers');
    await page.getByRole('link', { name: 'Lab 1.3 iframe' }).click();
    const copy = page.getByRole('button', { name: 'Copy Issuer' });
    await copy.click();
    await page.getByRole('button', { name: 'Copy Issuer' }).filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(baseUrl);
    expect(failures).toEqual([]);
    await context.close();
  });

  it.each(['1.1', '1.3'] as const)(
    'should launch the learner into the LTI %s tool inside the frame with no click but Launch',
    async (version) => {
      const { context, page, failures } = await signedIn('learner1');
      const before = launchesOf(version);
      await page.goto(launchPaths.get(`Lab ${version} iframe`)!.replace(/\/activities\/.*$/, ''));
      await launchButton(page, `Lab ${version} iframe`).click();
      await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: TOOL_HEADING[version] }).waitFor();
      expect(await verifiedLaunches(version, before)).toBe(1);
      expect(failures).toEqual([]);
      await context.close();
    },
  );

  it.each(['1.1', '1.3'] as const)(
    'should launch the learner into the LTI %s tool in a new window with no click but Launch',
    async (version) => {
      const { context, page, failures } = await signedIn('learner1');
      const before = launchesOf(version);
      // The popup blocker is on, as in a person's browser: a window a page's script opens by itself is refused.
      await page.goto('data:text/html,<script>document.title = String(window.open("about:blank") === null)</script>');
      expect(await page.title()).toBe('true');
      await page.goto(launchPaths.get(`Lab ${version} window`)!.replace(/\/activities\/.*$/, ''));
      const [window] = await Promise.all([
        context.waitForEvent('page'),
        launchButton(page, `Lab ${version} window`).click(),
      ]);
      await window.getByRole('heading', { name: TOOL_HEADING[version] }).waitFor();
      expect(await verifiedLaunches(version, before)).toBe(1);
      expect(failures).toEqual([]);
      await context.close();
    },
  );

  it('should never post a stale id_token when scripts are off: a late click starts the launch afresh', async () => {
    const { context, page } = await newPage(browser, baseUrl, { javaScriptEnabled: false });
    await signInThroughForm(page, logins.get('learner1')!.email, logins.get('learner1')!.password);
    const before = tool1p3.launches.length;
    const refusalsBefore = tool1p3.refusals.length;
    await page.goto(launchPaths.get('Lab 1.3 iframe')!);
    const frame = page.frameLocator('iframe.lti-frame');
    // Without scripts nothing is posted until the learner asks; the tool then sends the frame to us.
    await page.getByRole('button', { name: 'load it' }).click();
    const late = frame.getByRole('button', { name: 'Continue' });
    await late.waitFor();
    // The id_token on that page is good for 3 s at the tool; clicked later, it must not be posted.
    await page.waitForTimeout(3_500);
    await late.click();
    await frame.getByRole('button', { name: 'Continue to Lab 1.3 iframe' }).click();
    await frame.getByRole('button', { name: 'Continue', exact: true }).click();
    await frame.getByRole('heading', { name: TOOL_HEADING['1.3'] }).waitFor();
    expect(tool1p3.launches.length - before).toBe(1);
    expect(tool1p3.refusals.slice(refusalsBefore).filter((r) => !r.path.includes('favicon'))).toEqual([]);
    await context.close();
  });

  it('should have logged no 404 and no error while it was used', () => {
    const entries = start
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; res?: { statusCode: number }; req?: { path: string } });
    expect(entries.filter((e) => e.res?.statusCode === 404).map((e) => e.req?.path)).toEqual([]);
    expect(entries.filter((e) => e.level >= 50)).toEqual([]);
  });

  function launchButton(page: Page, activity: string) {
    return page.locator('li', { hasText: activity }).getByRole('link', { name: 'Launch' });
  }

  function launchesOf(version: '1.1' | '1.3'): number {
    return version === '1.1' ? tool1p1.launches.length : tool1p3.launches.length;
  }

  /** How many launches arrived since `before`, each validated by the tool itself. */
  async function verifiedLaunches(version: '1.1' | '1.3', before: number): Promise<number> {
    if (version === '1.1') {
      const launch = await tool1p1.waitForLaunch(before + 1);
      expect({ valid: launch.valid, error: launch.error }).toEqual({ valid: true, error: null });
      return tool1p1.launches.length - before;
    }
    await tool1p3.waitForLaunch(before + 1);
    expect(tool1p3.refusals.filter((r) => !r.path.includes('favicon'))).toEqual([]);
    return tool1p3.launches.length - before;
  }
});

/** What app.css makes of the page's body, as the browser computed it. */
const appliedStyle =
  '(() => { const s = getComputedStyle(document.body); return { background: s.backgroundColor, font: s.fontFamily }; })()';
