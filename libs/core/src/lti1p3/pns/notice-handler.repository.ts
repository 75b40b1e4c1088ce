import type { NoticeType } from '@tms/lti';

export interface NoticeHandler {
  readonly noticeType: NoticeType;
  readonly handler: string;
}

/** Port: the notice handlers a tool registered, one per notice type (LTI PNS 1.0). */
export abstract class NoticeHandlerRepository {
  abstract list(providerId: string): Promise<NoticeHandler[]>;
  /** Registers or replaces the handler of a type; null removes it. */
  abstract put(providerId: string, noticeType: NoticeType, handler: string | null): Promise<void>;
  /** The providers among `providerIds` with a handler for the type, and the handler. */
  abstract findFor(providerIds: readonly string[], noticeType: NoticeType): Promise<Map<string, string>>;
}
