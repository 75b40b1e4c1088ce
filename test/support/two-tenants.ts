import { ApiClient } from './api-client';
import {
  browserOf,
  created,
  createUser,
  launchLikeBrowser,
  learnerLaunchPath,
  PASSWORD,
  sendSigned,
  signOutcome,
} from './lti1p1-fixture';
import { Lti1p1Tool, startLti1p1Tool } from './lti1p1-tool';
import { TestApp } from './test-app';

// RFC 3986 unreserved characters only: ims-lti 3.x signs with the secret unencoded.
const KEY = 'alpha-quiz-key';
const SECRET = 'alpha-Quiz_secret.1~';

interface Person {
  readonly id: string;
  readonly email: string;
  readonly client: ApiClient;
}

/** Tenant A: everything another tenant must never see, and the strings that would give it away. */
export interface TenantA {
  readonly organizationId: string;
  readonly childId: string;
  readonly admin: Person;
  readonly author: Person;
  readonly instructor: Person;
  readonly learner: Person;
  readonly providerId: string;
  readonly linkId: string;
  readonly courseId: string;
  readonly activityId: string;
  readonly classId: string;
  readonly classEnrollmentId: string;
  readonly selfPacedEnrollmentId: string;
  readonly membershipId: string;
  /** A Dynamic Registration tenant A's administrator started (the tool has not registered). */
  readonly registrationId: string;
  readonly ledgerIds: readonly string[];
  /** Ids, names, emails, titles and keys of tenant A, lower-cased. */
  readonly markers: readonly string[];
}

export interface TwoTenants {
  readonly root: ApiClient;
  readonly a: TenantA;
  /** An administrator of another top-level organization (not a platform administrator) and a learner there. */
  readonly b: { readonly organizationId: string; readonly admin: Person; readonly learner: Person };
  /** A score-ledger entry of no organization (an outcome request no provider could be found for). */
  readonly unattributedLedgerId: string;
  readonly tool: Lti1p1Tool;
}

/**
 * Two top-level organizations made by the platform administrator (the bootstrap admin). Tenant A has
 * a sub-organization, people in every role, a 1.1 provider, a resource link, a course with an
 * activity, a class and a self-paced assignment, and score-ledger rows written by a real LTI 1.1
 * tool (ims-lti) sending a score for a launched learner.
 */
