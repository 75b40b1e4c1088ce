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
} from '@tms/core';
import { NRPS_SCOPES } from '@tms/lti';
import { Public } from '../shared/decorators';
import { AppRequest } from '../shared/request-context';
import { paging, setNextLink, textParam } from './service-http';
import { CallingTool, ToolScopes } from './tool-token.guard';
import { Transport } from '../errors/transport';

export const NRPS_MEDIA_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/**
 * Names and Role Provisioning Services 2.0 (`context_memberships_url`): the members of one context,
 * for a token granted `contextmembership.readonly`, paged with `Link: rel="next"` (NRPS 2.0 §2.4).
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
      limit,
      offset,
    });
    const self = this.urls.received(request.originalUrl);
    if (result.next !== null) setNextLink(response, self, page, limit);
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
