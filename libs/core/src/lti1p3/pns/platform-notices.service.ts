import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CONTEXT_TYPES, noticeClaims, NoticeType, ORIGIN_CONTEXTS_CLAIM } from '@tms/lti';
import { Principal } from '../../access/principal';
import { CatalogAccess } from '../../catalog/catalog-access';
import { isLti1p3, Lti1p3Provider } from '../../catalog/lti-provider';
import { LtiProviderRepository } from '../../catalog/lti-provider.repository';
import { LtiResourceLinkRepository } from '../../catalog/lti-resource-link.repository';
import { DomainError } from '../../errors/domain-error';
import { PlatformUrls } from '../../launch/platform-urls';
import { Course, CourseWithActivities } from '../../learning/learning';
import { ltiContextOf } from '../../learning/lti-context';
import { Page, PageRequest } from '../../shared/page';
import { NoticeDelivery, NoticeDeliveryRepository } from './notice-delivery.repository';
import { NoticeHandler, NoticeHandlerRepository } from './notice-handler.repository';

/**
 * What the platform tells tools (LTI PNS 1.0): notices are queued here, in the caller's transaction,
 * for the tools granted the service that registered a handler for the type; the NoticeDispatcher
 * signs and delivers them. Administrators of a tool see its handlers and its notices, and can send it
 * an `LtiHelloWorldNotice` to try the connection.
 */
@Injectable()
export class PlatformNoticesService {
  constructor(
    private readonly providers: LtiProviderRepository,
    private readonly links: LtiResourceLinkRepository,
    private readonly catalog: CatalogAccess,
    private readonly handlers: NoticeHandlerRepository,
    private readonly deliveries: NoticeDeliveryRepository,
    private readonly urls: PlatformUrls,
  ) {}

  async helloWorld(principal: Principal, providerId: string): Promise<NoticeDelivery> {
    const provider = await this.managed(principal, providerId);
    if (!isLti1p3(provider) || !provider.lti1p3.services.includes('notices')) {
      throw new DomainError('conflict', 'This tool is not granted the Platform Notification Service.');
    }
    const handler = (await this.handlers.findFor([provider.id], 'LtiHelloWorldNotice')).get(provider.id);
    if (!handler) throw new DomainError('conflict', 'The tool has registered no handler for LtiHelloWorldNotice yet.');
    return this.enqueue(provider, 'LtiHelloWorldNotice', handler, new Date(), {});
  }

  /**
   * A course copy made `copy` from `source`: each tool placed in the copy, granted the service and
   * with a handler for it, gets an `LtiContextCopyNotice` naming the copy's self-paced context and
   * the context it came from. Call it inside the copy's transaction.
   */
  async contextCopied(source: Course, copy: CourseWithActivities, copiedAt = new Date()): Promise<NoticeDelivery[]> {
    const linkIds = [...new Set(copy.activities.map((a) => a.resourceLinkId))];
    const providerIds = [...new Set((await this.links.findByIds(linkIds)).map((l) => l.providerId))];
    const handlers = await this.handlers.findFor(providerIds, 'LtiContextCopyNotice');
    const context = ltiContextOf(copy, null);
    const claims = {
      'https://purl.imsglobal.org/spec/lti/claim/context': {
        id: context.id,
        label: context.label,
        title: context.title,
        type: [CONTEXT_TYPES.CourseOffering],
      },
      [ORIGIN_CONTEXTS_CLAIM]: [ltiContextOf(source, null).id],
    };
    const queued: NoticeDelivery[] = [];
    for (const [providerId, handler] of handlers) {
      const provider = await this.providers.findById(providerId);
      if (provider && isLti1p3(provider) && provider.lti1p3.services.includes('notices')) {
        queued.push(await this.enqueue(provider, 'LtiContextCopyNotice', handler, copiedAt, claims));
      }
    }
    return queued;
  }

  async handlersOf(principal: Principal, providerId: string): Promise<NoticeHandler[]> {
    return this.handlers.list((await this.managed(principal, providerId)).id);
  }

  async deliveriesOf(principal: Principal, providerId: string, page: PageRequest): Promise<Page<NoticeDelivery>> {
    return this.deliveries.listForProvider((await this.managed(principal, providerId)).id, page);
  }

  private async managed(principal: Principal, providerId: string) {
    const scope = await this.catalog.scopeOf(principal);
    return this.catalog.requireManaged(scope, await this.providers.findVisible(scope, providerId), 'Provider');
  }

  private enqueue(
    provider: Lti1p3Provider,
    type: NoticeType,
    handler: string,
    timestamp: Date,
    claims: Record<string, unknown>,
  ): Promise<NoticeDelivery> {
    const id = randomUUID();
    return this.deliveries.enqueue({
      id,
      providerId: provider.id,
      noticeType: type,
      handler,
      claims: noticeClaims({
        issuer: this.urls.issuer,
        clientId: provider.lti1p3.clientId,
        deploymentId: provider.lti1p3.deploymentId,
        noticeId: id,
        type,
        timestamp,
        nonce: randomUUID(),
        claims,
      }),
    });
  }
}
