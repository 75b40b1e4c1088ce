import { Injectable } from '@nestjs/common';
import { checkHandlerRegistration, NOTICE_TYPES, NoticeType } from '@tms/lti';
import { Lti1p3Provider } from '../../catalog/lti-provider';
import { DomainError } from '../../errors/domain-error';
import { NoticeHandlerRepository } from './notice-handler.repository';

/** A tool's notice handler catalog (LTI PNS 1.0): every type we send, with its handler or "". */
export interface NoticeHandlerCatalog {
  readonly client_id: string;
  readonly deployment_id: string;
  readonly notice_handlers: readonly { readonly notice_type: NoticeType; readonly handler: string }[];
}

/**
 * The endpoint a launch names in its `platformnotificationservice` claim: the calling tool reads and
 * registers its own handlers, one per notice type, with an access token granted the `noticehandlers`
 * scope. A refused registration changes nothing.
 */
@Injectable()
export class NoticeHandlersService {
  constructor(private readonly handlers: NoticeHandlerRepository) {}

  async catalog(provider: Lti1p3Provider): Promise<NoticeHandlerCatalog> {
    const registered = new Map((await this.handlers.list(provider.id)).map((h) => [h.noticeType, h.handler]));
    return {
      client_id: provider.lti1p3.clientId,
      deployment_id: provider.lti1p3.deploymentId,
      notice_handlers: NOTICE_TYPES.map((type) => ({ notice_type: type, handler: registered.get(type) ?? '' })),
    };
  }

  async register(provider: Lti1p3Provider, body: unknown): Promise<{ notice_type: NoticeType; handler: string }> {
    const check = checkHandlerRegistration(body);
    if (!check.ok) throw DomainError.invalidField(check.field, check.message);
    await this.handlers.put(provider.id, check.noticeType, check.handler);
    return { notice_type: check.noticeType, handler: check.handler ?? '' };
  }
}