export async function twoTenants(testApp: TestApp, root: ApiClient): Promise<TwoTenants> {
  const orgA = created(await root.post('/api/v1/organizations', { name: 'Alpha Tenant Org', parentId: null }), 'A');
  const orgB = created(await root.post('/api/v1/organizations', { name: 'Bravo Tenant Org', parentId: null }), 'B');
  const child = created(
    await root.post('/api/v1/organizations', { name: 'Alpha Child Unit', parentId: orgA.id }),
    'A child',
  );
  const person = (email: string, name: string, organizationId: string, role: string) =>
    createUser(root, { email, name, organizationId, role });
  const admin = await person('alpha-admin@alpha.example', 'Alphonse Adminson', orgA.id, 'site_admin');
  const author = await person('alpha-author@alpha.example', 'Alma Authorsen', orgA.id, 'course_author');
  const instructor = await person('alpha-teacher@alpha.example', 'Alvar Teacherly', child.id, 'instructor');
  const learner = await person('alpha-learner@alpha.example', 'Aldous Learnerby', orgA.id, 'learner');
  const adminB = await person('bravo-admin@bravo.example', 'Bruno Bravoadmin', orgB.id, 'site_admin');
  const learnerB = await person('bravo-learner@bravo.example', 'Bianca Bravolearner', orgB.id, 'learner');

  const tool = await startLti1p1Tool({ consumerKey: KEY, consumerSecret: SECRET });
  const provider = created(
    await admin.client.post('/api/v1/lti/providers', {
      name: 'Alpha Quiz Engine',
      organizationId: orgA.id,
      ltiVersion: '1.1',
      consumerKey: KEY,
      sharedSecret: SECRET,
      privacy: 'public',
    }),
    'provider',
  );
  const link = created(
    await admin.client.post('/api/v1/lti/resource-links', {
      name: 'Alpha Quiz One',
      organizationId: orgA.id,
      providerId: provider.id,
      url: tool.launchUrl,
      requiresScoreForCompletion: true,
      passingScore: 50,
    }),
    'link',
  );
  const course = created(
    await author.client.post('/api/v1/courses', { title: 'Alpha Course Basics', code: 'ALPHA-101' }),
    'course',
  );
  const activity = created(
    await author.client.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.id }),
    'activity',
  );
  const klass = created(
    await admin.client.post('/api/v1/classes', { courseId: course.id, title: 'Alpha Class Spring', code: 'ALPHA-S' }),
    'class',
  );
  const classEnrollment = created(
    await admin.client.post(`/api/v1/classes/${klass.id}/enrollments`, { userId: learner.id }),
    'class enrollment',
  );
  const selfPaced = created(
    await admin.client.post('/api/v1/self-paced-assignments', { courseId: course.id, userId: learner.id }),
    'self-paced assignment',
  );
  const membershipId = (await admin.client.get(`/api/v1/users/${learner.id}/memberships`)).body[0].id;
  const registration = created(
    await admin.client.post('/api/v1/lti/registrations', {
      initiationUrl: 'https://alpha-tools.example/register',
      organizationId: orgA.id,
    }),
    'registration',
  );

  // A real score: the learner launches through the browser flow, the tool sends a result with ims-lti.
  const before = await ledgerIds(testApp);
  const browser = await browserOf(testApp.baseUrl, learner.email);
  const { launch } = await launchLikeBrowser(browser, learnerLaunchPath(selfPaced.id, activity.id), tool);
  if (!launch.valid) throw new Error(`ims-lti refused the launch: ${launch.error}`);
  if (!(await tool.sendReplaceResult(launch, 0.9))) throw new Error('the score was not accepted');
  await tool.sendReadResult(launch);
  const ledger = (await ledgerIds(testApp)).filter((id) => !before.includes(id));

  // A request signed with a key no provider has: its ledger row belongs to no organization.
  const known = await ledgerIds(testApp);
  const outcomesUrl = `${testApp.baseUrl}/lti/1p1/outcomes`;
  await sendSigned(signOutcome({ url: outcomesUrl, body: '<x/>', key: 'nobody-key', secret: 'nobody-secret' }));
  const [unattributedLedgerId] = (await ledgerIds(testApp)).filter((id) => !known.includes(id));

  const ids = [orgA.id, child.id, admin.id, author.id, instructor.id, learner.id, provider.id, link.id, course.id];
  const more = [activity.id, klass.id, classEnrollment.id, selfPaced.id, membershipId, registration.id, ...ledger];
  const texts = [
    'alpha-tools.example',
    'Alpha Tenant Org',
    'Alpha Child Unit',
    'Alpha Quiz Engine',
    'Alpha Quiz One',
    'Alpha Course Basics',
  ];
  const people = [admin, author, instructor, learner].map((p) => p.email);
  const names = ['Alphonse Adminson', 'Alma Authorsen', 'Alvar Teacherly', 'Aldous Learnerby'];
  return {
    root,
    a: {
      organizationId: orgA.id,
      childId: child.id,
      admin,
      author,
      instructor,
      learner,
      providerId: provider.id,
      linkId: link.id,
      courseId: course.id,
      activityId: activity.id,
      classId: klass.id,
      classEnrollmentId: classEnrollment.id,
      selfPacedEnrollmentId: selfPaced.id,
      membershipId,
      registrationId: registration.id,
      ledgerIds: ledger,
      markers: [...ids, ...more, ...texts, ...people, ...names, 'ALPHA-101', 'ALPHA-S', KEY].map((m) =>
        m.toLowerCase(),
      ),
    },
    b: { organizationId: orgB.id, admin: adminB, learner: learnerB },
    unattributedLedgerId,
    tool,
  };
}

/**
 * The markers of tenant A found in `text`, minus `echoed` (the request's own path, which reveals
 * nothing) and `own` (the asking person's own identity).
 */
export function leakedMarkers(a: TenantA, text: string, echoed: string, own: readonly string[] = []): string[] {
  const body = text.toLowerCase().split(echoed.toLowerCase()).join(' ');
  const mine = new Set(own.map((m) => m.toLowerCase()));
  return a.markers.filter((marker) => !mine.has(marker) && body.includes(marker));
}

export { PASSWORD };

async function ledgerIds(testApp: TestApp): Promise<string[]> {
  const rows: Array<{ id: string }> = await testApp.dataSource.query('SELECT id FROM score_ledger ORDER BY id');
  return rows.map((row) => row.id);
}
