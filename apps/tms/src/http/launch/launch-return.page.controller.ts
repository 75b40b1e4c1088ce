import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, LaunchRecorder, PLATFORM_ROUTES, routePath } from '@tms/core';
import { Page, Public } from '../shared/decorators';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { Transport } from '../errors/transport';
import { sendPage } from '../shared/page-crud';

const MESSAGE_MAX = 1000;

/** What a tool may pass back on the return URL (LTI 1.1.1 §3 `launch_presentation_return_url`; LTI Core 1.3 §4.4.1). */
export interface ReturnMessages {
  lti_msg?: unknown;
  lti_errormsg?: unknown;
  lti_log?: unknown;
  lti_errorlog?: unknown;
}

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() ? value.trim().slice(0, MESSAGE_MAX) : null;

/**
 * Where a tool sends the learner back: shows `lti_msg` / `lti_errormsg` to them and logs `lti_log`
 * / `lti_errorlog`. Public, because the tool navigates here from its own site (in our frame or its
 * window), where our session cookie may not be sent; the launch id alone is unguessable and leads
 * only back to the course.
 *
 * Inside our launch page's frame (the browser says `Sec-Fetch-Dest: iframe`) a whole page with its
 * navigation would nest in the page: the frame shows the tool's message alone with the way back, and
 * with no message it takes the whole window back to the course page itself.
 */
@ApiExcludeController()
@Public()
@Transport('page')
@Controller(PLATFORM_ROUTES.launchReturn)
export class LaunchReturnPageController {
  private readonly logger = new Logger('LtiReturn');

  constructor(
    private readonly recorder: LaunchRecorder,
    private readonly views: Views,
  ) {}

  @Get()
  async returned(
    @Page() page: PageContext,
    @Param('launchId', UuidPipe) launchId: string,
    @Query() query: ReturnMessages,
    @Res() response: Response,
  ) {
    const found = await this.recorder.returnOf(launchId);
    if (!found) throw DomainError.notFound('Launch');
    const log = text(query.lti_log);
    const errorLog = text(query.lti_errorlog);
    if (log) this.logger.log({ launchId, providerId: found.launch.providerId, ltiLog: log }, 'Tool log on return');
    if (errorLog)
      this.logger.warn(
        { launchId, providerId: found.launch.providerId, ltiErrorLog: errorLog },
        'Tool error log on return',
      );
    const { launch, courseId } = found;
    const backHref = launch.enrollmentId
      ? `/learn/enrollments/${launch.enrollmentId}`
      : launch.kind === 'self_test'
        ? `/admin/lti/providers/${launch.providerId}`
        : launch.kind === 'instructor'
          ? '/teach/classes'
          : courseId
            ? routePath('courseAuthoring', { courseId })
            : '/learn';
    const framed = response.req.headers['sec-fetch-dest'] === 'iframe';
    sendPage(
      response,
      this.views.render(framed ? 'launch/returned-framed' : 'launch/returned', page, {
        message: text(query.lti_msg),
        errorMessage: text(query.lti_errormsg),
        backHref,
      }),
    );
  }
}
