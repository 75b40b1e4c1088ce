import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import { ClientRegistrationRefused, TokenRequestRefused } from '@tms/core';
import { errorAnswer } from './answer';

/**
 * RFC 6749 §5.2 errors, for the token endpoint, and the same shape for the registration endpoint
 * (RFC 7591 §3.2.2; a registration token that is not usable is RFC 6750 §3.1 `invalid_token`). A refusal says its own OAuth error (`invalid_client`
 * is a 401 with its challenge); anything else that no parser could read is `invalid_request`, an
 * outage `temporarily_unavailable` and a fault of ours `server_error` (the codes §4.1.2.1 defines
 * for the same situations at the authorization endpoint). Never cached, like every token answer.
 */
@Catch()
@Injectable()
export class OAuthErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const answer = errorAnswer(error, host);
    if (!answer) return;
    const { response, problem } = answer;
    const code =
      error instanceof TokenRequestRefused || error instanceof ClientRegistrationRefused
        ? error.oauthError
        : problem.status === 503
          ? 'temporarily_unavailable'
          : problem.status >= 500
            ? 'server_error'
            : 'invalid_request';
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    if (code === 'invalid_client') {
      response.setHeader('WWW-Authenticate', 'Bearer realm="lti", error="invalid_client"');
    }
    if (code === 'invalid_token') response.setHeader('WWW-Authenticate', 'Bearer realm="lti", error="invalid_token"');
    response.status(problem.status).json({ error: code, error_description: problem.detail });
  }
}
