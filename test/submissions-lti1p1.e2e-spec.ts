import { randomUUID } from 'node:crypto';
import { ApiClient } from './support/api-client';
import {
  browserOf,
  created,
  createUser,
  decodeHtml,
  PASSWORD,
  poxRequest,
  launchLikeBrowser,
  learnerLaunchPath,
  parseLaunchForm,
  POX_NS,
  sendSigned,
  signOutcome,
} from './support/lti1p1-fixture';
import { FormSession } from './support/form-session';
import { Lti1p1Tool, Lti1p1ToolLaunch, startLti1p1Tool } from './support/lti1p1-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

// Only RFC 3986 unreserved characters: ims-lti 3.x does not percent-encode the secret in its signing key.
const KEY = 'essays-key';
const SECRET = 'essays-Secret_1.0~';
const OTHER_KEY = 'other-essays-key';
const OTHER_SECRET = 'other-Secret_2.0~';
const SCRIPT = '<script>alert("pwned")</script> My essay & notes';

/** A replaceResult with outcome data, written by hand: ims-lti has no client for `ltiLaunchUrl`. */
function replaceWithData(sourcedId: string, score: string, resultData: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><imsx_POXEnvelopeRequest xmlns="${POX_NS}">` +
    '<imsx_POXHeader><imsx_POXRequestHeaderInfo><imsx_version>V1.0</imsx_version>' +
    `<imsx_messageIdentifier>m-${randomUUID()}</imsx_messageIdentifier>` +
    '</imsx_POXRequestHeaderInfo></imsx_POXHeader><imsx_POXBody><replaceResultRequest><resultRecord>' +
    `<sourcedGUID><sourcedId>${sourcedId}</sourcedId></sourcedGUID><result><resultScore><language>en</language>` +
    `<textString>${score}</textString></resultScore><resultData>${resultData}</resultData></result>` +
    '</resultRecord></replaceResultRequest></imsx_POXBody></imsx_POXEnvelopeRequest>'
  );
}

describe('Submissions from an LTI 1.1 tool (outcome data)', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let tool: Lti1p1Tool;
  let otherTool: Lti1p1Tool;
  let activityId: string;
  let enrollmentId: string;
  let launch: Lti1p1ToolLaunch;
  let teacher: FormSession;
  let otherLearner: FormSession;
  let otherEnrollmentId: string;
  let outcomesUrl: string;
  let teacherApi: ApiClient;
  let learnerApi: ApiClient;

  const staffPath = () => `/teach/submissions/${enrollmentId}/${activityId}`;
  const attempts = async (id = enrollmentId) =>
    (await testApp.dataSource.query(
      'SELECT kind, outcome, text, url, lti_launch_url FROM submissions WHERE enrollment_id = $1 ORDER BY received_at',
      [id],
    )) as { kind: string; outcome: string; text: string | null; url: string | null; lti_launch_url: string | null }[];
  const signedReplace = (body: string, key = KEY, secret = SECRET) =>
    sendSigned(signOutcome({ url: outcomesUrl, body, key, secret }));

  beforeAll(async () => {
    testApp = await startTestApp();
    outcomesUrl = `${testApp.baseUrl}/lti/1p1/outcomes`;
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const orgId = created(await root.post('/api/v1/organizations', { name: 'Essays org' }), 'organization').id;
    const author = await createUser(root, {
      email: 'author@example.com',
      organizationId: orgId,
      role: 'course_author',
    });
    const instructor = await createUser(root, {
      email: 'teacher@example.com',
      organizationId: orgId,
      role: 'instructor',
    });
    teacherApi = instructor.client;
    tool = await startLti1p1Tool({ consumerKey: KEY, consumerSecret: SECRET });
    otherTool = await startLti1p1Tool({ consumerKey: OTHER_KEY, consumerSecret: OTHER_SECRET });
    const provider = (name: string, consumerKey: string, sharedSecret: string) =>
      root.post('/api/v1/lti/providers', {
        name,
        organizationId: orgId,
        ltiVersion: '1.1',
        consumerKey,
        sharedSecret,
        privacy: 'public',
      });
    const essays = created(await provider('Essays', KEY, SECRET), 'provider');
    created(await provider('Other essays', OTHER_KEY, OTHER_SECRET), 'other provider');
    const link = created(
      await root.post('/api/v1/lti/resource-links', {
        name: 'Essay',
        organizationId: orgId,
        providerId: essays.id,
        url: tool.launchUrl,
        requiresScoreForCompletion: true,
        passingScore: 50,
      }),
      'link',
    );
    const course = created(await author.client.post('/api/v1/courses', { title: 'Writing' }), 'course');
    activityId = created(
      await author.client.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.id }),
      'activity',
    ).id;
    const enroll = async (email: string) => {
      const person = await createUser(root, { email, organizationId: orgId, role: 'learner' }, { signIn: false });
      const enrollment = created(
        await instructor.client.post('/api/v1/self-paced-assignments', { courseId: course.id, userId: person.id }),
        `assignment of ${email}`,
      );
      return { id: enrollment.id as string, browser: await browserOf(testApp.baseUrl, email) };
    };
    const learner = await enroll('learner@example.com');
    learnerApi = await ApiClient.signIn(testApp.baseUrl, 'learner@example.com', PASSWORD);
    enrollmentId = learner.id;
    ({ launch } = await launchLikeBrowser(learner.browser, learnerLaunchPath(enrollmentId, activityId), tool));
    const other = await enroll('other@example.com');
    otherEnrollmentId = other.id;
    otherLearner = other.browser;
    teacher = await browserOf(testApp.baseUrl, 'teacher@example.com');
  });

  afterAll(async () => {
    await Promise.all([tool?.close(), otherTool?.close()]);
    await testApp?.close();
  });

  it('should announce text, url and lti_launch_url when the launched link takes a score', () => {
    expect(launch.valid).toBe(true);
    expect(launch.params.ext_outcome_data_values_accepted).toBe('text,url,lti_launch_url');
  });

  it('should show the instructor a URL and escaped text when ims-lti returns them with scores', async () => {
    await expect(
      tool.sendReplaceResultWithData(launch, 0.7, { url: `${tool.baseUrl}/work/42?draft=1&v=2` }),
    ).resolves.toBe(true);
    await expect(tool.sendReplaceResultWithData(launch, 0.9, { text: SCRIPT })).resolves.toBe(true);

    const page = await teacher.get(staffPath());
    const html = await page.text();
    expect(page.status).toBe(200);
    const latest = /<div class="card latest-submission"[\s\S]*?<\/div>/.exec(html)![0];
    expect(latest).toContain('0.9 / 1 (90%)');
    expect(latest).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; My essay &amp; notes');
    expect(html).not.toContain('<script>alert(');
    const history = /<table class="submission-history">[\s\S]*?<\/table>/.exec(html)![0];
    expect(decodeHtml(history)).toContain(`href="${tool.baseUrl}/work/42?draft=1&v=2"`);
    expect(await attempts()).toEqual([
      expect.objectContaining({ kind: 'tool', outcome: 'applied', url: `${tool.baseUrl}/work/42?draft=1&v=2` }),
      expect.objectContaining({ kind: 'tool', outcome: 'applied', text: SCRIPT }),
    ]);
  });

  it('should open a launch signed for the tool at the LTI launch URL when the instructor opens the attempt', async () => {
    const reviewUrl = `${tool.launchUrl}/review/42?attempt=3`;
    const answer = await signedReplace(
      replaceWithData(
        launch.params.lis_result_sourcedid,
        '0.95',
        `<ltiLaunchUrl>${reviewUrl.replace('&', '&amp;')}</ltiLaunchUrl>`,
      ),
    );
    expect(answer.codeMajor).toBe('success');

    const html = await (await teacher.get(staffPath())).text();
    const open = /<a class="button open-in-tool" href="([^"]+)"/.exec(html);
    expect(open).not.toBeNull();
    const launchPage = await teacher.get(decodeHtml(open![1]));
    expect(launchPage.status).toBe(200);
    const form = parseLaunchForm(await launchPage.text());
    expect(form.action).toBe(reviewUrl);
    const before = tool.launches.length;
    await fetch(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form.fields).toString(),
    });
    const received = await tool.waitForLaunch(before + 1);
    expect(received).toMatchObject({ valid: true, url: '/launch/review/42?attempt=3' });
    expect(received.params).toMatchObject({ roles: 'Instructor', resource_link_id: launch.params.resource_link_id });
    expect(received.params.lis_result_sourcedid).toBeUndefined();
  });

  it('should refuse outcome data and store nothing when the URL is not https or the launch URL is on another site', async () => {
    const before = await attempts();
    for (const data of [
      '<url>javascript:alert(1)</url>',
      '<url>http://example.com/work</url>',
      '<ltiLaunchUrl>https://elsewhere.example/launch</ltiLaunchUrl>',
      `<text>${'x'.repeat(16_001)}</text>`,
    ]) {
      const answer = await signedReplace(replaceWithData(launch.params.lis_result_sourcedid, '0.1', data));
      expect(answer.codeMajor).toBe('failure');
      expect(answer.description).toMatch(/resultData\//);
    }
    expect(await attempts()).toEqual(before);
  });

  it('should refuse and attach nothing when another tool sends data for this tool’s result', async () => {
    const before = await attempts();
    const answer = await signedReplace(
      replaceWithData(launch.params.lis_result_sourcedid, '1', '<text>Not mine</text>'),
      OTHER_KEY,
      OTHER_SECRET,
    );
    expect(answer.codeMajor).toBe('failure');
    expect(answer.description).toBe('This result belongs to another tool');
    expect(await attempts()).toEqual(before);
  });

  it('should answer 404 when a learner opens another learner’s submissions', async () => {
    for (const path of [
      `/learn/enrollments/${enrollmentId}/activities/${activityId}/submissions`,
      staffPath(),
      `${staffPath()}/open/${(await testApp.dataSource.query('SELECT id FROM submissions LIMIT 1'))[0].id}`,
    ]) {
      const response = await otherLearner.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(await response.text()).not.toContain('My essay');
    }
    const own = await otherLearner.get(`/learn/enrollments/${otherEnrollmentId}/activities/${activityId}/submissions`);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('Nothing handed in yet.');
  });

  describe('instructor grades through the API', () => {
    const gradePath = () => `/api/v1/enrollments/${enrollmentId}/activities/${activityId}/grade`;
    const readResult = async () =>
      (
        await signedReplaceRaw(
          poxRequest({ operation: 'readResult', sourcedId: launch.params.lis_result_sourcedid }).xml,
        )
      ).textString;
    const signedReplaceRaw = (body: string) =>
      sendSigned(signOutcome({ url: outcomesUrl, body, key: KEY, secret: SECRET }));

    it('should answer 400 with a message per field and change nothing when the grade is malformed', async () => {
      const before = await attempts();
      const response = await teacherApi.request('PUT', gradePath(), { score: '101', completion: 'maybe' });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'completion',
        'reason',
        'score',
      ]);
      expect(await attempts()).toEqual(before);
    });

    it('should answer 404 and change nothing when the learner grades their own work', async () => {
      const before = await attempts();
      const response = await learnerApi.request('PUT', gradePath(), { score: '100', reason: 'Self-graded' });
      expect(response.status).toBe(404);
      expect(await attempts()).toEqual(before);
    });

    it('should let readResult return the instructor grade and keep a later replaceResult as overridden when the grade stands', async () => {
      const graded = await teacherApi.request('PUT', gradePath(), { score: 42.5, reason: 'Plagiarised paragraph' });
      expect(graded.status).toBe(200);
      expect(graded.body).toMatchObject({ status: 'failed', scorePercent: 42.5 });
      expect(await readResult()).toBe('0.425');

      await expect(tool.sendReplaceResult(launch, 1)).resolves.toBe(true);
      expect(await readResult()).toBe('0.425');
      const view = await teacherApi.get(`/api/v1/enrollments/${enrollmentId}/activities/${activityId}/submissions`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        status: 'failed',
        scorePercent: 42.5,
        override: { kind: 'override', scoreGiven: '42.5', reason: 'Plagiarised paragraph' },
        latest: { kind: 'tool', outcome: 'overridden', scoreGiven: '1' },
      });
      const own = await learnerApi.get(`/api/v1/enrollments/${enrollmentId}/activities/${activityId}/submissions`);
      expect(own.status).toBe(200);
      expect(own.body.history.length).toBe(view.body.history.length);
    });

    it('should answer 404 when a learner reads another learner’s submissions through the API', async () => {
      const response = await learnerApi.get(
        `/api/v1/enrollments/${otherEnrollmentId}/activities/${activityId}/submissions`,
      );
      expect(response.status).toBe(404);
    });
  });
});
