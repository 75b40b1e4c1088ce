import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { APP_CONFIG, RuntimeConfig } from '@tms/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, MembershipsService, NRPS_MAX_LIMIT, ServiceAccess } from '@tms/core';
import { NRPS_SCOPES } from '@tms/lti';
import { Public } from '../shared/decorators';
import { sendProblem } from '../shared/http-error.filter';
import { toProblem } from '../shared/problem';
import { AppRequest } from '../shared/request-context';

export const NRPS_MEDIA_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/**
 * Names and Role Provisioning Services 2.0 (`context_memberships_url`): the members of one context,
 * for a token granted `contextmembership.readonly`, paged with `Link: rel="next"` (NRPS 2.0 §2.4).
 */
@ApiExcludeController()
@Public()
@Controller('lti/1p3/nrps/contexts/:contextId/memberships')
export class MembershipsController {
  constructor(
    private readonly access: ServiceAccess,
    private readonly memberships: MembershipsService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get()
  async list(
    @Req() request: AppRequest,
    @Param('contextId') contextId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ) {
    try {
      const provider = await this.access.authorize(
        request.headers.authorization,
        NRPS_SCOPES.contextMembershipReadOnly,
      );
      const limit = integerParam(query.limit, 'limit', 1, NRPS_MAX_LIMIT);
      const page = integerParam(query.page, 'page', 1, 1_000_000) ?? 1;
      const result = await this.memberships.list(provider, contextId, {
        role: typeof query.role === 'string' ? query.role : undefined,
        rlid: typeof query.rlid === 'string' ? query.rlid : undefined,
        limit,
        offset: (page - 1) * (limit ?? 100),
      });
      const self = `${this.config.app.publicUrl.replace(/\/+$/, '')}${request.originalUrl}`;
      if (result.next !== null) {
        const next = new URL(self);
        next.searchParams.set('page', String(page + 1));
        if (limit) next.searchParams.set('limit', String(limit));
        response.setHeader('Link', `<${next.toString()}>; rel="next"`);
      }
      response
        .status(200)
        .type(NRPS_MEDIA_TYPE)
        .send(
          JSON.stringify({
            id: self,
            context: { id: result.context.id, label: result.context.label, title: result.context.title },
            members: result.members,
          }),
        );
    } catch (error) {
      sendServiceError(response, request, error);
    }
  }
}

function integerParam(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw DomainError.invalidField(name, `${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
}

/** RFC 6750 §3: the bearer challenge says why; the body is problem+json as for the rest of the API. */
export function sendServiceError(response: Response, request: AppRequest, error: unknown): void {
  const problem = toProblem(error);
  if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="lti", error="invalid_token"');
  if (problem.status === 403) response.setHeader('WWW-Authenticate', 'Bearer realm="lti", error="insufficient_scope"');
  sendProblem(response, request, problem);
}
