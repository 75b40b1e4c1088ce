import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, Lti1p3AuthorizationService, PLATFORM_ROUTES } from '@tms/core';
import type { AuthorizationRequest } from '@tms/lti';
import { pageContextOf, Public, SessionRechecked, SkipCsrf } from '../shared/decorators';
import { AppRequest } from '../shared/request-context';
import { SessionRecheck } from '../shared/session-recheck';
import { Transport } from '../errors/transport';
import { LaunchBinding } from '../launch/launch-binding';
import { LaunchPages } from '../launch/launch-page';
import { relaunchPath } from '../launch/launch-paths';

const PARAMETERS = [
  'scope',
  'response_type',
  'client_id',
  'redirect_uri',
  'login_hint',
  'state',
  'response_mode',
  'nonce',
  'prompt',
  'lti_message_hint',
] as const;

/**
 * The OIDC authorization endpoint of DESIGN.md §4, GET and POST (OIDC Core §3.1.2.1). The tool sends
 * the browser here; the person must be signed in to us in that browser, or (a framed login, see
 * LaunchBinding) the browser must carry the binding of the very login it answers. Public and without a CSRF
 * token because the request comes from the tool's page; the single-use hints bind it to the launch.
 * The person's session may come from this process's cache: the hint's claim confirms it.
 */
@ApiExcludeController()
@Public()
@SkipCsrf()
@SessionRechecked()
@Transport('page')
@Controller(PLATFORM_ROUTES.authorize)
export class AuthorizationController {
  constructor(
    private readonly authorization: Lti1p3AuthorizationService,
    private readonly pages: LaunchPages,
    private readonly binding: LaunchBinding,
    private readonly recheck: SessionRecheck,
  ) {}

  @Get()
  get(@Req() request: AppRequest, @Res() response: Response) {
    return this.answer(request, request.query, response);
  }

  @Post()
  @HttpCode(200)
  post(@Req() request: AppRequest, @Res() response: Response) {
    return this.answer(request, (request.body ?? {}) as Record<string, unknown>, response);
  }

  private async answer(request: AppRequest, source: Record<string, unknown>, response: Response) {
    const params: Record<string, string> = {};
    for (const name of PARAMETERS) {
      const value = source[name];
      if (typeof value === 'string') params[name] = value;
    }
    const outcome = await this.recheck.asAnyone(request, (principal) =>
      this.authorization.authorize(principal, params as AuthorizationRequest, this.binding.boundLogins(request)),
    );
    // Not to be posted to a redirect_uri we cannot trust: said here, on our own page.
    if (outcome.kind === 'local_error') throw DomainError.refused(outcome.message, 'The tool could not be launched');
    this.pages.sendFormPost(response, pageContextOf(request), {
      action: outcome.action,
      fields: outcome.fields,
      restart: outcome.launch ? relaunchPath(outcome.launch) : null,
    });
  }
}
