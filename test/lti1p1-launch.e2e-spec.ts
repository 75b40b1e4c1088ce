import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from './support/api-client';
import { FormSession } from './support/form-session';
import {
  browserOf,
  created,
  createUser,
  launchLikeBrowser,
  learnerLaunchPath,
  parseLaunchForm,
} from './support/lti1p1-fixture';
import { Lti1p1Tool, startLti1p1Tool } from './support/lti1p1-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

// Only RFC 3986 unreserved characters: ims-lti 3.x does not percent-encode the secret in its signing key.
const CERT_KEY = 'cert-key';
const CERT_SECRET = 's3cr3t-Value_1.x~';
const PUBLIC_KEY = 'public-key';
const PUBLIC_SECRET = 'public-Secret-2.0~';
const SIS_KEY = 'sis-key';
const SIS_SECRET = 'sis-Secret-3.0~';

const COMPLEX_NAME = 'Complex!@#$^*(){}[]KEY';
const COMPLEX_VALUE = 'Complex!@#$^*;(){}[]½Value';
const PRODUCT_VERSION = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version as string;

const personFields = (params: Record<string, string>) => Object.keys(params).filter((n) => n.startsWith('lis_person_'));

describe('LTI 1.1 launch (ims-lti tool)', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let orgA: string;
  let certTool: Lti1p1Tool;
  let publicTool: Lti1p1Tool;
  let sisTool: Lti1p1Tool;
  let certProvider: { id: string };
  let author: { id: string; email: string; client: ApiClient };
  let instructor: { id: string; email: string; client: ApiClient };
  let learner: { id: string; email: string; client: ApiClient };
  let sisLearner: { id: string; email: string; client: ApiClient };
  let course: { id: string };
  let graded: { id: string; ltiResourceLinkId: string };
  let gradedAgain: { id: string; ltiResourceLinkId: string };
  let plain: { id: string; ltiResourceLinkId: string };
  let selfPaced: { id: string };
  let courseClass: { id: string };
  let teaching: { id: string };
  let classLearning: { id: string };
  let personCourse: { id: string };
  let publicActivity: { id: string };
  let sisActivity: { id: string };
  let sisEnrollment: { id: string };
  let learnerInPersonCourse: { id: string };
  let learnerBrowser: FormSession;

  const launchRow = async (returnUrl: string) => {
    const id = /\/lti\/launches\/([0-9a-f-]{36})\/return$/.exec(returnUrl)?.[1];
    if (!id) throw new Error(`No launch id in ${returnUrl}`);
    const rows = await testApp.dataSource.query(
      'SELECT kind, roles, pii_sent, enrollment_id, user_id FROM lti_launches WHERE id = $1',
      [id],
    );
    expect(rows).toHaveLength(1);
    return rows[0] as { kind: string; roles: string[]; pii_sent: string[]; enrollment_id: string | null };
  };

  const progressRows = () =>
    testApp.dataSource.query(
      `SELECT enrollment_id, activity_id, status, score_given::text AS score_given, score_percent::text AS score_percent,
              first_launched_at, completed_at
         FROM activity_progress ORDER BY enrollment_id, activity_id`,
    );

  const progressOf = async (enrollmentId: string, activityId: string) =>
    (
      await testApp.dataSource.query(
        'SELECT status, score_given::text AS score_given FROM activity_progress WHERE enrollment_id = $1 AND activity_id = $2',
        [enrollmentId, activityId],
      )
    )[0] as { status: string; score_given: string | null } | undefined;

  const activityAsListed = async (courseId: string, activityId: string) => {
    const listed = await author.client.get(`/api/v1/courses/${courseId}/activities`);
    expect(listed.status).toBe(200);
    const found = (listed.body as { id: string; ltiResourceLinkId: string }[]).find((a) => a.id === activityId);
    if (!found) throw new Error(`activity ${activityId} not listed`);
    return found;
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    orgA = created(await root.post('/api/v1/organizations', { name: 'Certification org' }), 'organization').id;
    author = await createUser(root, { email: 'author@example.com', organizationId: orgA, role: 'course_author' });
    instructor = await createUser(root, { email: 'teacher@example.com', organizationId: orgA, role: 'instructor' });
    learner = await createUser(root, {
      email: 'learner@example.com',
      name: 'Lea Learner',
      organizationId: orgA,
      role: 'learner',
    });
    sisLearner = await createUser(root, {
      email: 'zoe.public@example.com',
      name: 'Zoë Public',
      givenName: 'Zoë',
      familyName: 'Public',
      sisId: 'SIS-0042',
      organizationId: orgA,
      role: 'learner',
    });

    certTool = await startLti1p1Tool({ consumerKey: CERT_KEY, consumerSecret: CERT_SECRET });
    publicTool = await startLti1p1Tool({ consumerKey: PUBLIC_KEY, consumerSecret: PUBLIC_SECRET });
    sisTool = await startLti1p1Tool({ consumerKey: SIS_KEY, consumerSecret: SIS_SECRET });

    certProvider = created(
      await root.post('/api/v1/lti/providers', {
        name: 'Certification tool',
        organizationId: orgA,
        ltiVersion: '1.1',
        consumerKey: CERT_KEY,
        sharedSecret: CERT_SECRET,
        privacy: 'anonymous',
        customParameters: [
          `${COMPLEX_NAME}=${COMPLEX_VALUE}`,
          'level=provider',
          'keep=provider-only',
          'user_ref=$User.id',
          'context_ref=$Context.id',
          'unknown_var=$Foo.bar',
          'person_name=$Person.name.full',
        ].join('\n'),
      }),
      'cert provider',
    );
    const gradedLink = created(
      await root.post('/api/v1/lti/resource-links', {
        name: 'Graded lab',
        organizationId: orgA,
        providerId: certProvider.id,
        url: `${certTool.launchUrl}?chapter=1&topic=a%20b`,
        customParameters: 'level=link',
        requiresScoreForCompletion: true,
        passingScore: 70,
      }),
      'graded link',
    );
    const plainLink = created(
      await root.post('/api/v1/lti/resource-links', {
        name: 'Reading',
        organizationId: orgA,
        providerId: certProvider.id,
        url: certTool.launchUrl,
        requiresScoreForCompletion: false,
      }),
      'plain link',
    );
    course = created(
      await author.client.post('/api/v1/courses', { title: 'Certification course', code: 'CERT-1' }),
      'course',
    );
    const place = async (courseId: string, body: Record<string, unknown>) =>
      created(await author.client.post(`/api/v1/courses/${courseId}/activities`, body), 'activity');
    graded = await place(course.id, { resourceLinkId: gradedLink.id });
    gradedAgain = await place(course.id, { resourceLinkId: gradedLink.id, title: 'Graded lab again', required: false });
    plain = await place(course.id, { resourceLinkId: plainLink.id });
    selfPaced = created(
      await instructor.client.post('/api/v1/self-paced-assignments', { courseId: course.id, userId: learner.id }),
      'self-paced assignment',
    );
    courseClass = created(
      await instructor.client.post('/api/v1/classes', { courseId: course.id, title: 'March', code: 'CERT-MAR' }),
      'class',
    );
    teaching = created(
      await instructor.client.post(`/api/v1/classes/${courseClass.id}/enrollments`, {
        userId: instructor.id,
        role: 'instructor',
      }),
      'instructor enrollment',
    );
    classLearning = created(
      await instructor.client.post(`/api/v1/classes/${courseClass.id}/enrollments`, { userId: learner.id }),
      'class enrollment',
    );

    const publicProvider = created(
      await root.post('/api/v1/lti/providers', {
        name: 'Public tool',
        organizationId: orgA,
        ltiVersion: '1.1',
        consumerKey: PUBLIC_KEY,
        sharedSecret: PUBLIC_SECRET,
        privacy: 'public',
        customParameters: 'person_name=$Person.name.full',
      }),
      'public provider',
    );
    const sisProvider = created(
      await root.post('/api/v1/lti/providers', {
        name: 'SIS tool',
        organizationId: orgA,
        ltiVersion: '1.1',
        consumerKey: SIS_KEY,
        sharedSecret: SIS_SECRET,
        privacy: 'anonymous',
        userIdSource: 'sis_id',
      }),
      'sis provider',
    );
    const publicLink = created(
      await root.post('/api/v1/lti/resource-links', {
        name: 'Public lab',
        organizationId: orgA,
        providerId: publicProvider.id,
        url: publicTool.launchUrl,
      }),
      'public link',
    );
    const sisLink = created(
      await root.post('/api/v1/lti/resource-links', {
        name: 'SIS lab',
        organizationId: orgA,
        providerId: sisProvider.id,
        url: sisTool.launchUrl,
      }),
      'sis link',
    );
    personCourse = created(await author.client.post('/api/v1/courses', { title: 'People course' }), 'course 2');
    publicActivity = await place(personCourse.id, { resourceLinkId: publicLink.id });
    sisActivity = await place(personCourse.id, { resourceLinkId: sisLink.id });
    sisEnrollment = created(
      await instructor.client.post('/api/v1/self-paced-assignments', {
        courseId: personCourse.id,
        userId: sisLearner.id,
      }),
      'sis learner assignment',
    );
    learnerInPersonCourse = created(
      await instructor.client.post('/api/v1/self-paced-assignments', { courseId: personCourse.id, userId: learner.id }),
      'learner assignment 2',
    );

    learnerBrowser = await browserOf(testApp.baseUrl, learner.email);
  });

  afterAll(async () => {
    await Promise.all([certTool?.close(), publicTool?.close(), sisTool?.close()]);
    await testApp?.close();
  });

  it('should be accepted by the ims-lti tool when a learner launches a link whose URL carries query parameters', async () => {
    const { form, launch, toolStatus } = await launchLikeBrowser(
      learnerBrowser,
      learnerLaunchPath(selfPaced.id, graded.id),
      certTool,
    );

    expect(form.action).toBe(`${certTool.launchUrl}?chapter=1&topic=a%20b`);
    expect(launch).toMatchObject({ valid: true, error: null, url: '/launch?chapter=1&topic=a%20b' });
    expect(toolStatus).toBe(200);
    expect(launch.params.oauth_consumer_key).toBe(CERT_KEY);
    // The URL's query is signed over, but not sent a second time as form fields.
    expect(launch.params).not.toHaveProperty('chapter');
    expect(launch.params).not.toHaveProperty('topic');
    expect(launch.params).toEqual(form.fields);

    // The same tool refuses the same form once a single field is changed: its verdict is not a rubber stamp.
    const tampered = await fetch(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.fields, user_id: 'someone-else' }).toString(),
    });
    expect(tampered.status).toBe(401);
    expect(certTool.launches.at(-1)).toMatchObject({ valid: false, error: 'Invalid Signature' });
  });

  it('should answer every one of 12 concurrent launches of one learner’s activity and record each', async () => {
    const count = async () =>
      Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM lti_launches`))[0].n);
    const before = await count();

    const pages = await Promise.all(
      Array.from({ length: 12 }, () => learnerBrowser.get(learnerLaunchPath(selfPaced.id, graded.id))),
    );

    expect(pages.map((page) => page.status)).toEqual(pages.map(() => 200));
    expect(await count()).toBe(before + 12);
  });

  it('should send the certification parameters, stable per placement, when a learner launches', async () => {
    const first = (await launchLikeBrowser(learnerBrowser, learnerLaunchPath(selfPaced.id, graded.id), certTool))
      .launch;
    const second = (await launchLikeBrowser(learnerBrowser, learnerLaunchPath(selfPaced.id, graded.id), certTool))
      .launch;
    const otherPlacement = (
      await launchLikeBrowser(learnerBrowser, learnerLaunchPath(selfPaced.id, gradedAgain.id), certTool)
    ).launch;
    const listed = await activityAsListed(course.id, graded.id);

    for (const launch of [first, second, otherPlacement]) expect(launch.valid).toBe(true);
    expect(first.params).toMatchObject({
      lti_message_type: 'basic-lti-launch-request',
      lti_version: 'LTI-1p0',
      oauth_callback: 'about:blank',
      oauth_version: '1.0',
      oauth_signature_method: 'HMAC-SHA1',
      resource_link_id: listed.ltiResourceLinkId,
      user_id: learner.id,
      roles: 'Learner',
      context_id: `${course.id}:self-paced`,
      context_label: 'CERT-1',
      context_title: expect.stringContaining('Certification course'),
      context_type: 'CourseOffering',
      launch_presentation_document_target: 'iframe',
      launch_presentation_locale: expect.stringMatching(/^[a-z]{2}(-[A-Z]{2})?$/),
      launch_presentation_return_url: expect.stringMatching(
        new RegExp(`^${testApp.baseUrl.replace(/\./g, '\\.')}/lti/launches/[0-9a-f-]{36}/return$`),
      ),
      tool_consumer_instance_guid: new URL(testApp.baseUrl).host,
      tool_consumer_info_product_family_code: expect.stringMatching(/^[a-z0-9][a-z0-9._-]*$/),
      tool_consumer_info_version: PRODUCT_VERSION,
    });
    expect(first.params.tool_consumer_info_product_family_code).not.toBe('canvas');
    expect(first.params.oauth_nonce).toMatch(/^[A-Za-z0-9_-]{16,}$/);

    // Stable: the same placement, person, role and context every time; only the message changes.
    for (const name of ['resource_link_id', 'user_id', 'roles', 'context_id', 'tool_consumer_instance_guid']) {
      expect(second.params[name]).toBe(first.params[name]);
    }
    expect(second.params.oauth_nonce).not.toBe(first.params.oauth_nonce);
    expect(second.params.launch_presentation_return_url).not.toBe(first.params.launch_presentation_return_url);
    // Another placement of the same link is another resource link.
    expect(otherPlacement.params.resource_link_id).toBe(gradedAgain.ltiResourceLinkId);
    expect(otherPlacement.params.resource_link_id).not.toBe(first.params.resource_link_id);

    const recorded = await launchRow(first.params.launch_presentation_return_url);
    expect(recorded).toMatchObject({ kind: 'learner', roles: ['Learner'], enrollment_id: selfPaced.id });
  });

  it('should send Instructor in the class context without outcome parameters when an instructor launches', async () => {
    const instructorBrowser = await browserOf(testApp.baseUrl, instructor.email);
    const { launch } = await launchLikeBrowser(instructorBrowser, learnerLaunchPath(teaching.id, graded.id), certTool);

    expect(launch.valid).toBe(true);
    expect(launch.params).toMatchObject({
      user_id: instructor.id,
      roles: 'Instructor',
      context_id: courseClass.id,
      context_label: 'CERT-MAR',
      context_title: expect.stringContaining('March'),
      context_type: 'CourseSection',
    });
    expect(launch.params).not.toHaveProperty('lis_outcome_service_url');
    expect(launch.params).not.toHaveProperty('lis_result_sourcedid');
    expect(await launchRow(launch.params.launch_presentation_return_url)).toMatchObject({
      kind: 'instructor',
      roles: ['Instructor'],
      enrollment_id: teaching.id,
    });
    // An instructor's launch is in nobody's progress.
    expect(await progressOf(teaching.id, graded.id)).toBeUndefined();
  });

  it('should send custom parameters renamed, overridden by the link and substituted when a learner launches', async () => {
    const gradedLaunch = (await launchLikeBrowser(learnerBrowser, learnerLaunchPath(selfPaced.id, graded.id), certTool))
      .launch;
    const plainLaunch = (await launchLikeBrowser(learnerBrowser, learnerLaunchPath(selfPaced.id, plain.id), certTool))
      .launch;

    expect(gradedLaunch.valid).toBe(true);
    expect(plainLaunch.valid).toBe(true);
    expect(gradedLaunch.params).toMatchObject({
      custom_complex____________key: COMPLEX_VALUE,
      custom_level: 'link',
      custom_keep: 'provider-only',
      custom_user_ref: learner.id,
      custom_context_ref: `${course.id}:self-paced`,
      custom_unknown_var: '$Foo.bar',
    });
    expect(gradedLaunch.params.custom_user_ref).toBe(gradedLaunch.params.user_id);
    expect(gradedLaunch.params.custom_context_ref).toBe(gradedLaunch.params.context_id);
    // Without a link override, the provider's value.
    expect(plainLaunch.params).toMatchObject({ custom_level: 'provider', custom_keep: 'provider-only' });
    // Only the mangled name goes out.
    const customNames = Object.keys(gradedLaunch.params).filter((n) => n.startsWith('custom_'));
    expect(customNames.sort()).toEqual([
      'custom_complex____________key',
      'custom_context_ref',
      'custom_keep',
      'custom_level',
      'custom_person_name',
      'custom_unknown_var',
      'custom_user_ref',
    ]);
  });

  it('should send no person fields and leave $Person.name.full unsubstituted when the provider is anonymous', async () => {
    const { launch } = await launchLikeBrowser(learnerBrowser, learnerLaunchPath(selfPaced.id, graded.id), certTool);

    expect(launch.valid).toBe(true);
    expect(personFields(launch.params)).toEqual([]);
    expect(launch.params.custom_person_name).toBe('$Person.name.full');
    expect(JSON.stringify(launch.params)).not.toContain('Lea Learner');
    expect(JSON.stringify(launch.params)).not.toContain(learner.email);
    expect((await launchRow(launch.params.launch_presentation_return_url)).pii_sent).toEqual([]);
  });

  it('should send name, email and the SIS id as lis_person_sourcedid when the provider is public', async () => {
    const browser = await browserOf(testApp.baseUrl, sisLearner.email);
    const { launch } = await launchLikeBrowser(
      browser,
      learnerLaunchPath(sisEnrollment.id, publicActivity.id),
      publicTool,
    );

    expect(launch.valid).toBe(true);
    expect(launch.params).toMatchObject({
      user_id: sisLearner.id,
      lis_person_name_full: 'Zoë Public',
      lis_person_name_given: 'Zoë',
      lis_person_name_family: 'Public',
      lis_person_contact_email_primary: 'zoe.public@example.com',
      lis_person_sourcedid: 'SIS-0042',
      custom_person_name: 'Zoë Public',
    });
    const recorded = await launchRow(launch.params.launch_presentation_return_url);
    expect([...recorded.pii_sent].sort()).toEqual(['email', 'familyName', 'fullName', 'givenName', 'sourcedId']);
  });

  it('should send the SIS id as user_id when the provider identifies people by SIS id', async () => {
    const browser = await browserOf(testApp.baseUrl, sisLearner.email);
    const { launch } = await launchLikeBrowser(browser, learnerLaunchPath(sisEnrollment.id, sisActivity.id), sisTool);

    expect(launch.valid).toBe(true);
    expect(launch.params.user_id).toBe('SIS-0042');
    expect(personFields(launch.params)).toEqual([]);
    expect(JSON.stringify(launch.params)).not.toContain(sisLearner.id);
    expect((await launchRow(launch.params.launch_presentation_return_url)).pii_sent).toEqual([]);

    // Someone without an SIS id cannot arrive at this tool under another identity.
    const before = sisTool.launches.length;
    const refused = await learnerBrowser.get(learnerLaunchPath(learnerInPersonCourse.id, sisActivity.id));
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('lti-launch');
    expect(sisTool.launches).toHaveLength(before);
  });

  it('should send outcome parameters only when the link requires a score', async () => {
    const gradedLaunch = (await launchLikeBrowser(learnerBrowser, learnerLaunchPath(selfPaced.id, graded.id), certTool))
      .launch;
    const plainLaunch = (await launchLikeBrowser(learnerBrowser, learnerLaunchPath(selfPaced.id, plain.id), certTool))
      .launch;

    expect(gradedLaunch.params.lis_outcome_service_url).toBe(`${testApp.baseUrl}/lti/1p1/outcomes`);
    expect(gradedLaunch.params.lis_result_sourcedid).toMatch(
      new RegExp(`^v1:e:${selfPaced.id}:${graded.id}:${learner.id}:[A-Za-z0-9_-]+$`),
    );
    expect(plainLaunch.params).not.toHaveProperty('lis_outcome_service_url');
    expect(plainLaunch.params).not.toHaveProperty('lis_result_sourcedid');
    // The launch itself moves progress: a graded placement waits for its score, the other is done.
    expect((await progressOf(selfPaced.id, graded.id))?.status).toBe('awaiting_score');
    expect((await progressOf(selfPaced.id, plain.id))?.status).toBe('completed');
  });

  it('should show lti_msg and log lti_errorlog when the tool sends the learner back to the return URL', async () => {
    const { launch } = await launchLikeBrowser(learnerBrowser, learnerLaunchPath(selfPaced.id, plain.id), certTool);
    const returnUrl = launch.params.launch_presentation_return_url;
    // Logged as a value of its own (query strings are never logged, so this is the return handler's doing).
    const loggedBoom = () => testApp.logs.lines.some((line) => line.includes('"boom"'));
    expect(loggedBoom()).toBe(false);

    // The tool navigates the learner there from its own site: no session cookie.
    const response = await fetch(`${returnUrl}?lti_msg=Well%20done&lti_errorlog=boom`, { redirect: 'manual' });

    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Well done');
    expect(html).not.toContain('boom');
    expect(loggedBoom()).toBe(true);

    // An error message for the learner is shown too, escaped.
    const failed = await fetch(`${returnUrl}?lti_errormsg=${encodeURIComponent('Quiz <closed>')}`, {
      redirect: 'manual',
    });
    expect(failed.status).toBe(200);
    const failedHtml = await failed.text();
    expect(failedHtml).toContain('Quiz &lt;closed&gt;');
    expect(failedHtml).not.toContain('<closed>');

    const unknown = await fetch(`${testApp.baseUrl}/lti/launches/${randomUUID()}/return?lti_msg=Hi`, {
      redirect: 'manual',
    });
    expect(unknown.status).toBe(404);
  });

  it('should serve the launch page uncached, letting the form post to the tool, without the secret', async () => {
    const page = await learnerBrowser.get(learnerLaunchPath(selfPaced.id, graded.id));
    const html = await page.text();

    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const directives = (page.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim());
    const formAction = directives.find((d) => d.startsWith('form-action '));
    expect(formAction?.split(/\s+/).slice(1)).toContain(new URL(certTool.launchUrl).origin);
    expect(parseLaunchForm(html).action).toBe(`${certTool.launchUrl}?chapter=1&topic=a%20b`);
    for (const secret of [CERT_SECRET, encodeURIComponent(CERT_SECRET)]) {
      expect(html).not.toContain(secret);
      expect(testApp.logs.text).not.toContain(secret);
    }
    for (const secret of [PUBLIC_SECRET, SIS_SECRET]) expect(testApp.logs.text).not.toContain(secret);
  });

  it('should launch as a test learner and change nobody’s progress when the course author previews', async () => {
    const authorBrowser = await browserOf(testApp.baseUrl, author.email);
    const progressBefore = await progressRows();
    const completionsBefore = await testApp.dataSource.query('SELECT id, completed_at FROM enrollments ORDER BY id');

    const { launch, html } = await launchLikeBrowser(
      authorBrowser,
      `/author/courses/${course.id}/activities/${graded.id}/preview`,
      certTool,
    );

    expect(html).toContain('preview');
    expect(launch.valid).toBe(true);
    expect(launch.params.user_id).toBe(`test-learner-${author.id}`);
    expect(launch.params.roles.split(',')).toEqual(
      expect.arrayContaining(['Learner', 'urn:lti:role:ims/lis/Learner/NonCreditLearner']),
    );
    expect(personFields(launch.params)).toEqual([]);
    expect(launch.params.lis_result_sourcedid).toMatch(new RegExp(`^v1:p:-:${graded.id}:${author.id}:`));
    expect(await launchRow(launch.params.launch_presentation_return_url)).toMatchObject({
      kind: 'preview',
      enrollment_id: null,
    });

    await expect(certTool.sendReplaceResult(launch, 0.9)).resolves.toBe(true);

    expect(await progressRows()).toEqual(progressBefore);
    expect(await testApp.dataSource.query('SELECT id, completed_at FROM enrollments ORDER BY id')).toEqual(
      completionsBefore,
    );
    const ledger = await testApp.dataSource.query(
      `SELECT decision, enrollment_id, provider_id, raw_score FROM score_ledger WHERE source = $1`,
      [launch.params.lis_result_sourcedid],
    );
    expect(ledger).toEqual([
      { decision: 'preview', enrollment_id: null, provider_id: certProvider.id, raw_score: '0.9' },
    ]);
  });

  /**
   * LTI.md: "resource_link_id: unique per placement, stable, never shared between contexts" (LTI 1.1.1
   * §3: the value changes when the item is used in another context). A class is its own LTI context
   * (CourseSection, context_id = the class): the self-paced offering keeps the placement's id, each
   * class gets its own, the same at every launch.
   */
  it('should not share a resource_link_id between contexts when one placement is launched in a class and self-paced', async () => {
    const selfPacedLaunch = (
      await launchLikeBrowser(learnerBrowser, learnerLaunchPath(selfPaced.id, graded.id), certTool)
    ).launch;
    const classLaunch = (
      await launchLikeBrowser(learnerBrowser, learnerLaunchPath(classLearning.id, graded.id), certTool)
    ).launch;

    expect(classLaunch.valid).toBe(true);
    expect(classLaunch.params).toMatchObject({ roles: 'Learner', context_type: 'CourseSection' });
    expect(classLaunch.params.context_id).not.toBe(selfPacedLaunch.params.context_id);
    expect(classLaunch.params.resource_link_id).not.toBe(selfPacedLaunch.params.resource_link_id);
    const again = (await launchLikeBrowser(learnerBrowser, learnerLaunchPath(classLearning.id, graded.id), certTool))
      .launch;
    expect(again.params.resource_link_id).toBe(classLaunch.params.resource_link_id);
  });

  it('should refuse a learner’s launch once the class has ended, keeping its progress in the report and the history', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const ended = created(
      await instructor.client.post('/api/v1/classes', {
        courseId: course.id,
        title: 'Finished',
        startsOn: day(-10),
        endsOn: day(10),
      }),
      'class',
    );
    const enrollment = created(
      await instructor.client.post(`/api/v1/classes/${ended.id}/enrollments`, { userId: learner.id }),
      'enrollment',
    );
    // While it runs, the reading completes on its first launch: that is the history to keep.
    expect(
      (await launchLikeBrowser(learnerBrowser, learnerLaunchPath(enrollment.id, plain.id), certTool)).launch.valid,
    ).toBe(true);
    expect(await progressOf(enrollment.id, plain.id)).toMatchObject({ status: 'completed' });
    expect((await instructor.client.patch(`/api/v1/classes/${ended.id}`, { endsOn: day(-2) })).status).toBe(200);
    const launchesBefore = await testApp.dataSource.query('SELECT count(*)::int AS n FROM lti_launches');

    const refused = await learnerBrowser.get(learnerLaunchPath(enrollment.id, graded.id));
    expect(refused.status).toBe(410);
    expect(refused.headers.get('content-type')).toContain('text/html');
    expect(await refused.text()).toContain(`This class ended on ${day(-2)}`);
    expect(await testApp.dataSource.query('SELECT count(*)::int AS n FROM lti_launches')).toEqual(launchesBefore);

    const page = await (await learnerBrowser.get(`/learn/enrollments/${enrollment.id}`)).text();
    expect(page).toContain(`This class ended on ${day(-2)}`);
    expect(page).not.toContain(learnerLaunchPath(enrollment.id, plain.id));
    const report = await instructor.client.get(`/api/v1/courses/${course.id}/progress`);
    const row = (
      report.body.items as Array<{
        enrollment: { id: string };
        activities: Array<{ activityId: string; status: string }>;
      }>
    ).find((entry) => entry.enrollment.id === enrollment.id);
    expect(row?.activities.find((a) => a.activityId === plain.id)).toMatchObject({ status: 'completed' });
    expect(await progressOf(enrollment.id, plain.id)).toMatchObject({ status: 'completed' });
  });

  it('should never write a shared secret to the logs when the whole suite has run', () => {
    for (const secret of [CERT_SECRET, PUBLIC_SECRET, SIS_SECRET]) expect(testApp.logs.text).not.toContain(secret);
  });
});
