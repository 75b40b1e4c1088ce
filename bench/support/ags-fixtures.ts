import { AGS_MEDIA_TYPES } from '../../libs/lti/src/lti1p3/ags';
import { AGS_SCOPES } from '../../libs/lti/src/lti1p3/lti-services';
import { createSelfPacedLearner, mapWithConcurrency, range } from './lti1p1-fixtures';
import { placeLti1p3Tool } from './lti1p3-fixtures';
import { requestToken, ToolClient } from './lti1p3-services';

/** A learner as the tool knows them: the user id of the launches (ours, with the default privacy). */
export interface AgsLearner {
  readonly userId: string;
  readonly enrollmentId: string;
}

export interface AgsFixtures {
  readonly providerId: string;
  readonly tool: ToolClient;
  /** Our token URL: where the tool asks, and the `aud` of its client assertions. */
  readonly tokenUrl: string;
  /** The course's self-paced offering, `<courseId>:self-paced`. */
  readonly contextId: string;
  /** The placement's platform-made line item, as the line item container lists it (a full URL). */
  readonly lineItemUrl: string;
  readonly learners: readonly AgsLearner[];
}

/**
 * The LTI 1.3 tool placed (placeLti1p3Tool) with the `grades` service, and `learners` learners
 * with a self-paced assignment each (no password: nobody signs in, the tool does the talking).
 * The line item is found as a tool finds it: a token, then the context's line item container.
 */
export async function createAgsFixtures(baseUrl: string, learnerCount: number): Promise<AgsFixtures> {
  const placed = await placeLti1p3Tool(baseUrl, { services: ['grades'] });
  const learners = await mapWithConcurrency(range(learnerCount), 4, (i) =>
    createSelfPacedLearner(placed.root, {
      email: `bench-ags-learner-${String(i).padStart(3, '0')}@example.com`,
      name: `Bench Learner ${i}`,
      organizationId: placed.organizationId,
      courseId: placed.courseId,
    }),
  );
  const tool: ToolClient = { clientId: placed.platform.clientId, privateKey: placed.toolPrivateKey };
  const tokenUrl = placed.platform.tokenUrl;
  const contextId = `${placed.courseId}:self-paced`;
  const token = await requestToken(tool, tokenUrl, [AGS_SCOPES.lineItemReadOnly]);
  const response = await fetch(`${baseUrl}/lti/1p3/ags/contexts/${encodeURIComponent(contextId)}/lineitems`, {
    headers: { authorization: `Bearer ${token}`, accept: AGS_MEDIA_TYPES.lineItemContainer },
  });
  const items = (await response.json()) as { id: string }[];
  if (response.status !== 200 || items.length !== 1) {
    throw new Error(`the line item container answered ${response.status}: ${JSON.stringify(items).slice(0, 300)}`);
  }
  return { providerId: placed.providerId, tool, tokenUrl, contextId, lineItemUrl: items[0].id, learners };
}
