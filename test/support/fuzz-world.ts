import { ApiClient, createPerson } from './api-client';
import { AGS_SCOPES, NRPS_MEMBERSHIP_SCOPE, registerServiceTool, requestServiceToken } from './lti-services-client';

/** The real rows the fuzzer aims at, so that requests get past "not found" into the code behind. */
export interface FuzzFixtures {
  readonly org: string;
  readonly learnerId: string;
  readonly learnerEmail: string;
  readonly learnerPassword: string;
  readonly membership: string;
  /** An LTI 1.3 tool with every service, and its client_id. */
  readonly providerId: string;
  readonly clientId: string;
  /** An LTI 1.1 tool, its consumer key and secret. */
  readonly lti1p1ProviderId: string;
  readonly consumer: { readonly key: string; readonly secret: string };
  readonly link: string;
  readonly course: string;
  readonly activity: string;
  readonly courseClass: string;
  /** The learner's enrollment in the class, and their self-paced one. */
  readonly enrollment: string;
  readonly selfPaced: string;
  /** An access token of the 1.3 tool with every AGS and NRPS scope. */
  readonly serviceToken: string;
  /** The platform's line item of the placement in the class. */
  readonly lineItemId: string;
}

/** An organization with a learner, two tools, a link placed in a course, a class and enrollments. */
export async function createFixtures(baseUrl: string, admin: ApiClient): Promise<FuzzFixtures> {
  const created = async (path: string, body: unknown) => {
    const response = await admin.post(path, body);
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${response.text}`);
    return response.body.id as string;
  };
  const org = await created('/api/v1/organizations', { name: 'Fuzz' });
  const learner = await createPerson(admin, {
    email: 'fuzz-learner@example.com',
    organizationId: org,
    role: 'learner',
  });
  const membership = (await admin.get(`/api/v1/users/${learner.id}/memberships`)).body[0].id;
  const tool = await registerServiceTool(admin, {
    name: 'Fuzz tool',
    organizationId: org,
    services: ['grades', 'roster', 'deep_linking'],
  });
  const consumer = { key: 'fuzz-consumer', secret: 'fuzz-shared-secret-0123456789' };
  const lti1p1ProviderId = await created('/api/v1/lti/providers', {
    name: 'Fuzz 1.1 tool',
    organizationId: org,
    ltiVersion: '1.1',
    consumerKey: consumer.key,
    sharedSecret: consumer.secret,
    availableOrganizationIds: [org],
  });
  const link = await created('/api/v1/lti/resource-links', {
    name: 'Fuzz quiz',
    organizationId: org,
    providerId: tool.id,
    url: 'http://127.0.0.1:9/launch',
    requiresScoreForCompletion: true,
    availableOrganizationIds: [org],
  });
  const course = await created('/api/v1/courses', { title: 'Fuzz course', organizationId: org });
  const activity = await created(`/api/v1/courses/${course}/activities`, { resourceLinkId: link });
  const courseClass = await created('/api/v1/classes', { courseId: course, title: 'Fuzz class' });
  const enrollment = await created(`/api/v1/classes/${courseClass}/enrollments`, { userId: learner.id });
  const selfPaced = await created('/api/v1/self-paced-assignments', { courseId: course, userId: learner.id });
  const scopes = [...Object.values(AGS_SCOPES), NRPS_MEMBERSHIP_SCOPE].join(' ');
  const serviceToken = await requestServiceToken(baseUrl, tool, scopes);
  const items = await fetch(`${baseUrl}/lti/1p3/ags/contexts/${courseClass}/lineitems`, {
    headers: { authorization: `Bearer ${serviceToken}` },
  });
  const lineItemId = String(((await items.json()) as Array<{ id: string }>)[0].id.split('/').pop());

  return {
    org,
    learnerId: learner.id,
    learnerEmail: 'fuzz-learner@example.com',
    learnerPassword: 'a-long-test-password',
    membership,
    providerId: tool.id,
    clientId: tool.clientId,
    lti1p1ProviderId,
    consumer,
    link,
    course,
    activity,
    courseClass,
    enrollment,
    selfPaced,
    serviceToken,
    lineItemId,
  };
}
