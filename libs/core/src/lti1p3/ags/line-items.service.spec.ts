import { LineItemFields } from '@tms/lti';
import { LtiProvider } from '../../catalog/lti-provider';
import {
  LineItem,
  LineItemQuery,
  LineItemRepository,
  LineItemResult,
  LineItemScope,
  NewLineItem,
} from '../../grading/line-item.repository';
import { ltiContextOf } from '../../learning/lti-context';
import { lti1p3Provider, resourceLink } from '../../testing/catalog.factories';
import { activity, course, courseClass } from '../../testing/learning.factories';
import { ServiceContext, ServiceContexts } from '../service-contexts';
import { LineItemsService } from './line-items.service';

const tool = lti1p3Provider({ id: 'provider-1' }, { services: ['grades'] });
const quiz = activity({ id: 'activity-quiz', title: 'Quiz' });
const essay = activity({ id: 'activity-essay', title: 'Essay' });
const context: ServiceContext = {
  course: course({ activities: [quiz, essay] }),
  courseClass: courseClass(),
  context: ltiContextOf(course(), courseClass()),
  placements: [
    { activity: quiz, link: resourceLink({ lineItem: null }), resourceLinkId: 'rl-quiz' },
    {
      activity: essay,
      link: resourceLink({ lineItem: { label: 'Essay grade', scoreMaximum: 20, resourceId: 'essay', tag: 'final' } }),
      resourceLinkId: 'rl-essay',
    },
  ],
};
const scope: LineItemScope = { providerId: 'provider-1', courseId: 'course-1', classId: 'class-1' };

function item(overrides: Partial<LineItem> = {}): LineItem {
  return {
    ...scope,
    id: 'line-item-quiz',
    activityId: quiz.id,
    declarative: true,
    label: 'Quiz',
    scoreMaximum: '100',
    resourceLinkId: 'rl-quiz',
    resourceId: null,
    tag: null,
    startDateTime: null,
    endDateTime: null,
    gradesReleased: null,
    submissionReview: null,
    ...overrides,
  };
}

const fields: LineItemFields = {
  label: 'Extra credit',
  scoreMaximum: '10',
  resourceLinkId: null,
  resourceId: null,
  tag: null,
  startDateTime: null,
  endDateTime: null,
  gradesReleased: null,
  submissionReview: null,
};

function setUp(found: LineItem | null = item(), declarative: LineItem[] = []) {
  const contexts: jest.Mocked<Pick<ServiceContexts, 'resolve'>> = {
    resolve: jest.fn(async (_provider: LtiProvider, _contextId: string) => context),
  };
  const lineItems: jest.Mocked<LineItemRepository> = {
    ensureDeclarative: jest.fn(async (_items: readonly NewLineItem[]) => undefined),
    listDeclarative: jest.fn(async (_scope: LineItemScope) => declarative),
    list: jest.fn(async (_query: LineItemQuery): Promise<LineItem[]> => []),
    find: jest.fn(async (_scope: LineItemScope, _id: string) => found),
    create: jest.fn(async (created: NewLineItem) => ({ ...created, id: 'line-item-new' })),
    update: jest.fn(async (id: string, changes: Partial<NewLineItem>) => ({ ...item(), ...changes, id })),
    delete: jest.fn(async (_id: string) => undefined),
    findResult: jest.fn(),
    saveResult: jest.fn(),
    listResults: jest.fn(
      async (_query: {
        lineItemId: string;
        ltiUserId?: string;
        offset: number;
        limit: number;
      }): Promise<LineItemResult[]> => [],
    ),
  };
  const service = new LineItemsService(contexts as unknown as ServiceContexts, lineItems);
  return { service, lineItems };
}

