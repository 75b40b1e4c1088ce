import { CatalogAccess } from '../../catalog/catalog-access';
import { LtiProviderRepository } from '../../catalog/lti-provider.repository';
import { LtiResourceLinkRepository } from '../../catalog/lti-resource-link.repository';
import { PlatformUrls } from '../../launch/platform-urls';
import { lti1p1Provider, lti1p3Provider, resourceLink } from '../../testing/catalog.factories';
import { activity, course } from '../../testing/learning.factories';
import { NewNoticeDelivery, NoticeDelivery, NoticeDeliveryRepository } from './notice-delivery.repository';
import { NoticeHandlerRepository } from './notice-handler.repository';
import { PlatformNoticesService } from './platform-notices.service';

const granted = lti1p3Provider({ id: 'granted' }, { services: ['notices'], clientId: 'client-g' });
const notGranted = lti1p3Provider({ id: 'not-granted' }, { services: ['roster'] });
const old = lti1p1Provider({ id: 'old-1p1' });

function setUp(handlers: Map<string, string>) {
  const providers = {
    findById: jest.fn(async (id: string) => [granted, notGranted, old].find((p) => p.id === id) ?? null),
  } as unknown as LtiProviderRepository;
  const links = {
    findByIds: jest.fn(async () => [
      { ...resourceLink({ id: 'link-g', providerId: 'granted' }), providerName: 'G' },
      { ...resourceLink({ id: 'link-n', providerId: 'not-granted' }), providerName: 'N' },
      { ...resourceLink({ id: 'link-o', providerId: 'old-1p1' }), providerName: 'O' },
    ]),
  } as unknown as LtiResourceLinkRepository;
  const handlerRepository = {
    findFor: jest.fn(async (ids: readonly string[]) => new Map([...handlers].filter(([id]) => ids.includes(id)))),
  } as unknown as NoticeHandlerRepository;
  const deliveries = {
    enqueue: jest.fn(async (d: NewNoticeDelivery) => ({ ...d, status: 'pending' }) as unknown as NoticeDelivery),
  } as unknown as jest.Mocked<NoticeDeliveryRepository>;
  const urls = { issuer: 'https://platform.example' } as PlatformUrls;
  const service = new PlatformNoticesService(
    providers,
    links,
    {} as CatalogAccess,
    handlerRepository,
    deliveries,
    urls,
  );
  return { service, deliveries };
}

describe('PlatformNoticesService.contextCopied', () => {
  const source = course({ id: 'course-old', title: 'Safety', code: 'SAF-1' });
  const copy = course({
    id: 'course-new',
    title: 'Safety (copy)',
    code: 'SAF-2',
    activities: ['link-g', 'link-n', 'link-o'].map((id, i) =>
      activity({ id: `a-${i}`, courseId: 'course-new', resourceLinkId: id }),
    ),
  });

  it('should queue one LtiContextCopyNotice naming the new context and its origin for each tool granted notices with a handler', async () => {
    const { service, deliveries } = setUp(
      new Map([
        ['granted', 'https://g.example/notices'],
        ['not-granted', 'https://n.example/notices'],
      ]),
    );
    const queued = await service.contextCopied(source, copy, new Date('2026-12-01T10:00:00Z'));
    expect(queued).toHaveLength(1);
    const sent = deliveries.enqueue.mock.calls[0][0];
    expect(sent).toMatchObject({
      providerId: 'granted',
      noticeType: 'LtiContextCopyNotice',
      handler: 'https://g.example/notices',
    });
    expect(sent.claims).toMatchObject({
      iss: 'https://platform.example',
      aud: 'client-g',
      'https://purl.imsglobal.org/spec/lti/claim/notice': {
        id: sent.id,
        timestamp: '2026-12-01T10:00:00.000Z',
        type: 'LtiContextCopyNotice',
      },
      'https://purl.imsglobal.org/spec/lti/claim/context': {
        id: 'course-new:self-paced',
        label: 'SAF-2',
        type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
      },
      'https://purl.imsglobal.org/spec/lti/claim/origin_contexts': ['course-old:self-paced'],
    });
  });

  it('should queue nothing when no tool placed in the copy has a handler for context copies', async () => {
    const { service, deliveries } = setUp(new Map());
    expect(await service.contextCopied(source, copy)).toEqual([]);
    expect(deliveries.enqueue).not.toHaveBeenCalled();
  });
});
