import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import { pageContextOf } from '../shared/decorators';
import { Views } from '../shared/views';
import { errorAnswer } from './answer';

const logger = new Logger('HttpError');

/**
 * Pages for browsers: someone not signed in is sent to sign in (and back), anything else gets an
 * error page with the problem's heading and reason and the request id to quote.
 */
@Catch()
@Injectable()
export class PageErrorFilter implements ExceptionFilter {
  constructor(private readonly views: Views) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const answer = errorAnswer(error, host);
    if (!answer) return;
    const { request, response, problem } = answer;
    if (problem.code === 'unauthenticated' && request.method === 'GET') {
      response.redirect(303, `/login?next=${encodeURIComponent(request.originalUrl)}`);
      return;
    }
    let html: string;
    try {
      html = this.views.render('errors/error', pageContextOf(request), { problem, requestId: request.id });
    } catch (renderError) {
      // The error page itself failed: answer with something that cannot fail, never a stack trace.
      logger.error({ err: renderError, requestId: request.id }, 'Error page failed to render');
      html = `<!doctype html><title>${problem.status}</title><h1>${problem.title}</h1>`;
    }
    response.status(problem.status).type('html').send(html);
  }
}
