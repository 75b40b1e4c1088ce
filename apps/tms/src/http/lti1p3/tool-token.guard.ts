import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Lti1p3Provider, ServiceAccess } from '@tms/core';
import { AppRequest } from '../shared/request-context';

const TOOL_SCOPES = 'tms:tool-scopes';

/**
 * Authenticates the tool calling an LTI Advantage service by its bearer token (LTI Security 1.0
 * §4.1; RFC 6750), which must grant one of the route's scopes (a read-only scope or the full one).
 * A refusal goes to the route's transport: 401 / 403 with the bearer challenge.
 */
@Injectable()
export class ToolTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: ServiceAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scopes = this.reflector.get<readonly string[]>(TOOL_SCOPES, context.getHandler());
    const request = context.switchToHttp().getRequest<AppRequest>();
    request.tool = await this.access.authorize(request.headers.authorization, scopes);
    return true;
  }
}

/** The route serves a tool whose token grants one of `scopes`. */
export const ToolScopes = (...scopes: string[]) =>
  applyDecorators(SetMetadata(TOOL_SCOPES, scopes), UseGuards(ToolTokenGuard));

/** The tool ToolTokenGuard authenticated. */
export const CallingTool = createParamDecorator(
  (_: unknown, context: ExecutionContext): Lti1p3Provider => context.switchToHttp().getRequest<AppRequest>().tool!,
);
