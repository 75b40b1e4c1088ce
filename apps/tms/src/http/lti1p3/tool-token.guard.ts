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
const TOKEN_RECHECKED = 'tms:token-rechecked';

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
    if (this.reflector.get<boolean>(TOKEN_RECHECKED, context.getHandler())) {
      const calling = await this.access.authorizeRechecked(request.headers.authorization, scopes);
      request.tool = calling.provider;
      request.toolTokenHash = calling.tokenHash;
    } else {
      request.tool = await this.access.authorize(request.headers.authorization, scopes);
    }
    return true;
  }
}

/** The route serves a tool whose token grants one of `scopes`. */
export const ToolScopes = (...scopes: string[]) =>
  applyDecorators(SetMetadata(TOOL_SCOPES, scopes), UseGuards(ToolTokenGuard));

/**
 * Like {@link ToolScopes}, for a route whose own statement checks that the token is still usable
 * (`@CallingToolToken()` names it): the guard may accept a token from this process's cache.
 */
export const ToolScopesRechecked = (...scopes: string[]) =>
  applyDecorators(SetMetadata(TOOL_SCOPES, scopes), SetMetadata(TOKEN_RECHECKED, true), UseGuards(ToolTokenGuard));

/** The hash of the token ToolTokenGuard accepted on a {@link ToolScopesRechecked} route. */
export const CallingToolToken = createParamDecorator(
  (_: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<AppRequest>().toolTokenHash!,
);

/** The tool ToolTokenGuard authenticated. */
export const CallingTool = createParamDecorator(
  (_: unknown, context: ExecutionContext): Lti1p3Provider => context.switchToHttp().getRequest<AppRequest>().tool!,
);
