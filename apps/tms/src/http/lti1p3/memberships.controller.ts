import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  MembershipsService,
  NRPS_DEFAULT_LIMIT,
  NRPS_MAX_LIMIT,
  PLATFORM_ROUTES,
  PlatformUrls,
  Lti1p3Provider,
  MembershipPage,
} from '@tms/core';
import { NRPS_SCOPES } from '@tms/lti';
import { LargeAnswer } from '../shared/answer-limit';
import { Public } from '../shared/decorators';
import { AppRequest } from '../shared/request-context';
import { paging, textParam } from './service-http';
import { CallingTool, ToolScopes } from './tool-token.guard';
import { Transport } from '../errors/transport';

export const NRPS_MEDIA_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/**
 * What an answer to a differences link holds. NRPS 2.0 defines no way to say that a link was too old
 * to answer with changes only, so a header of ours says it, and the body stays the spec's container.
 */
export const DIFFERENCES_HEADER = 'Lti-Nrps-Differences';
const ANSWERED = { differences: 'changes-only', roster_for_expired_differences: 'expired-full-roster' } as const;

/**
 * Names and Role Provisioning Services 2.0 (`context_memberships_url`): the members of one context,
 * for a token granted `contextmembership.readonly`, paged with `Link: rel="next"` (NRPS 2.0 §2.4),
 * each answer with `Link: rel="differences"` to the changes since it (NRPS 2.0 §2.4.1).
 */
@ApiExcludeController()
@Public()
@Transport('service')
@Controller(PLATFORM_ROUTES.memberships)
export class MembershipsController {
  constructor(
    private readonly memberships: MembershipsService,
    private readonly urls: PlatformUrls,
  ) {}

  @Get()
  @LargeAnswer()
  @ToolScopes(NRPS_SCOPES.contextMembershipReadOnly)
  async list(
    @CallingTool() provider: Lti1p3Provider,
    @Req() request: AppRequest,
    @Param('contextId') contextId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const { limit, page, offset } = paging(query, NRPS_DEFAULT_LIMIT, NRPS_MAX_LIMIT);
    const result = await this.memberships.list(provider, contextId, {
      role: textParam(query.role, 'role'),
      rlid: textParam(query.rlid, 'rlid'),
      since: textParam(query.since, 'since'),
      anchor: textParam(query.anchor, 'anchor'),
      limit,
      offset,
    });
    const self = this.urls.received(request.originalUrl);
    response.setHeader('Link', membershipLinks(self, result, page, limit).join(', '));
    if (result.answered !== 'roster') response.setHeader(DIFFERENCES_HEADER, ANSWERED[result.answered]);
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
  }
}

/**
 * `rel="differences"` on every page: the changes since the first page was read (a later page's `next`
 * carries that page's token as `anchor`), with the same `role`, `rlid` and `limit`; `rel="next"`
 * while more remain, with the `since` being answered.
 */
function membershipLinks(self: string, result: MembershipPage, page: number, limit: number): string[] {
  const differences = new URL(self);
  for (const name of ['page', 'anchor']) differences.searchParams.delete(name);
  differences.searchParams.set('since', result.differences);
  const links = [`<${differences.toString()}>; rel="differences"`];
  if (result.next !== null) {
    const next = new URL(self);
    next.searchParams.set('page', String(page + 1));
    next.searchParams.set('limit', String(limit));
    next.searchParams.set('anchor', result.differences);
    links.unshift(`<${next.toString()}>; rel="next"`);
  }
  return links;
}
