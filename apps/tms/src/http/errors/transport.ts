import {
  applyDecorators,
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  Injectable,
  SetMetadata,
  Type,
  UseFilters,
} from '@nestjs/common';
import { routePath } from '@tms/core';
import type { Request } from 'express';
import { LtiServiceErrorFilter } from './lti-service-error.filter';
import { OAuthErrorFilter } from './oauth-error.filter';
import { PageErrorFilter } from './page-error.filter';
import { PoxFailureFilter } from './pox-failure.filter';
import { ProblemJsonFilter } from './problem-json.filter';

/** How a route authenticates its caller (AuthGuard): a browser session, an API bearer token, or the tool itself. */
export type Authentication = 'session' | 'bearer' | 'tool';

interface TransportSpec {
  /** Where its routes live: errors that reach no route (an unknown path, a body refused before routing) go by these. */
  readonly paths: readonly string[];
  readonly errors: Type<ExceptionFilter>;
  readonly authentication: Authentication;
}

/**
 * Who a route answers, and so in which format its errors go out (DESIGN.md §3, one filter per
 * audience): browsers read pages, the JSON API and operations read problem+json, the token endpoint
 * speaks OAuth 2.0 (RFC 6749 §5.2), AGS and NRPS answer problem+json with their bearer challenge,
 * Basic Outcomes speaks POX (LTI 1.1.1 §6). A controller names its transport with @Transport.
 */
export const TRANSPORTS = {
  page: { paths: ['/'], errors: PageErrorFilter, authentication: 'session' },
  api: { paths: ['/api/', '/api'], errors: ProblemJsonFilter, authentication: 'bearer' },
  ops: { paths: ['/health', '/metrics'], errors: ProblemJsonFilter, authentication: 'session' },
  /** The token endpoint and the Dynamic Registration endpoint (RFC 7591 errors share RFC 6749's shape). */
  oauth: { paths: [routePath('token'), routePath('registration')], errors: OAuthErrorFilter, authentication: 'tool' },
  /** AGS and NRPS (PLATFORM_ROUTES.lineItems…, .memberships). */
  service: {
    paths: ['/lti/1p3/ags/', '/lti/1p3/nrps/', '/lti/1p3/pns/'],
    errors: LtiServiceErrorFilter,
    authentication: 'tool',
  },
  pox: { paths: [routePath('outcomes')], errors: PoxFailureFilter, authentication: 'tool' },
} as const satisfies Record<string, TransportSpec>;

export type TransportName = keyof typeof TRANSPORTS;

export const TRANSPORT = 'tms:transport';

/** The controller answers this audience: its errors go through that transport's filter, its callers authenticate its way. */
export const Transport = (name: TransportName) =>
  applyDecorators(SetMetadata(TRANSPORT, name), UseFilters(TRANSPORTS[name].errors));

/** The transport of a path no route took: the one with the longest matching prefix. */
export function transportOfPath(path: string): TransportName {
  let best: TransportName = 'page';
  let length = 0;
  for (const [name, spec] of Object.entries(TRANSPORTS) as [TransportName, TransportSpec][]) {
    for (const prefix of spec.paths) {
      const matches = prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`);
      if (matches && prefix.length > length) [best, length] = [name, prefix.length];
    }
  }
  return best;
}

/**
 * Errors that no route's filter saw — an unknown path, a body the parsers refused before routing —
 * answered by the filter of the transport the path belongs to.
 */
@Catch()
@Injectable()
export class RoutelessErrorFilter implements ExceptionFilter {
  private readonly filters: Record<TransportName, ExceptionFilter>;

  constructor(
    page: PageErrorFilter,
    problem: ProblemJsonFilter,
    oauth: OAuthErrorFilter,
    service: LtiServiceErrorFilter,
    pox: PoxFailureFilter,
  ) {
    this.filters = { page, api: problem, ops: problem, oauth, service, pox };
  }

  catch(error: unknown, host: ArgumentsHost): void {
    this.filters[transportOfPath(host.switchToHttp().getRequest<Request>().path)].catch(error, host);
  }
}
