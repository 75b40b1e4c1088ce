import { Browser, BrowserContext } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm, submit, textOf } from '../support/browser';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { browserOf, launchLikeBrowser, learnerLaunchPath } from '../support/lti1p1-fixture';
import { Lti1p1Tool, Lti1p1ToolLaunch, startLti1p1Tool } from '../support/lti1p1-tool';
import { Lti1p3Tool, Lti1p3ToolLaunch, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';

const KEY = 'copy-consumer-key';
const SECRET = 'copy-secret-0123456789._~';
const PASSWORD = 'a-long-test-password';
const RESOURCE_LINK = 'https://purl.imsglobal.org/spec/lti/claim/resource_link';
const CONTEXT = 'https://purl.imsglobal.org/spec/lti/claim/context';
const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom';
const AGS = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
/** What both tools ask for: the history variables of LTI Core 1.3 Appendix C. */
const HISTORY_PARAMETERS = 'rl_history=$ResourceLink.id.history\nctx_history=$Context.id.history';

interface Learner {
  readonly id: string;
  readonly email: string;
  readonly enrollmentId: string;
}

/**
 * Course copy end to end: the author copies a course with an LTI 1.1 activity (ims-lti), an LTI 1.3
 * activity (ltijs) and one whose link the target organization may not use, through the page in
 * Chromium; learners of the source and of the copy launch into the real tools, which send scores
 * back. What lands where is read from the database.
 */
describe('Course copy with LTI 1.1 and 1.3 activities, launched into the real tools', () => {
  let testApp: BuiltApp;
  let tool11: Lti1p1Tool;
  let tool13: Lti1p3Tool;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let orgB: string;
  let authorEmail: string;
  const source = { courseId: '', quiz11: '', quiz13: '', onlyA: '' };
  const copy = { courseId: '', quiz11: '', quiz13: '' };
  let sourceLearner: Learner;
  let copyLearner: Learner;
  /** Assigns the copy to a learner of the target organization (once the copy exists). */
  let assignCopy: (courseId: string) => Promise<Learner>;
  const launches11: Record<'source' | 'copy', Lti1p1ToolLaunch | null> = { source: null, copy: null };
  const launches13: Record<'source' | 'copy', Lti1p3ToolLaunch | null> = { source: null, copy: null };

  const progressOf = async (enrollmentId: string, activityId: string) =>
    (
      await testApp.dataSource.query(
        `SELECT status, score_percent::float AS score FROM activity_progress WHERE enrollment_id = $1 AND activity_id = $2`,
        [enrollmentId, activityId],
      )
    )[0] ?? null;

  async function launch13(learner: Learner, activityId: string): Promise<Lti1p3ToolLaunch> {
    const { context, page } = await newPage(browser, testApp.baseUrl);
    contexts.push(context);
    await signInThroughForm(page, learner.email, PASSWORD);
    const before = tool13.launches.length;
    await page.goto(learnerLaunchPath(learner.enrollmentId, activityId));
    await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    return tool13.waitForLaunch(before + 1);
  }

  beforeAll(async () => {
    testApp = await startBuiltApp();
    [tool11, tool13, browser] = await Promise.all([
      startLti1p1Tool({ consumerKey: KEY, consumerSecret: SECRET }),
      startLti1p3Tool(),
      launchBrowser(),
    ]);
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const top = (await root.post('/api/v1/organizations', { name: 'Academy' })).body.id;
    const orgA = (await root.post('/api/v1/organizations', { name: 'Spring school', parentId: top })).body.id;
    orgB = (await root.post('/api/v1/organizations', { name: 'Autumn school', parentId: top })).body.id;
    const provider11 = await root.post('/api/v1/lti/providers', {
      name: 'Quiz tool 1.1',
      organizationId: top,
      ltiVersion: '1.1',
      consumerKey: KEY,
      sharedSecret: SECRET,
      customParameters: HISTORY_PARAMETERS,
      availableOrganizationIds: [top],
    });
    expect(provider11.status).toBe(201);
    const provider13 = await registerToolAsProvider(root, tool13, testApp.baseUrl, top, {
      name: 'Quiz tool 1.3',
      redirectUris: [tool13.launchUrl],
      services: ['grades'],
      customParameters: HISTORY_PARAMETERS,
    });
    const link = async (name: string, providerId: string, url: string, availableIn: string) => {
      const created = await root.post('/api/v1/lti/resource-links', {
        name,
        organizationId: top,
        providerId,
        url,
        requiresScoreForCompletion: true,
        availableOrganizationIds: [availableIn],
      });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    const author = await createPerson(root, {
      email: 'copy-author@example.com',
      organizationId: top,
      role: 'course_author',
    });
    authorEmail = 'copy-author@example.com';
    source.courseId = (
      await author.client.post('/api/v1/courses', { title: 'Spring quiz course', organizationId: orgA })
    ).body.id;
    const place = async (resourceLinkId: string) =>
      (await author.client.post(`/api/v1/courses/${source.courseId}/activities`, { resourceLinkId })).body.id as string;
    source.quiz11 = await place(await link('Quiz 1.1', provider11.body.id, tool11.launchUrl, top));
    source.onlyA = await place(await link('Spring-only lab', provider11.body.id, tool11.launchUrl, orgA));
    source.quiz13 = await place(await link('Quiz 1.3', provider13.id, tool13.launchUrl, top));

    const instructor = await createPerson(root, {
      email: 'copy-teacher@example.com',
      organizationId: top,
      role: 'instructor',
    });
    const learnerIn = async (email: string, organizationId: string): Promise<Omit<Learner, 'enrollmentId'>> => ({
      id: (await createPerson(root, { email, organizationId, role: 'learner' })).id,
      email,
    });
    const spring = await learnerIn('spring-learner@example.com', orgA);
    const assigned = await instructor.client.post('/api/v1/self-paced-assignments', {
      courseId: source.courseId,
      userId: spring.id,
    });
    expect(assigned.status).toBe(201);
    sourceLearner = { ...spring, enrollmentId: assigned.body.id };
    assignCopy = async (courseId) => {
      const autumn = await learnerIn('autumn-learner@example.com', orgB);
      const enrolled = await instructor.client.post('/api/v1/self-paced-assignments', { courseId, userId: autumn.id });
      expect(enrolled.status).toBe(201);
      return { ...autumn, enrollmentId: enrolled.body.id };
    };
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await Promise.all([tool11?.close(), tool13?.close()]);
    await testApp?.close();
  });

  it('should copy the usable activities in order into the chosen organization and list the one left out when the author copies through the page', async () => {
    const { context, page } = await newPage(browser, testApp.baseUrl);
    contexts.push(context);
    await signInThroughForm(page, authorEmail, PASSWORD);
    await page.goto(`/author/courses/${source.courseId}`);
    await submit(page, page.getByRole('link', { name: 'Copy course' }));
    expect(await page.locator('#f-title').inputValue()).toBe('Spring quiz course (copy)');
    await page.locator('#f-title').fill('Autumn quiz course');
    await page.locator('#f-organizationId').selectOption(orgB);
    const answer = await submit(page, page.getByRole('button', { name: 'Copy course' }));

    expect(answer.status()).toBe(200);
    expect(await textOf(page, 'h1')).toBe('Course copied');
    expect(await page.locator('ol.copied-activities li').allTextContents()).toEqual(['Quiz 1.1', 'Quiz 1.3']);
    const skipped = page.locator(`table.skipped-activities tr[data-activity="${source.onlyA}"]`);
    expect(await skipped.getAttribute('data-reason')).toBe('link_withdrawn');
    expect(await skipped.textContent()).toContain('Spring-only lab');
    expect(await skipped.textContent()).toContain('not available to the chosen organization');
    const href = await page.getByRole('link', { name: 'Open the copy' }).getAttribute('href');
    copy.courseId = href!.split('/').pop()!;

    const rows = await testApp.dataSource.query(
      `SELECT c.organization_id, c.source_course_id, c.context_id_history, a.id, a.title, a.position,
              a.source_activity_id, a.lti_resource_link_id, a.lti_resource_link_id_history
         FROM courses c JOIN course_activities a ON a.course_id = c.id WHERE c.id = $1 ORDER BY a.position`,
      [copy.courseId],
    );
    expect(rows.map((r: { title: string }) => r.title)).toEqual(['Quiz 1.1', 'Quiz 1.3']);
    expect(rows[0]).toMatchObject({
      organization_id: orgB,
      source_course_id: source.courseId,
      context_id_history: [`${source.courseId}:self-paced`],
      source_activity_id: source.quiz11,
    });
    [copy.quiz11, copy.quiz13] = rows.map((r: { id: string }) => r.id);
    // Nothing of the source's people came along.
    const [{ n }] = await testApp.dataSource.query(
      `SELECT (SELECT count(*) FROM enrollments WHERE course_id = $1) + (SELECT count(*) FROM classes WHERE course_id = $1) AS n`,
      [copy.courseId],
    );
    expect(Number(n)).toBe(0);
    copyLearner = await assignCopy(copy.courseId);
  });

  it('should launch the 1.1 source and copy into ims-lti with distinct resource_link_ids and the source ids in the history', async () => {
    const sourceSession = await browserOf(testApp.baseUrl, sourceLearner.email);
    const copySession = await browserOf(testApp.baseUrl, copyLearner.email);
    launches11.source = (
      await launchLikeBrowser(sourceSession, learnerLaunchPath(sourceLearner.enrollmentId, source.quiz11), tool11)
    ).launch;
    launches11.copy = (
      await launchLikeBrowser(copySession, learnerLaunchPath(copyLearner.enrollmentId, copy.quiz11), tool11)
    ).launch;
    const [from, to] = [launches11.source.params, launches11.copy.params];

    expect(launches11.source.valid && launches11.copy.valid).toBe(true);
    expect(to.resource_link_id).not.toBe(from.resource_link_id);
    expect(to.context_id).toBe(`${copy.courseId}:self-paced`);
    expect(to.custom_rl_history).toBe(from.resource_link_id);
    expect(to.custom_ctx_history).toBe(encodeURIComponent(from.context_id));
    // The source is not a copy: the variables are there, with an empty value (LTI Core 1.3 Appendix C).
    expect(from.custom_rl_history).toBe('');
    expect(from.custom_ctx_history).toBe('');
  });

  it('should record the 1.1 score on the copy only when the tool grades the copy’s launch through ims-lti', async () => {
    await expect(tool11.sendReplaceResult(launches11.copy!, 0.9)).resolves.toBe(true);

    expect(await progressOf(copyLearner.enrollmentId, copy.quiz11)).toEqual({ status: 'completed', score: 90 });
    expect(await progressOf(sourceLearner.enrollmentId, source.quiz11)).toEqual({
      status: 'awaiting_score',
      score: null,
    });
  });

  it('should launch the 1.3 source and copy into ltijs with distinct resource link ids and the source ids in the custom claim', async () => {
    launches13.source = await launch13(sourceLearner, source.quiz13);
    launches13.copy = await launch13(copyLearner, copy.quiz13);
    const [from, to] = [launches13.source.claims!, launches13.copy.claims!];
    const linkId = (claims: Record<string, unknown>) => (claims[RESOURCE_LINK] as { id: string }).id;
    const contextId = (claims: Record<string, unknown>) => (claims[CONTEXT] as { id: string }).id;

    expect(linkId(to)).not.toBe(linkId(from));
    expect(contextId(to)).toBe(`${copy.courseId}:self-paced`);
    expect(to[CUSTOM]).toEqual({ rl_history: linkId(from), ctx_history: encodeURIComponent(contextId(from)) });
    expect(from[CUSTOM]).toEqual({ rl_history: '', ctx_history: '' });
    // Each placement has its own line item: the copy's is never the source's.
    const lineitem = (claims: Record<string, unknown>) => (claims[AGS] as { lineitem: string }).lineitem;
    expect(lineitem(to)).not.toBe(lineitem(from));
  });

  it('should record the 1.3 score on the copy only when the tool grades the copy’s launch through ltijs', async () => {
    const { idToken, claims } = launches13.copy!;
    const lineitem = (claims![AGS] as { lineitem: string }).lineitem;

    await tool13.lti.Grade.submitScore(idToken, lineitem, {
      scoreGiven: 70,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });

    expect(await progressOf(copyLearner.enrollmentId, copy.quiz13)).toEqual({ status: 'completed', score: 70 });
    expect(await progressOf(sourceLearner.enrollmentId, source.quiz13)).toEqual({
      status: 'awaiting_score',
      score: null,
    });
    const items = await testApp.dataSource.query(
      `SELECT course_id, activity_id FROM lti1p3_line_items ORDER BY course_id = $1 DESC`,
      [copy.courseId],
    );
    expect(items).toEqual([
      { course_id: copy.courseId, activity_id: copy.quiz13 },
      { course_id: source.courseId, activity_id: source.quiz13 },
    ]);
  });
});
