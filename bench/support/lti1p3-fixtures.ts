import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { ApiClient } from '../../test/support/api-client';
import { FormSession } from '../../test/support/form-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../../test/support/test-app';
import { createSelfPacedLearner, expectCreated, mapWithConcurrency, range } from './lti1p1-fixtures';
import { BenchHttpClient, launchOnce, LoginFields } from './lti1p3-launch';

/** One learner in a self-paced assignment, signed in through the login form, launched once. */
export interface Lti1p3Learner {
  readonly email: string;
  readonly enrollmentId: string;
  readonly launchPath: string;
  /** The browser's Cookie header (the session cookie). */
  readonly cookie: string;
}

export interface Lti1p3Fixtures {
  readonly providerId: string;
  /** Ours for the tool (the provider's platform details), as the login initiation carries them. */
  readonly clientId: string;
  readonly deploymentId: string;
  readonly issuer: string;
  /** The registered redirect URI the simulated tool asks the id_token to be posted to. */
  readonly redirectUri: string;
  readonly learners: readonly Lti1p3Learner[];
  /** The login initiation and id_token of the first learner's set-up launch. */
  readonly firstLogin: LoginFields;
  readonly firstIdToken: string;
}

const PASSWORD = 'a-long-bench-password';
// Nothing listens there: the bench client plays the tool's part, nobody posts the forms.
const TOOL_ORIGIN = 'http://127.0.0.1:9';
const LOGIN_URL = `${TOOL_ORIGIN}/login`;
const LAUNCH_URL = `${TOOL_ORIGIN}/launch`;

/** An LTI 1.3 tool registered and placed in a course, and the key it signs with. */
export interface Lti1p3Placement {
  /** The site administrator's API client. */
  readonly root: ApiClient;
  readonly organizationId: string;
  readonly providerId: string;
  readonly platform: {
    readonly clientId: string;
    readonly deploymentId: string;
    readonly issuer: string;
    readonly tokenUrl: string;
  };
  /** The private half of the key registered as the provider's PEM. */
  readonly toolPrivateKey: KeyObject;
  readonly courseId: string;
  readonly activityId: string;
}

/**
 * Through the JSON API, as an administrator would: an organization, an LTI 1.3 provider (its login
 * URL, one redirect URI, a public key of its own in PEM, the LTI Advantage `services` given) that
 * gets names and emails, a placement that requires a score, and a course holding it.
 */
export async function placeLti1p3Tool(
  baseUrl: string,
  options: { services?: readonly string[] } = {},
): Promise<Lti1p3Placement> {
  const root = await ApiClient.signIn(baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
  const rootOrganization = (await expectCreated(root.get('/api/v1/organizations'), 200)).items[0].id;
  const organization = (await expectCreated(root.post('/api/v1/organizations', { name: 'Bench academy' }))).id;
  const toolKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = (await expectCreated(
    root.post('/api/v1/lti/providers', {
      name: 'Bench tool 1.3',
      organizationId: rootOrganization,
      ltiVersion: '1.3',
      loginUrl: LOGIN_URL,
      redirectUris: [LAUNCH_URL],
      targetLinkUri: LAUNCH_URL,
      publicKeyPem: String(toolKey.publicKey.export({ type: 'spki', format: 'pem' })),
      privacy: 'public',
      customParameters: 'course_level=intermediate\ntopic=secure coding\nattempts=3\nwho=$User.id',
      ...(options.services ? { services: options.services } : {}),
    }),
  )) as unknown as { id: string; platform?: Lti1p3Placement['platform'] };
  if (!provider.platform) throw new Error('the LTI 1.3 provider came back without its platform details');
  const link = await expectCreated(
    root.post('/api/v1/lti/resource-links', {
      name: 'Bench lab 1.3',
      organizationId: rootOrganization,
      providerId: provider.id,
      url: LAUNCH_URL,
      customParameters: 'lab=injection\nlab_variant=b\ncontext=$Context.id',
      requiresScoreForCompletion: true,
      passingScore: 50,
      availableOrganizationIds: [organization],
    }),
  );
  const course = await expectCreated(
    root.post('/api/v1/courses', { title: 'Bench course 1.3', code: 'BENCH-13', organizationId: organization }),
  );
  const activity = await expectCreated(
    root.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.id }),
  );
  return {
    root,
    organizationId: organization,
    providerId: provider.id,
    platform: provider.platform,
    toolPrivateKey: toolKey.privateKey,
    courseId: course.id,
    activityId: activity.id,
  };
}

/**
 * The tool placed (placeLti1p3Tool) and `learners` learners with a self-paced assignment each.
 * Every learner signs in through the login form and makes one complete launch.
 */
export async function createLti1p3Fixtures(baseUrl: string, learnerCount: number): Promise<Lti1p3Fixtures> {
  const placed = await placeLti1p3Tool(baseUrl);
  const { root, platform } = placed;
  const client = new BenchHttpClient(baseUrl, 4);
  try {
    // Password hashing (scrypt) dominates: a few at a time keep the libuv pool busy without queueing.
    const learners = await mapWithConcurrency(range(learnerCount), 4, async (i) => {
      const email = `bench-learner13-${String(i).padStart(3, '0')}@example.com`;
      const { enrollmentId } = await createSelfPacedLearner(root, {
        email,
        name: `Bench Learner ${i}`,
        password: PASSWORD,
        organizationId: placed.organizationId,
        courseId: placed.courseId,
      });
      const browser = new FormSession(baseUrl);
      await browser.signIn(email, PASSWORD);
      // FormSession keeps its cookies to itself; the load generator needs the same header.
      const cookie = (browser as unknown as { cookieHeader(): string }).cookieHeader();
      const launchPath = `/learn/enrollments/${enrollmentId}/activities/${placed.activityId}/launch`;
      const first = await launchOnce(client, { path: launchPath, cookie, redirectUri: LAUNCH_URL });
      if (!first.ok) throw new Error(`the first launch of ${email} failed: ${first.failure}`);
      return { learner: { email, enrollmentId, launchPath, cookie }, first };
    });
    const { first } = learners[0];
    if (!first.ok) throw new Error('unreachable');
    return {
      providerId: placed.providerId,
      clientId: platform.clientId,
      deploymentId: platform.deploymentId,
      issuer: platform.issuer,
      redirectUri: LAUNCH_URL,
      learners: learners.map((l) => l.learner),
      firstLogin: first.login,
      firstIdToken: first.idToken,
    };
  } finally {
    client.close();
  }
}
