import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, signedInPage } from '../support/browser';
import { Lti1p3Tool, startLti1p3Tool } from '../support/lti1p3-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const LEARNER = 'onboarding-learner@example.com';
const PASSWORD = 'a-long-test-password';
const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

describe('Tool onboarding: register first, key later, against a real LTI 1.3 tool (ltijs)', () => {
  let testApp: BuiltApp;
  let tool: Lti1p3Tool;
  let browser: Browser;
  let root: ApiClient;
  let organizationId: string;
  let learnerId: string;
  const contexts: BrowserContext[] = [];

  const signedIn = (email: string, password: string): Promise<Page> =>
    signedInPage(browser, testApp.baseUrl, contexts, email, password);

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p3Tool();
    browser = await launchBrowser();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    organizationId = (await root.post('/api/v1/organizations', { name: 'Onboarding' })).body.id;
    learnerId = (await createPerson(root, { email: LEARNER, organizationId, role: 'learner', password: PASSWORD })).id;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should serve an OpenID configuration with every member Dynamic Registration §3.4 requires when a tool asks', async () => {
    const response = await fetch(`${testApp.baseUrl}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const configuration = (await response.json()) as Record<string, unknown>;
    expect(configuration).toMatchObject({
      issuer: testApp.baseUrl,
      authorization_endpoint: `${testApp.baseUrl}/lti/1p3/authorize`,
      token_endpoint: `${testApp.baseUrl}/lti/1p3/token`,
      jwks_uri: `${testApp.baseUrl}/.well-known/jwks.json`,
      registration_endpoint: `${testApp.baseUrl}/lti/1p3/registrations`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      response_types_supported: ['id_token'],
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
    });
    expect(configuration.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'https://purl.imsglobal.org/spec/lti-ags/scope/score']),
    );
    expect(configuration[PLATFORM_CONFIGURATION]).toMatchObject({
      product_family_code: 'tms-lti-consumer',
      messages_supported: expect.arrayContaining([expect.objectContaining({ type: 'LtiResourceLinkRequest' })]),
      variables: expect.arrayContaining(['User.id', 'Context.id']),
    });
    // Whatever the published keys say, the configuration names the JWKS that really serves them.
    const jwks = (await (await fetch(configuration.jwks_uri as string)).json()) as { keys: unknown[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
  });

  it('should save a 1.3 provider before its tool has a key, refuse launches until the check finds one, then launch', async () => {
    // ltijs serves an empty JWKS until it knows the client_id we issue: the order a new user meets.
    expect(((await (await fetch(tool.jwksUrl)).json()) as { keys: unknown[] }).keys).toEqual([]);
    const created = await root.post('/api/v1/lti/providers', {
      name: 'Key later',
      organizationId,
      ltiVersion: '1.3',
      loginUrl: tool.loginUrl,
      redirectUris: [tool.launchUrl],
      targetLinkUri: tool.launchUrl,
      jwksUrl: tool.jwksUrl,
      availableOrganizationIds: [organizationId],
    });
    expect(created.status).toBe(201);
    expect(created.body.toolKey).toMatchObject({ status: 'waiting', problem: expect.stringMatching(/^jwksUrl /) });
    const { id: providerId, platform } = created.body as { id: string; platform: Record<string, string> };

    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Key later unit',
      organizationId,
      providerId,
      url: tool.launchUrl,
      availableOrganizationIds: [organizationId],
    });
    expect(link.status).toBe(201);
    const author = await createPerson(root, {
      email: 'onboarding-author@example.com',
      organizationId,
      role: 'course_author',
    });
    const course = await author.client.post('/api/v1/courses', { title: 'Keys', code: 'KEY-1', organizationId });
    const activity = await author.client.post(`/api/v1/courses/${course.body.id}/activities`, {
      resourceLinkId: link.body.id,
    });
    expect(activity.status).toBe(201);
    const instructor = await createPerson(root, {
      email: 'onboarding-instructor@example.com',
      organizationId,
      role: 'instructor',
    });
    const enrollment = await instructor.client.post('/api/v1/self-paced-assignments', {
      courseId: course.body.id,
      userId: learnerId,
    });
    expect(enrollment.status).toBe(201);
    const launchPath = `/learn/enrollments/${enrollment.body.id}/activities/${activity.body.id}/launch`;

    // The provider page says what it waits for and hands over every platform value, also as one JSON.
    const admin = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.goto('/admin/lti/providers');
    await expect(admin.locator('tr', { hasText: 'Key later' }).locator('[data-key-waiting]').count()).resolves.toBe(1);
    await admin.goto(`/admin/lti/providers/${providerId}`);
    await admin.locator('[data-key-status="waiting"]').getByText('waiting for the tool’s key').waitFor();
    const pasted = JSON.parse((await admin.locator('[data-platform-json]').textContent()) ?? '') as Record<
      string,
      string
    >;
    expect(pasted).toMatchObject({
      issuer: testApp.baseUrl,
      client_id: platform.clientId,
      deployment_id: platform.deploymentId,
      jwks_uri: `${testApp.baseUrl}/.well-known/jwks.json`,
      openid_configuration: `${testApp.baseUrl}/.well-known/openid-configuration`,
    });

    // A learner's launch while the tool serves no key stops on our page, and nothing reaches the tool.
    const learner = await signedIn(LEARNER, PASSWORD);
    const launchesBefore = tool.launches.length;
    const refused = await learner.goto(launchPath);
    expect(refused?.status()).toBe(409);
    await learner.getByRole('heading', { name: 'This tool is not ready yet' }).waitFor();
    await expect(learner.getByText('waiting for the tool’s key').count()).resolves.toBeGreaterThan(0);
    expect(tool.launches.length).toBe(launchesBefore);

    // The vendor registers the platform with the values pasted from our page; the tool now has a key.
    await tool.registerPlatform({
      url: pasted.issuer,
      name: 'TMS',
      clientId: pasted.client_id,
      authenticationEndpoint: pasted.authorization_endpoint,
      accesstokenEndpoint: pasted.token_endpoint,
      jwksUrl: pasted.jwks_uri,
    });
    await admin.getByRole('button', { name: 'Check the tool’s key now' }).click();
    await admin.getByText('The tool’s key was fetched: the provider is ready.').waitFor();
    await admin.locator('[data-key-status="ready"]').waitFor();
    const ready = await root.get(`/api/v1/lti/providers/${providerId}`);
    expect(ready.body.toolKey).toMatchObject({ status: 'ready', problem: null, checkedAt: expect.any(String) });
    const audit = await testApp.dataSource.query(
      `SELECT action FROM audit_events WHERE entity_id = $1 AND action = 'check_key'`,
      [providerId],
    );
    expect(audit).toHaveLength(1);

    // The self-test: the login URL answers, the redirect URI is well-formed, the tool's key is published.
    await admin.getByRole('button', { name: 'Run the self-test' }).click();
    await admin.locator('[data-self-test]').waitFor();
    expect(await admin.locator('[data-self-test] tr[data-check-ok="false"]').count()).toBe(0);
    expect(await admin.locator('[data-self-test]').textContent()).toContain('JWKS fetched');
    const keyRow = (await admin.locator('[data-self-test-keys] tbody tr').first().textContent()) ?? '';
    expect(keyRow).toContain(await tool.keyId());
    expect(keyRow).toContain('RS256');
    expect(keyRow).toContain('4096 bits');

    await learner.goto(launchPath);
    await learner.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    const launch = await tool.waitForLaunch(launchesBefore + 1);
    expect(launch.claims).toMatchObject({ iss: testApp.baseUrl, aud: platform.clientId, sub: learnerId });
  });

  it('should answer the key check with the provider still waiting and the reason when the tool serves no key', async () => {
    const created = await root.post('/api/v1/lti/providers', {
      name: 'Never keyed',
      organizationId,
      ltiVersion: '1.3',
      loginUrl: tool.loginUrl,
      redirectUris: [tool.launchUrl],
      targetLinkUri: tool.launchUrl,
      jwksUrl: `${tool.baseUrl}/no-such-jwks`,
    });
    expect(created.status).toBe(201);
    const checked = await root.post(`/api/v1/lti/providers/${created.body.id}/key-check`, {});
    expect(checked.status).toBe(200);
    expect(checked.body.toolKey).toMatchObject({ status: 'waiting', problem: expect.stringMatching(/^jwksUrl /) });
  });

  it('should refuse a key check of an LTI 1.1 provider with a problem, not a server error', async () => {
    const created = await root.post('/api/v1/lti/providers', {
      name: 'Eleven',
      organizationId,
      ltiVersion: '1.1',
      consumerKey: 'key-11',
      sharedSecret: 'a-shared-secret-of-some-length',
    });
    expect(created.status).toBe(201);
    const checked = await root.post(`/api/v1/lti/providers/${created.body.id}/key-check`, {});
    expect(checked.status).toBe(400);
    expect(checked.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
