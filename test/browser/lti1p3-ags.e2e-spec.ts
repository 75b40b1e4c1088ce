import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm } from '../support/browser';
import { Lti1p3Tool, Lti1p3ToolLaunch, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import { AGS_SCOPES, LineItemJson } from '../support/lti-services-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const AGS = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const RESOURCE_LINK = 'https://purl.imsglobal.org/spec/lti/claim/resource_link';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PASSWORD = 'a-long-test-password';
const PASSING_SCORE = 60;
/** Labels of apps/tms/src/http/learning/learning-forms.ts PROGRESS_LABELS, as learners read them. */
const STATUS = {
  awaitingScore: 'Awaiting score',
  awaitingReview: 'Awaiting review',
  completed: 'Completed',
  failed: 'Failed — launch again',
};

interface AgsClaim {
  scope: string[];
  lineitems: string;
  lineitem?: string;
}

interface Learner {
  id: string;
  email: string;
  enrollmentId: string;
  page?: Page;
  launch?: Lti1p3ToolLaunch;
}

describe('Assignment and Grade Services for a real LTI 1.3 tool (ltijs)', () => {
  let testApp: BuiltApp;
  let tool: Lti1p3Tool;
  let browser: Browser;
  let classId: string;
  let activityId: string;
  let activityTitle: string;
  /** The placement's resource_link.id in the class, as the first launch gives it. */
  let ltiResourceLinkId: string;
  /** The declarative line item announced in the first launch. */
  let lineitemUrl: string;
  const learners: Learner[] = [];
  const contexts: BrowserContext[] = [];

  const lineItemsUrl = () => `${testApp.baseUrl}/lti/1p3/ags/contexts/${classId}/lineitems`;
  const enrollmentPath = (learner: Learner) => `/learn/enrollments/${learner.enrollmentId}`;
  const declarativeLineItem = (): LineItemJson => ({
    id: lineitemUrl,
    label: activityTitle,
    scoreMaximum: 100,
    resourceLinkId: ltiResourceLinkId,
  });
  const byLabel = (a: LineItemJson, b: LineItemJson) => a.label.localeCompare(b.label);

  /** The activity's status as the learner's course page shows it, after a reload. */
  async function statusShown(learner: Learner): Promise<string> {
    const page = learner.page!;
    await page.goto(enrollmentPath(learner));
    const text = await page.locator(`li[data-activity="${activityId}"] .progress`).textContent();
    return (text ?? '').trim();
  }

  /** Reloads the learner's course page until it shows `expected`, for at most 5 s; returns what it shows last. */
  async function waitForStatus(learner: Learner, expected: string): Promise<string> {
    const deadline = Date.now() + 5_000;
    let shown = await statusShown(learner);
    while (shown !== expected && Date.now() < deadline) {
      await learner.page!.waitForTimeout(100);
      shown = await statusShown(learner);
    }
    return shown;
  }

  /** Signs the learner in through the form in a fresh browser context and launches the activity in its iframe. */
  async function launchAs(learner: Learner): Promise<Lti1p3ToolLaunch> {
    const { context, page } = await newPage(browser, testApp.baseUrl);
    contexts.push(context);
    learner.page = page;
    await signInThroughForm(page, learner.email, PASSWORD);
    const before = tool.launches.length;
    await page.goto(`${enrollmentPath(learner)}/activities/${activityId}/launch`);
    await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    learner.launch = await tool.waitForLaunch(before + 1);
    return learner.launch;
  }

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p3Tool();
    browser = await launchBrowser();
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Gradebook' })).body.id;
    const { id: providerId } = await registerToolAsProvider(root, tool, testApp.baseUrl, org, {
      name: 'Grading tool',
      redirectUris: [tool.launchUrl],
      services: ['grades'],
    });
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Graded quiz',
      organizationId: org,
      providerId,
      url: tool.launchUrl,
      requiresScoreForCompletion: true,
      passingScore: PASSING_SCORE,
      availableOrganizationIds: [org],
    });
    expect(link.status).toBe(201);
    const author = (
      await createPerson(root, { email: 'ags-author@example.com', organizationId: org, role: 'course_author' })
    ).client;
    const course = (await author.post('/api/v1/courses', { title: 'Graded course', organizationId: org })).body;
    const placed = await author.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.body.id });
    expect(placed.status).toBe(201);
    activityId = placed.body.id;
    const listed = (await author.get(`/api/v1/courses/${course.id}/activities`)).body as {
      id: string;
      title: string;
    }[];
    activityTitle = listed.find((a) => a.id === activityId)!.title;
    const teacher = await createPerson(root, {
      email: 'ags-teacher@example.com',
      organizationId: org,
      role: 'instructor',
    });
    classId = (
      await teacher.client.post('/api/v1/classes', { courseId: course.id, title: 'Graded class', organizationId: org })
    ).body.id;
    for (const n of [1, 2]) {
      const email = `ags-learner-${n}@example.com`;
      const learner = await createPerson(root, { email, name: `Learner ${n}`, organizationId: org, role: 'learner' });
      const enrolled = await teacher.client.post(`/api/v1/classes/${classId}/enrollments`, { userId: learner.id });
      expect(enrolled.status).toBe(201);
      learners.push({ id: learner.id, email, enrollmentId: enrolled.body.id });
    }
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should announce the class line items and the placement’s own line item when a class learner launches in the frame', async () => {
    const [first] = learners;
    const launch = await launchAs(first);
    expect(launch.claims?.sub).toBe(first.id);
    ltiResourceLinkId = (launch.claims?.[RESOURCE_LINK] as { id: string }).id;
    expect(ltiResourceLinkId).toMatch(/^\S+$/);
    const claim = launch.claims?.[AGS] as AgsClaim;
    expect(claim).toEqual({
      scope: expect.any(Array),
      lineitems: lineItemsUrl(),
      lineitem: expect.stringMatching(new RegExp(`^${lineItemsUrl().replace(/[.:/]/g, '\\$&')}/${UUID}$`)),
    });
    expect([...claim.scope].sort()).toEqual(Object.values(AGS_SCOPES).sort());
    // ltijs reads the claim into its digest, which its Grade service works from.
    expect(launch.idToken.platformContext.endpoint).toEqual(claim);
    lineitemUrl = claim.lineitem!;
    // A score is required: the launch alone leaves the activity waiting for it.
    expect(await statusShown(first)).toBe(STATUS.awaitingScore);
  });

  it('should list the declarative line item, take a passing score and show the activity Completed when the tool grades through ltijs', async () => {
    const [first] = learners;
    const { idToken } = first.launch!;
    const listed = (await tool.lti.Grade.getLineItems(idToken)) as { lineItems: LineItemJson[] };
    expect(listed.lineItems).toEqual([declarativeLineItem()]);

    const sent = await tool.lti.Grade.submitScore(idToken, lineitemUrl, {
      scoreGiven: 80,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    expect(sent).toMatchObject({ userId: first.id });
    expect(await waitForStatus(first, STATUS.completed)).toBe(STATUS.completed);
    expect(await first.page!.locator(`li[data-activity="${activityId}"] .score`).textContent()).toBe('Score 80%');

    const results = (await tool.lti.Grade.getScores(idToken, lineitemUrl)) as { scores: unknown[] };
    expect(results.scores).toEqual([
      {
        id: `${lineitemUrl}/results/${first.launch!.claims?.sub as string}`,
        scoreOf: lineitemUrl,
        userId: first.launch!.claims?.sub,
        resultScore: 80,
        resultMaximum: 100,
      },
    ]);
  });

  it('should show Awaiting review for a score pending manual grading, then Failed for a final score below the passing score', async () => {
    const [first, second] = learners;
    const { idToken } = await launchAs(second);
    // One line item per placement and class: the second learner's launch names the same one.
    expect((second.launch!.claims?.[AGS] as AgsClaim).lineitem).toBe(lineitemUrl);
    expect(await statusShown(second)).toBe(STATUS.awaitingScore);

    await tool.lti.Grade.submitScore(idToken, lineitemUrl, {
      activityProgress: 'Submitted',
      gradingProgress: 'PendingManual',
    });
    expect(await waitForStatus(second, STATUS.awaitingReview)).toBe(STATUS.awaitingReview);

    await tool.lti.Grade.submitScore(idToken, lineitemUrl, {
      scoreGiven: PASSING_SCORE - 15,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    expect(await waitForStatus(second, STATUS.failed)).toBe(STATUS.failed);
    expect(await second.page!.locator(`li[data-activity="${activityId}"] .score`).textContent()).toBe('Score 45%');

    // Each learner has a result of their own; the first learner's stays as it was.
    const secondOnly = (await tool.lti.Grade.getScores(idToken, lineitemUrl, { userId: second.id })) as {
      scores: { userId: string; resultScore?: number }[];
    };
    expect(secondOnly.scores).toEqual([expect.objectContaining({ userId: second.id, resultScore: 45 })]);
    const all = (await tool.lti.Grade.getScores(idToken, lineitemUrl)) as { scores: { userId: string }[] };
    expect(all.scores.map((s) => s.userId).sort()).toEqual([first.id, second.id].sort());
    expect(await statusShown(first)).toBe(STATUS.completed);
  });

  it('should store scores on a line item the tool makes without changing the learner’s status, and let the tool delete it but not the declarative one', async () => {
    const [, second] = learners;
    const { idToken } = second.launch!;
    const bonus = (await tool.lti.Grade.createLineItem(
      idToken,
      { label: 'Bonus', scoreMaximum: 10, resourceId: 'quiz-7', tag: 'bonus' },
      { resourceLinkId: true },
    )) as LineItemJson;
    expect(bonus).toEqual({
      id: expect.stringMatching(new RegExp(`^${lineItemsUrl().replace(/[.:/]/g, '\\$&')}/${UUID}$`)),
      label: 'Bonus',
      scoreMaximum: 10,
      resourceLinkId: ltiResourceLinkId,
      resourceId: 'quiz-7',
      tag: 'bonus',
    });
    expect(bonus.id).not.toBe(lineitemUrl);
    const both = (await tool.lti.Grade.getLineItems(idToken, { resourceLinkId: true })) as {
      lineItems: LineItemJson[];
    };
    expect(both.lineItems.sort(byLabel)).toEqual([bonus, declarativeLineItem()].sort(byLabel));
    const tagged = (await tool.lti.Grade.getLineItems(idToken, { tag: 'bonus' })) as { lineItems: LineItemJson[] };
    expect(tagged.lineItems).toEqual([bonus]);

    // A full score on the bonus column would complete the activity, were it the declarative line item.
    await tool.lti.Grade.submitScore(idToken, bonus.id, {
      scoreGiven: 10,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    const bonusScores = (await tool.lti.Grade.getScores(idToken, bonus.id)) as { scores: unknown[] };
    expect(bonusScores.scores).toEqual([
      {
        id: `${bonus.id}/results/${second.id}`,
        scoreOf: bonus.id,
        userId: second.id,
        resultScore: 10,
        resultMaximum: 10,
      },
    ]);
    expect(await statusShown(second)).toBe(STATUS.failed);

    await expect(tool.lti.Grade.deleteLineItemById(idToken, lineitemUrl)).rejects.toMatchObject({
      response: { statusCode: 409 },
    });
    await expect(tool.lti.Grade.deleteLineItemById(idToken, bonus.id)).resolves.toBe(true);
    const left = (await tool.lti.Grade.getLineItems(idToken, { resourceLinkId: true })) as {
      lineItems: LineItemJson[];
    };
    expect(left.lineItems).toEqual([declarativeLineItem()]);
    await expect(tool.lti.Grade.getLineItemById(idToken, bonus.id)).rejects.toMatchObject({
      response: { statusCode: 404 },
    });
  });
});
