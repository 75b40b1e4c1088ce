/**
 * LTI Platform Notification Service 1.0 (1EdTech, 2024): the launch claim that names the notice
 * handler endpoint, the tool's handler registrations, and the notices the platform sends — each a
 * JWT the platform signs, posted to the handler as `{"notices": [{"jwt": …}]}`.
 */
export const PNS_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/platformnotificationservice';
export const NOTICE_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/notice';
export const ORIGIN_CONTEXTS_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/origin_contexts';

export const PNS_SCOPES = {
  noticeHandlers: 'https://purl.imsglobal.org/spec/lti/scope/noticehandlers',
} as const;

/** The notice types we send: a test notice on demand, and a context made by copying another. */
export const NOTICE_TYPES = ['LtiHelloWorldNotice', 'LtiContextCopyNotice'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

export function isNoticeType(value: unknown): value is NoticeType {
  return typeof value === 'string' && (NOTICE_TYPES as readonly string[]).includes(value);
}

/** The `platformnotificationservice` claim of a launch of a tool granted the service. */
export function pnsClaim(serviceUrl: string): Record<string, unknown> {
  return {
    service_versions: ['1.0'],
    platform_notification_service_url: serviceUrl,
    scope: [PNS_SCOPES.noticeHandlers],
    notice_types_supported: [...NOTICE_TYPES],
  };
}

const MAX_HANDLER_LENGTH = 2048;

export type HandlerRegistrationCheck =
  | { readonly ok: true; readonly noticeType: NoticeType; readonly handler: string | null }
  | { readonly ok: false; readonly field: 'notice_type' | 'handler'; readonly message: string };

/**
 * A tool's PUT of one notice handler: `{notice_type, handler}`, one handler per type; an empty
 * handler removes it (null). The handler is an absolute http(s) URL without credentials; whether
 * its address may be reached is the outbound guard's decision at delivery.
 */
export function checkHandlerRegistration(body: unknown): HandlerRegistrationCheck {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (!isNoticeType(fields.notice_type)) {
    return { ok: false, field: 'notice_type', message: `notice_type must be one of ${NOTICE_TYPES.join(', ')}` };
  }
  const handler = fields.handler;
  if (handler === '') return { ok: true, noticeType: fields.notice_type, handler: null };
  if (typeof handler !== 'string' || handler.length > MAX_HANDLER_LENGTH) {
    return {
      ok: false,
      field: 'handler',
      message: `handler must be a URL of at most ${MAX_HANDLER_LENGTH} characters, or "" to remove it`,
    };
  }
  let url: URL;
  try {
    url = new URL(handler);
  } catch {
    return { ok: false, field: 'handler', message: 'handler must be an absolute URL' };
  }
  if (!['https:', 'http:'].includes(url.protocol) || url.username || url.password) {
    return { ok: false, field: 'handler', message: 'handler must be an http(s) URL without credentials' };
  }
  return { ok: true, noticeType: fields.notice_type, handler: url.toString() };
}

export interface NoticeInput {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly noticeId: string;
  readonly type: NoticeType;
  /** When what the notice tells happened. */
  readonly timestamp: Date;
  readonly nonce: string;
  /** Claims of the notice type (for a context copy: the new context and `origin_contexts`). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** The payload of a notice JWT (`iat` and `exp` are set when it is signed, at each delivery). */
export function noticeClaims(input: NoticeInput): Record<string, unknown> {
  return {
    iss: input.issuer,
    aud: input.clientId,
    azp: input.clientId,
    nonce: input.nonce,
    'https://purl.imsglobal.org/spec/lti/claim/deployment_id': input.deploymentId,
    'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
    [NOTICE_CLAIM]: { id: input.noticeId, timestamp: input.timestamp.toISOString(), type: input.type },
    ...input.claims,
  };
}

/** The body posted to a notice handler. */
export function noticeBody(jwts: readonly string[]): { notices: { jwt: string }[] } {
  return { notices: jwts.map((jwt) => ({ jwt })) };
}
