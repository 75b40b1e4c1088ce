import { Controller, Get, HttpCode, Put, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Lti1p3Provider, NoticeHandlersService, PLATFORM_ROUTES } from '@tms/core';
import { PNS_SCOPES } from '@tms/lti';
import { Public } from '../shared/decorators';
import { AppRequest } from '../shared/request-context';
import { CallingTool, ToolScopes } from './tool-token.guard';
import { Transport } from '../errors/transport';

/**
 * LTI Platform Notification Service 1.0: the `platform_notification_service_url` of a launch. The
 * calling tool (a token granted `noticehandlers`) reads its handler catalog, and registers or removes
 * (`"handler": ""`) the handler of one notice type with a JSON PUT.
 */
@ApiExcludeController()
@Public()
@Transport('service')
@Controller(PLATFORM_ROUTES.noticeHandlers)
export class NoticeHandlersController {
  constructor(private readonly handlers: NoticeHandlersService) {}

  @Get()
  @ToolScopes(PNS_SCOPES.noticeHandlers)
  catalog(@CallingTool() provider: Lti1p3Provider) {
    return this.handlers.catalog(provider);
  }

  @Put()
  @HttpCode(200)
  @ToolScopes(PNS_SCOPES.noticeHandlers)
  register(@CallingTool() provider: Lti1p3Provider, @Req() request: AppRequest) {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') throw new UnsupportedMediaTypeException('The body must be application/json');
    return this.handlers.register(provider, request.body);
  }
}
