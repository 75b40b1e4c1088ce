import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { OutcomeRefused, OutcomesFault } from '@tms/core';
import { POX_CONTENT_TYPE, poxFailure, poxRefusal } from '../lti1p1/pox-answers';
import { errorAnswer } from './answer';

/**
 * LTI 1.1.1 §6 Basic Outcomes. A refused request is an answer like any other: HTTP 200, the failure
 * (or `unsupported`) in `imsx_codeMajor`. A failure of ours is a POX `failure` under a 5xx status
 * (503 with Retry-After in an outage), so that a tool reading only the status knows to try again;
 * so is a body no parser could read, under its 4xx.
 */
@Catch()
@Injectable()
export class PoxFailureFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    if (error instanceof OutcomeRefused) {
      const response = host.switchToHttp().getResponse<Response>();
      if (!response.headersSent) response.status(200).type(POX_CONTENT_TYPE).send(poxRefusal(error));
      return;
    }
    const fault = error instanceof OutcomesFault ? error : null;
    const answer = errorAnswer(fault?.cause ?? error, host);
    if (!answer) return;
    const xml = poxFailure(fault?.reference ?? null, fault?.description ?? answer.problem.detail);
    answer.response.status(answer.problem.status).type(POX_CONTENT_TYPE).send(xml);
  }
}
