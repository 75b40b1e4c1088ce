import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Principal, SubmissionsService } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
import { UuidPipe } from '../shared/uuid.pipe';
import { Transport } from '../errors/transport';
import {
  ActivitySubmissionsDto,
  ClearGradeDto,
  GradeOverrideDto,
  toActivitySubmissionsDto,
  toGradedProgressDto,
  toOverrideInput,
} from './submissions.dto';

/**
 * A learner's submissions on one activity (the learner's own, or as staff of the enrollment's
 * organization; anyone else gets 404) and the instructor grade over them.
 */
@ApiTags('grading')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/enrollments/:id/activities/:activityId')
export class SubmissionsApiController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Get('submissions')
  @ApiOkResponse({ type: ActivitySubmissionsDto, description: 'The latest attempt and the history, newest first' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('activityId', UuidPipe) activityId: string,
  ): Promise<ActivitySubmissionsDto> {
    return toActivitySubmissionsDto(await this.submissions.view(principal, id, activityId));
  }

  @Put('grade')
  @ApiOkResponse({
    description:
      "The activity's progress after the instructor grade. It stands until cleared: later tool scores are kept as overridden attempts",
  })
  async grade(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Body() body: GradeOverrideDto,
  ) {
    return toGradedProgressDto(await this.submissions.override(principal, id, activityId, toOverrideInput(body)));
  }

  @Post('grade/clear')
  @HttpCode(200)
  @ApiOkResponse({
    description: "The activity's progress after the grade is withdrawn: the tool's latest score decides",
  })
  async clear(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Body() body: ClearGradeDto,
  ) {
    return toGradedProgressDto(await this.submissions.clearOverride(principal, id, activityId, body.reason));
  }
}
