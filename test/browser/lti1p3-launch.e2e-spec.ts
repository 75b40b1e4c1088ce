import { generateKeyPairSync } from 'node:crypto';
import { Browser } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm } from '../support/browser';
import { Lti1p3Tool, startLti1p3Tool } from '../support/lti1p3-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from '../support/test-app';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const LEARNER = 'lti13-learner@example.com';
const PASSWORD = 'a-long-test-password';

describe('LTI 1.3 launches in a browser, against a real LTI 1.3 tool (ltijs)', () => {
  let testApp: TestApp;
  let tool: Lti1p3Tool;
  let browser: Browser;
  let root: ApiClient;
  let clientId: string;
  let providerId: string;
  let enrollmentId: string;
  let activityId: string;
  let learnerId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    tool = await startLti1p3Tool();
    browser = await launchBrowser();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Thirteen' })).body.id;
    // The tool makes its key when our platform is registered with it, which needs our client_id:
    // register with a stand-in key first, then point at the tool's JWKS.
    const standIn = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const created = await root.post('/api/v1/lti/providers', {
      name: 'Lab 1.3',
      organizationId: org,
      ltiVersion: '1.3',
      loginUrl: tool.loginUrl,
      redirectUris: [tool.launchUrl, tool.deepLinkUrl],
      targetLinkUri: tool.launchUrl,
      publicKeyPem: String(standIn),
      privacy: 'public',
      customParameters: 'who=$User.id\ncontext=$Context.id',
      availableOrganizationIds: [org],
    });
    expect(created.status).toBe(201);
    providerId = created.body.id;
    clientId = created.body.platform.clientId;
    await tool.registerPlatform({
      url: testApp.baseUrl,
      name: 'TMS',
      clientId,
      authenticationEndpoint: `${testApp.baseUrl}/lti/1p3/authorize`,
      accesstokenEndpoint: `${testApp.baseUrl}/lti/1p3/token`,
      jwksUrl: `${testApp.baseUrl}/.well-known/jwks.json`,
    });
    expect((await root.patch(`/api/v1/lti/providers/${providerId}`, { jwksUrl: tool.jwksUrl })).status).toBe(200);
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Lab 1.3 unit',
      organizationId: org,
      providerId,
      url: tool.launchUrl,
      availableOrganizationIds: [org],
    });
    const author = (
      await createPerson(root, { email: 'lti13-author@example.com', organizationId: org, role: 'course_author' })
    ).client;
    const course = (await author.post('/api/v1/courses', { title: 'Thirteen course', organizationId: org })).body;
    activityId = (await author.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.body.id })).body
      .id;
    const instructor = (
      await createPerson(root, { email: 'lti13-teacher@example.com', organizationId: org, role: 'instructor' })
    ).client;
    const learner = await createPerson(root, {
      email: LEARNER,
      name: 'Grace Hopper',
      organizationId: org,
      role: 'learner',
    });
    learnerId = learner.id;
    enrollmentId = (await instructor.post('/api/v1/self-paced-assignments', { courseId: course.id, userId: learnerId }))
      .body.id;
  });

  afterAll(async () => {
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should complete the OIDC launch in the iframe and hand the tool a valid id_token with its claims', async () => {
    const { context, page } = await newPage(browser, testApp.baseUrl);
    await signInThroughForm(page, LEARNER, PASSWORD);
    const before = tool.launches.length;
    await page.goto(`/learn/enrollments/${enrollmentId}/activities/${activityId}/launch`);
    await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    const launch = await tool.waitForLaunch(before + 1);
    expect(launch.claims).toMatchObject({
      iss: testApp.baseUrl,
      aud: clientId,
      sub: learnerId,
      name: 'Grace Hopper',
      [`${LTI}message_type`]: 'LtiResourceLinkRequest',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}target_link_uri`]: tool.launchUrl,
      [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      [`${LTI}custom`]: { who: learnerId, context: expect.stringContaining(':self-paced') },
    });
    await context.close();
  });
});
