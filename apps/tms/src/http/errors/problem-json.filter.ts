import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { AppRequest } from '../shared/request-context';
import { errorAnswer } from './answer';
import { Problem } from './problem';

/** RFC 9457 problem details, for the JSON API and the operations routes. */
@Catch()
@Injectable()
export class ProblemJsonFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const answer = errorAnswer(error, host);
    if (answer) sendProblem(answer.response, answer.request, answer.problem);
  }
}

/** The API's bearer challenge unless the route set its own (RFC 6750 §3), and the problem's JSON. */
export function sendProblem(response: Response, request: AppRequest, problem: Problem): void {
  if (problem.status === 401 && !response.hasHeader('WWW-Authenticate')) {
    response.setHeader('WWW-Authenticate', 'Bearer realm="tms"');
  }
  response
    .status(problem.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `urn:tms:problem:${problem.code}`,
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        code: problem.code,
        ...(problem.fields.length > 0 ? { errors: problem.fields } : {}),
        instance: request.path,
        requestId: request.id,
      }),
    );
}
