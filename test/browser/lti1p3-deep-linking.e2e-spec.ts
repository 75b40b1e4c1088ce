import { Browser } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm, textOf } from '../support/browser';
import { Lti1p3Tool, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const AUTHOR = 'dl-author@example.com';
const LEARNER = 'dl-learner@example.com';
const PASSWORD = 'a-long-test-password';

describe('LTI 1.3 Deep Linking in a browser, against a real LTI 1.3 tool (ltijs)', () => {
  let testApp: BuiltApp;
  let tool: Lti1p3Tool;
  let browser: Browser;
  let courseId: string;
  let deploymentId: string;
  let learnerId: string;
  let instructor: ApiClient;

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p3Tool();
    browser = await launchBrowser();
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Linking' })).body.id;
    const { deploymentId: registeredDeployment } = await registerToolAsProvider(root, tool, testApp.baseUrl, org, {
      name: 'Picker 1.3',
      targetLinkUri: tool.deepLinkUrl,
      services: ['deep_linking'],
    });
    deploymentId = registeredDeployment;
    const author = (await createPerson(root, { email: AUTHOR, organizationId: org, role: 'course_author' })).client;
    courseId = (await author.post('/api/v1/courses', { title: 'Picked with 1.3', organizationId: org })).body.id;
    instructor = (
      await createPerson(root, { email: 'dl-teacher@example.com', organizationId: org, role: 'instructor' })
    ).client;
    learnerId = (await createPerson(root, { email: LEARNER, organizationId: org, role: 'learner' })).id;
  });

  afterAll(async () => {
    tool?.setDeepLinkingReply(null);
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should turn the tool’s ltiResourceLink into an activity that then launches when the author picks content', async () => {
    tool.setDeepLinkingReply(() => ({
      items: [
        {
          type: 'ltiResourceLink',
          title: 'Picked lab',
          url: tool.launchUrl,
          custom: { level: 'advanced' },
          lineItem: { scoreMaximum: 100, label: 'Picked lab' },
        },
      ],
      options: { message: 'One lab picked' },
    }));
    const { context, page } = await newPage(browser, testApp.baseUrl);
    await signInThroughForm(page, AUTHOR, PASSWORD);
    await page.goto(`/author/courses/${courseId}`);
    const before = tool.launches.length;
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/lti/1p3/deep-linking/return', { timeout: 15_000 }),
      page.getByRole('link', { name: 'Add from Picker 1.3' }).click(),
    ]);
    expect(await textOf(page, 'h1')).toBe('One activity was added');
    expect(await textOf(page, '.notice')).toBe('One lab picked');
    const request = await tool.waitForLaunch(before + 1);
    expect(request.claims).toMatchObject({
      [`${LTI}message_type`]: 'LtiDeepLinkingRequest',
      [`${LTI}deployment_id`]: deploymentId,
      [`${DL}deep_linking_settings`]: {
        deep_link_return_url: `${testApp.baseUrl}/lti/1p3/deep-linking/return`,
        accept_types: ['ltiResourceLink'],
        accept_multiple: true,
        auto_create: false,
      },
    });
    expect(request.claims).not.toHaveProperty(`${LTI}resource_link`);
    const [activity] = (await testApp.dataSource.query(
      `SELECT a.id, l.url, l.custom_parameters, l.requires_score_for_completion FROM course_activities a
           JOIN lti_resource_links l ON l.id = a.resource_link_id WHERE a.course_id = $1`,
      [courseId],
    )) as { id: string; url: string; custom_parameters: unknown; requires_score_for_completion: boolean }[];
    expect(activity).toMatchObject({
      url: tool.launchUrl,
      custom_parameters: [{ name: 'level', value: 'advanced' }],
      requires_score_for_completion: true,
    });
    await context.close();

    // The new activity launches for a learner, with the picked custom parameter.
    const enrollment = (await instructor.post('/api/v1/self-paced-assignments', { courseId, userId: learnerId })).body;
    const learner = await newPage(browser, testApp.baseUrl);
    await signInThroughForm(learner.page, LEARNER, PASSWORD);
    await learner.page.goto(`/learn/enrollments/${enrollment.id}/activities/${activity.id}/launch`);
    await learner.page
      .frameLocator('iframe.lti-frame')
      .getByRole('heading', { name: 'LTI 1.3 tool launched' })
      .waitFor();
    const launch = await tool.waitForLaunch(before + 2);
    expect(launch.claims).toMatchObject({
      sub: learnerId,
      [`${LTI}message_type`]: 'LtiResourceLinkRequest',
      [`${LTI}custom`]: { level: 'advanced' },
    });
    await learner.context.close();
  });
});