/** Nothing was created, changed or deleted. */
function expectNothingWritten(lineItems: jest.Mocked<LineItemRepository>) {
  expect(lineItems.create).not.toHaveBeenCalled();
  expect(lineItems.update).not.toHaveBeenCalled();
  expect(lineItems.delete).not.toHaveBeenCalled();
  expect(lineItems.ensureDeclarative).not.toHaveBeenCalled();
}

describe('LineItemsService', () => {
  it('should make the platform’s line items of the placements that have none, from their links, when the container is read', async () => {
    const { service, lineItems } = setUp(null, [item()]);

    await service.list(tool, 'class-1', { offset: 0, limit: 10 });

    expect(lineItems.ensureDeclarative).toHaveBeenCalledWith([
      {
        ...scope,
        activityId: essay.id,
        declarative: true,
        label: 'Essay grade',
        scoreMaximum: '20',
        resourceLinkId: 'rl-essay',
        resourceId: 'essay',
        tag: 'final',
        startDateTime: null,
        endDateTime: null,
        gradesReleased: null,
        submissionReview: null,
      },
    ]);
    expect(lineItems.list).toHaveBeenCalledWith({ ...scope, offset: 0, limit: 10 });
  });

  it('should page with one row more than the limit and name the next offset when there is one', async () => {
    const { service, lineItems } = setUp(null, [item(), item({ activityId: essay.id })]);
    lineItems.list.mockResolvedValueOnce([item(), item(), item()]);

    expect(await service.list(tool, 'class-1', { offset: 4, limit: 2 })).toMatchObject({ next: 6 });
    expect(lineItems.ensureDeclarative).not.toHaveBeenCalled();
  });

  it('should bind a tool’s line item to the placement its resourceLinkId names when it is made', async () => {
    const { service, lineItems } = setUp();

    await service.create(tool, 'class-1', { ...fields, resourceLinkId: 'rl-essay' });

    expect(lineItems.create).toHaveBeenCalledWith({
      ...fields,
      ...scope,
      resourceLinkId: 'rl-essay',
      activityId: essay.id,
      declarative: false,
    });
  });

  it('should answer not found and make nothing when the resourceLinkId is not the tool’s in this context', async () => {
    const { service, lineItems } = setUp();

    await expect(service.create(tool, 'class-1', { ...fields, resourceLinkId: 'rl-elsewhere' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expectNothingWritten(lineItems);
  });

  it('should refuse to move the platform’s line item to another resource link and change nothing', async () => {
    const { service, lineItems } = setUp();

    await expect(
      service.update(tool, 'class-1', 'line-item-quiz', { ...fields, resourceLinkId: 'rl-essay' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'resourceLinkId', message: expect.any(String) }],
    });
    expectNothingWritten(lineItems);
  });

  it('should keep the platform’s line item on its resource link when it is replaced', async () => {
    const { service, lineItems } = setUp();

    await service.update(tool, 'class-1', 'line-item-quiz', fields);

    expect(lineItems.update).toHaveBeenCalledWith('line-item-quiz', { ...fields, resourceLinkId: 'rl-quiz' });
  });

  it('should refuse to delete the platform’s line item and delete nothing', async () => {
    const { service, lineItems } = setUp();

    await expect(service.delete(tool, 'class-1', 'line-item-quiz')).rejects.toMatchObject({ code: 'conflict' });
    expectNothingWritten(lineItems);
  });

  it('should delete a line item the tool made', async () => {
    const { service, lineItems } = setUp(item({ declarative: false }));

    await service.delete(tool, 'class-1', 'line-item-quiz');

    expect(lineItems.delete).toHaveBeenCalledWith('line-item-quiz');
  });

  it('should answer not found and read no results when the line item is another tool’s or context’s', async () => {
    const { service, lineItems } = setUp(null);

    await expect(service.results(tool, 'class-1', 'line-item-x', { offset: 0, limit: 10 })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(lineItems.find).toHaveBeenCalledWith(scope, 'line-item-x');
    expect(lineItems.listResults).not.toHaveBeenCalled();
  });
});
