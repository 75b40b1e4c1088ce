import { Browser } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm } from '../support/browser';
import { Lti1p3Tool, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const LEARNER = 'cross-site-learner@example.com';
const PASSWORD = 'a-long-test-password';

/**
 * Debian's Chromium blocks third-party cookies. The platform runs at 127.0.0.1 and the tool is reached as
 * `localhost`: another site. Framed, the tool would lose its OIDC state cookie; the launch must open it in a
 * new window, where its cookies are first-party, and complete there.
 */
describe('an LTI 1.3 launch into a tool on another site, in a browser that blocks third-party cookies', () => {
  let testApp: BuiltApp;
  let tool: Lti1p3Tool;
  let browser: Browser;
  let launchPath: string;
  let providerId: string;

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p3Tool({ cookies: 'cross-site' });
    browser = await launchBrowser();
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Elsewhere' })).body.id;
    const onOtherSite = (url: string) => url.replace('//127.0.0.1:', '//localhost:');
    ({ id: providerId } = await registerToolAsProvider(root, tool, testApp.baseUrl, org, {
      name: 'Lab elsewhere',
      loginUrl: onOtherSite(tool.loginUrl),
      redirectUris: [onOtherSite(tool.launchUrl)],
      targetLinkUri: onOtherSite(tool.launchUrl),
      presentation: 'iframe',
    }));
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Lab elsewhere unit',
      organizationId: org,
      providerId,
      url: onOtherSite(tool.launchUrl),
      availableOrganizationIds: [org],
    });
    const author = (
      await createPerson(root, { email: 'cross-site-author@example.com', organizationId: org, role: 'course_author' })
    ).client;
    const course = (await author.post('/api/v1/courses', { title: 'Elsewhere course', organizationId: org })).body;
    const activity = (await author.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.body.id }))
      .body;
    const instructor = (
      await createPerson(root, { email: 'cross-site-teacher@example.com', organizationId: org, role: 'instructor' })
    ).client;
    const learnerId = (await createPerson(root, { email: LEARNER, organizationId: org, role: 'learner' })).id;
    const enrollment = (
      await instructor.post('/api/v1/self-paced-assignments', { courseId: course.id, userId: learnerId })
    ).body;
    launchPath = `/learn/enrollments/${enrollment.id}/activities/${activity.id}/launch`;
  });

  afterAll(async () => {
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should open the tool in a new window, not the frame the provider asks for, and complete the launch there', async () => {
    const { context, page } = await newPage(browser, testApp.baseUrl);
    await signInThroughForm(page, LEARNER, PASSWORD);
    const popup = context.waitForEvent('page', { timeout: 10_000 }).catch(() => null);
    await page.goto(launchPath);
    expect(await page.locator('iframe.lti-frame').count()).toBe(0);
    let window = await popup;
    if (!window) {
      [window] = await Promise.all([
        context.waitForEvent('page'),
        page.getByRole('button', { name: 'Open Lab elsewhere in a new window' }).click(),
      ]);
    }
    await window.getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    expect(new URL(window.url()).hostname).toBe('localhost');
    const launch = await tool.waitForLaunch(1);
    expect(launch.claims?.['https://purl.imsglobal.org/spec/lti/claim/launch_presentation']).toMatchObject({
      document_target: 'window',
    });
    expect(tool.refusals.filter((r) => !r.path.includes('favicon'))).toEqual([]);
    // No storage frame was offered: the login carried no lti_storage_target.
    expect(await page.locator('form.lti-launch input[name="lti_storage_target"]').count()).toBe(0);
    const records: { presentation_path: string }[] = await testApp.dataSource.query(
      'SELECT presentation_path FROM lti_launches WHERE provider_id = $1',
      [providerId],
    );
    expect(records.map((r) => r.presentation_path)).toEqual(['window_fallback']);
    await context.close();
  });
});
