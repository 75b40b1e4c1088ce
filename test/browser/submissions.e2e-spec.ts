import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, signedInPage, submit, textOf } from '../support/browser';
import { Lti1p3Tool, Lti1p3ToolLaunch, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { ReviewTool, startReviewTool } from '../support/review-tool';

const AGS = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const MESSAGE_TYPE = 'https://purl.imsglobal.org/spec/lti/claim/message_type';
const FOR_USER = 'https://purl.imsglobal.org/spec/lti/claim/for_user';
const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom';
const ROLES = 'https://purl.imsglobal.org/spec/lti/claim/roles';
const TARGET_LINK_URI = 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri';
const PASSWORD = 'a-long-test-password';

interface ResultJson {
  userId: string;
  resultScore?: number;
  resultMaximum?: number;
  comment?: string;
}

describe('Submissions and instructor grades in Chromium, with a real LTI 1.3 tool (ltijs)', () => {
  let testApp: BuiltApp;
  let tool: Lti1p3Tool;
  let reviewTool: ReviewTool;
  let browser: Browser;
  let learnerId: string;
  let ltiResourceLinkId: string;
  let classId: string;
  let activityId: string;
  let enrollmentId: string;
  let lineitemUrl: string;
  let launch: Lti1p3ToolLaunch;
  let teacherPage: Page;
  const contexts: BrowserContext[] = [];

  const submissionsPath = () => `/teach/submissions/${enrollmentId}/${activityId}`;
  const results = async (): Promise<ResultJson[]> =>
    ((await tool.lti.Grade.getScores(launch.idToken, lineitemUrl)) as { scores: ResultJson[] }).scores;
  const ledgerDecisions = async (): Promise<string[]> =>
    (
      (await testApp.dataSource.query(
        'SELECT decision FROM score_ledger WHERE enrollment_id = $1 ORDER BY received_at, id',
        [enrollmentId],
      )) as { decision: string }[]
    ).map((row) => row.decision);

  const signedIn = (email: string): Promise<Page> => signedInPage(browser, testApp.baseUrl, contexts, email, PASSWORD);

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p3Tool();
    reviewTool = await startReviewTool();
    browser = await launchBrowser();
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Essays' })).body.id;
    const { id: providerId, clientId } = await registerToolAsProvider(root, tool, testApp.baseUrl, org, {
      name: 'Essay tool',
      redirectUris: [tool.launchUrl, reviewTool.url],
      services: ['grades'],
      privacy: 'name_only',
    });
    reviewTool.trust({ issuer: testApp.baseUrl, clientId });
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Essay',
      organizationId: org,
      providerId,
      url: tool.launchUrl,
      requiresScoreForCompletion: true,
      passingScore: 60,
      availableOrganizationIds: [org],
    });
    expect(link.status).toBe(201);
    const author = (
      await createPerson(root, { email: 'sub-author@example.com', organizationId: org, role: 'course_author' })
    ).client;
    const course = (await author.post('/api/v1/courses', { title: 'Essays course', organizationId: org })).body;
    activityId = (await author.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.body.id })).body
      .id;
    const teacher = await createPerson(root, {
      email: 'sub-teacher@example.com',
      organizationId: org,
      role: 'instructor',
    });
    classId = (
      await teacher.client.post('/api/v1/classes', { courseId: course.id, title: 'Essays class', organizationId: org })
    ).body.id;
    const learner = await createPerson(root, {
      email: 'sub-learner@example.com',
      name: 'Ada Learner',
      organizationId: org,
      role: 'learner',
    });
    learnerId = learner.id;
    enrollmentId = (await teacher.client.post(`/api/v1/classes/${classId}/enrollments`, { userId: learner.id })).body
      .id;

    const learnerPage = await signedIn('sub-learner@example.com');
    await learnerPage.goto(`/learn/enrollments/${enrollmentId}/activities/${activityId}/launch`);
    await learnerPage
      .frameLocator('iframe.lti-frame')
      .getByRole('heading', { name: 'LTI 1.3 tool launched' })
      .waitFor();
    launch = await tool.waitForLaunch(1);
    lineitemUrl = (launch.claims?.[AGS] as { lineitem: string }).lineitem;
    ltiResourceLinkId = (launch.claims?.['https://purl.imsglobal.org/spec/lti/claim/resource_link'] as { id: string })
      .id;
    teacherPage = await signedIn('sub-teacher@example.com');
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await tool?.close();
    await reviewTool?.close();
    await testApp?.close();
  });

  it('should show the instructor the score and its comment from the roster when the tool grades with a comment', async () => {
    await tool.lti.Grade.submitScore(launch.idToken, lineitemUrl, {
      scoreGiven: 50,
      scoreMaximum: 100,
      comment: 'Thin argument <b>needs</b> sources',
      activityProgress: 'Submitted',
      gradingProgress: 'FullyGraded',
      submission: { startedAt: '2026-11-20T09:00:00Z', submittedAt: '2026-11-20T10:30:00Z' },
    });

    await teacherPage.goto(`/teach/classes/${classId}`);
    await Promise.all([
      teacherPage.waitForURL((url) => url.pathname === submissionsPath()),
      teacherPage.locator(`tr[data-enrollment="${enrollmentId}"] a.submissions-link`).click(),
    ]);
    expect(await textOf(teacherPage, '.learner')).toBe('Ada Learner');
    expect(await textOf(teacherPage, '.submission-score')).toBe('50 / 100 (50%)');
    expect(await textOf(teacherPage, '.submission-comment')).toBe('Thin argument <b>needs</b> sources');
    expect(await teacherPage.locator('.latest-submission b').count()).toBe(0);
    expect(await textOf(teacherPage, '.progress-now .progress')).toBe('Failed — launch again');
  });

  it('should send an LtiSubmissionReviewRequest naming the learner in for_user when the instructor opens the attempt for review', async () => {
    await tool.lti.Grade.updateLineItemById(launch.idToken, lineitemUrl, {
      label: 'Essay',
      scoreMaximum: 100,
      resourceLinkId: ltiResourceLinkId,
      submissionReview: {
        reviewableStatus: ['Submitted', 'Completed'],
        label: 'Review the essay',
        url: reviewTool.url,
        custom: { action: 'review' },
      },
    });
    const item = await tool.lti.Grade.getLineItemById(launch.idToken, lineitemUrl);
    expect(item.submissionReview).toEqual({
      reviewableStatus: ['Submitted', 'Completed'],
      label: 'Review the essay',
      url: reviewTool.url,
      custom: { action: 'review' },
    });

    await teacherPage.goto(submissionsPath());
    await Promise.all([
      teacherPage.waitForURL((url) => url.pathname.endsWith('/review')),
      teacherPage.getByRole('link', { name: 'Review the essay' }).click(),
    ]);
    // In the frame, the launch page's policy lets only the tool's login origin and https sites in, and the
    // review tool is plain http on another port: the new window is where this test tool can be reached.
    const [popup] = await Promise.all([
      teacherPage.context().waitForEvent('page'),
      teacherPage.getByRole('link', { name: /in a new window instead/ }).click(),
    ]);
    await popup.getByRole('heading', { name: 'Review tool received the submission review' }).waitFor();
    const received = reviewTool.launches.find((l) => l.error === null);
    expect(received).toBeDefined();
    expect(received!.claims).toMatchObject({
      [MESSAGE_TYPE]: 'LtiSubmissionReviewRequest',
      [TARGET_LINK_URI]: reviewTool.url,
      [FOR_USER]: {
        user_id: learnerId,
        name: 'Ada Learner',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      },
      [AGS]: expect.objectContaining({ lineitem: lineitemUrl }),
      [ROLES]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
      [CUSTOM]: expect.objectContaining({ action: 'review' }),
    });
    expect(received!.claims.sub).not.toBe(learnerId);
    expect((received!.claims[FOR_USER] as Record<string, unknown>).email).toBeUndefined();
    await popup.close();
  });

  it('should complete the activity, record a manual ledger entry and let the tool read the grade back when the instructor overrides it', async () => {
    await teacherPage.goto(submissionsPath());
    await teacherPage.locator('#f-score').fill('85');
    await teacherPage.locator('#f-reason').fill('Sources were in the appendix');
    const response = await submit(teacherPage, teacherPage.getByRole('button', { name: 'Save grade' }));
    expect(response.status()).toBe(200);
    expect(await textOf(teacherPage, '.notice')).toBe('Grade saved. It stands until you clear it.');
    expect(await textOf(teacherPage, '.progress-now .progress')).toBe('Completed');
    expect(await textOf(teacherPage, '.override .reason')).toBe('Reason: Sources were in the appendix');
    expect(await textOf(teacherPage, '.override-rule')).toContain('stands until an instructor clears it');

    expect(await results()).toEqual([
      expect.objectContaining({
        userId: launch.claims?.sub,
        resultScore: 85,
        resultMaximum: 100,
        comment: 'Sources were in the appendix',
      }),
    ]);
    expect(await ledgerDecisions()).toEqual(['applied', 'manual']);
    const audit = await testApp.dataSource.query(
      "SELECT action, entity_id FROM audit_events WHERE entity_type = 'grade' ORDER BY occurred_at",
    );
    expect(audit).toEqual([{ action: 'update', entity_id: enrollmentId }]);
  });

  it('should keep a later tool score as "kept: overridden" and leave the grade in place when an override stands', async () => {
    await tool.lti.Grade.submitScore(launch.idToken, lineitemUrl, {
      scoreGiven: 20,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });

    expect(await results()).toEqual([expect.objectContaining({ resultScore: 85, resultMaximum: 100 })]);
    expect(await ledgerDecisions()).toEqual(['applied', 'manual', 'overridden']);
    await teacherPage.goto(submissionsPath());
    expect(await textOf(teacherPage, '.progress-now .progress')).toBe('Completed');
    expect(await textOf(teacherPage, '.submission-score')).toBe('20 / 100 (20%) (kept: overridden)');
    expect(await teacherPage.locator('.submission-history .outcome-overridden').count()).toBe(1);
    await teacherPage.goto('/teach/score-ledger');
    expect(await textOf(teacherPage, 'tr.decision-overridden .decision')).toBe(
      'Kept: overridden (an instructor grade stands)',
    );
  });

  it('should let the tool’s latest score decide again when the instructor clears the grade', async () => {
    await teacherPage.goto(submissionsPath());
    await teacherPage.locator('#f-clear-reason').fill('Regrade by the tool');
    await submit(teacherPage, teacherPage.getByRole('button', { name: 'Clear the grade' }));
    expect(await textOf(teacherPage, '.notice')).toBe("Grade cleared: the tool's latest score decides again.");
    expect(await textOf(teacherPage, '.progress-now .progress')).toBe('Failed — launch again');
    expect(await teacherPage.locator('.override').count()).toBe(0);
    expect(await results()).toEqual([expect.objectContaining({ resultScore: 20, resultMaximum: 100 })]);
  });

  it('should show the learner their own submissions and refuse the grade form when a learner posts it', async () => {
    const learnerPage = await signedIn('sub-learner@example.com');
    await learnerPage.goto(`/learn/enrollments/${enrollmentId}`);
    await Promise.all([
      learnerPage.waitForURL((url) => url.pathname.endsWith('/submissions')),
      learnerPage.locator(`li[data-activity="${activityId}"] a.submissions-link`).click(),
    ]);
    expect(await textOf(learnerPage, '.submission-score')).toBe('20 / 100 (20%)');
    expect(await learnerPage.locator('form.grade-form').count()).toBe(0);
    const refused = await learnerPage.request.post(`${submissionsPath()}/grade`, {
      form: { score: '100', reason: 'Self-graded' },
    });
    expect(refused.status()).toBeGreaterThanOrEqual(400);
    expect(refused.status()).toBeLessThan(500);
    const review = await learnerPage.request.get(`${submissionsPath()}/review`);
    expect(review.status()).toBe(404);
    expect(await results()).toEqual([expect.objectContaining({ resultScore: 20 })]);
  });
});
