import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import { errorAnswer } from './answer';
import { sendProblem } from './problem-json.filter';

/**
 * The LTI Advantage services (AGS, NRPS): problem+json as for the API, and for a refused token the
 * bearer challenge that says why (RFC 6750 §3: `invalid_token`, `insufficient_scope`).
 */
@Catch()
@Injectable()
export class LtiServiceErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const answer = errorAnswer(error, host);
    if (!answer) return;
    const { request, response, problem } = answer;
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="lti", error="invalid_token"');
    if (problem.status === 403)
      response.setHeader('WWW-Authenticate', 'Bearer realm="lti", error="insufficient_scope"');
    sendProblem(response, request, problem);
  }
}
