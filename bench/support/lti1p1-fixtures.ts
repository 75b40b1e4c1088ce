import { ApiClient, ApiResponse } from '../../test/support/api-client';
import { FormSession } from '../../test/support/form-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../../test/support/test-app';

/** One learner in a self-paced assignment, signed in through the login form, launched once. */
export interface BenchLearner {
  readonly email: string;
  readonly enrollmentId: string;
  readonly launchPath: string;
  /** The browser's Cookie header (the session cookie). */
  readonly cookie: string;
  /** `lis_result_sourcedid` of this learner's launches: stable per enrollment, activity and person. */
  readonly sourcedId: string;
}

export interface Lti1p1Fixtures {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly learners: readonly BenchLearner[];
  /** `lis_outcome_service_url` as the launch sent it. */
  readonly outcomeServiceUrl: string;
  /** The launch form's action (the tool's URL) and its fields, as the first launch page carried them. */
  readonly launchAction: string;
  readonly launchFields: Readonly<Record<string, string>>;
}

// Only unreserved characters, as LTI 1.1 tools (ims-lti among them) expect of a shared secret.
const CONSUMER_KEY = 'bench-consumer-key';
const CONSUMER_SECRET = 'bench-secret-0123456789-._~abcdefghijklmnop';
const PASSWORD = 'a-long-bench-password';
// Nobody posts the launch form: the launch page only renders it.
const TOOL_URL = 'http://127.0.0.1:9/launch';

/**
 * Through the JSON API, as an administrator would: an organization, an LTI 1.1 provider that gets
 * names and emails, a placement that requires a score, a course holding it, and `learners`
 * learners with a self-paced assignment each. Every learner signs in through the login form and
 * launches once; the launch page gives their `lis_result_sourcedid`.
 */
export async function createLti1p1Fixtures(baseUrl: string, learnerCount: number): Promise<Lti1p1Fixtures> {
  const root = await ApiClient.signIn(baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
  const rootOrganization = (await expectCreated(root.get('/api/v1/organizations'), 200)).items[0].id;
  const organization = (await expectCreated(root.post('/api/v1/organizations', { name: 'Bench academy' }))).id;
  const provider = await expectCreated(
    root.post('/api/v1/lti/providers', {
      name: 'Bench tool',
      organizationId: rootOrganization,
      ltiVersion: '1.1',
      consumerKey: CONSUMER_KEY,
      sharedSecret: CONSUMER_SECRET,
      privacy: 'public',
      customParameters: 'course_level=intermediate\ntopic=secure coding\nattempts=3',
    }),
  );
  const link = await expectCreated(
    root.post('/api/v1/lti/resource-links', {
      name: 'Bench lab',
      organizationId: rootOrganization,
      providerId: provider.id,
      url: TOOL_URL,
      customParameters: 'lab=injection\nlab_variant=b',
      requiresScoreForCompletion: true,
      passingScore: 50,
      availableOrganizationIds: [organization],
    }),
  );
  const course = await expectCreated(
    root.post('/api/v1/courses', { title: 'Bench course', code: 'BENCH-1', organizationId: organization }),
  );
  const activity = await expectCreated(
    root.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.id }),
  );

  // Password hashing (scrypt) dominates: a few at a time keep the libuv pool busy without queueing.
  const learners = await mapWithConcurrency(range(learnerCount), 4, async (i) => {
    const email = `bench-learner-${String(i).padStart(3, '0')}@example.com`;
    const { enrollmentId } = await createSelfPacedLearner(root, {
      email,
      name: `Bench Learner ${i}`,
      password: PASSWORD,
      organizationId: organization,
      courseId: course.id,
    });
    const browser = new FormSession(baseUrl);
    await browser.signIn(email, PASSWORD);
    const launchPath = `/learn/enrollments/${enrollmentId}/activities/${activity.id}/launch`;
    const page = await browser.get(launchPath);
    if (page.status !== 200) throw new Error(`the first launch of ${email} answered ${page.status}`);
    const html = await page.text();
    const form = parseLaunchForm(html);
    const sourcedId = form.fields.lis_result_sourcedid;
    if (!sourcedId) throw new Error(`the launch page of ${email} has no lis_result_sourcedid`);
    // FormSession keeps its cookies to itself; the load generator needs the same header.
    const cookie = (browser as unknown as { cookieHeader(): string }).cookieHeader();
    return { learner: { email, enrollmentId, launchPath, cookie, sourcedId }, form };
  });

  const first = learners[0].form;
  return {
    consumerKey: CONSUMER_KEY,
    consumerSecret: CONSUMER_SECRET,
    learners: learners.map((l) => l.learner),
    outcomeServiceUrl: first.fields.lis_outcome_service_url,
    launchAction: first.action,
    launchFields: first.fields,
  };
}

/** The signed form of a launch page: its action and hidden inputs, HTML entities decoded. */
export function parseLaunchForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form class="lti-launch" method="post" action="([^"]*)"/.exec(html)?.[1];
  if (action === undefined) throw new Error('the launch page has no launch form');
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescapeHtml(name)] = unescapeHtml(value);
  }
  return { action: unescapeHtml(action), fields };
}

/** Undoes Eta's escaping (& < > " '). */
function unescapeHtml(text: string): string {
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => entities[entity]);
}

/** The fields of the API's answers that the set-up reads. */
export interface Created {
  readonly id: string;
  readonly items: readonly { readonly id: string }[];
}

export async function expectCreated(request: Promise<ApiResponse>, status = 201): Promise<Created> {
  const response = await request;
  if (response.status !== status) throw new Error(`the API answered ${response.status}: ${response.text}`);
  return response.body as Created;
}

/**
 * A person of `organizationId` with the learner role there and a self-paced assignment of the
 * course (an enrollment of their own); with a password only when they are to sign in.
 */
export async function createSelfPacedLearner(
  root: ApiClient,
  learner: { email: string; name: string; organizationId: string; courseId: string; password?: string },
): Promise<{ userId: string; enrollmentId: string }> {
  const { email, name, organizationId, courseId, password } = learner;
  const user = await expectCreated(
    root.post('/api/v1/users', { email, name, organizationId, ...(password === undefined ? {} : { password }) }),
  );
  await expectCreated(root.post(`/api/v1/users/${user.id}/memberships`, { organizationId, role: 'learner' }));
  const enrollment = await expectCreated(root.post('/api/v1/self-paced-assignments', { courseId, userId: user.id }));
  return { userId: user.id, enrollmentId: enrollment.id };
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
