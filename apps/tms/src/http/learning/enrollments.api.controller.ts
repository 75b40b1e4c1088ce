import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Principal, ProgressService, SelfPacedService } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage } from '../shared/paging';
import { UuidPipe } from '../shared/uuid.pipe';
import { CreateSelfPacedDto, SelfPacedQueryDto, toEnrollmentDto, toProgressDto } from './learning.dto';
import { Transport } from '../errors/transport';

@ApiTags('enrollments')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1')
export class EnrollmentsApiController {
  constructor(
    private readonly selfPaced: SelfPacedService,
    private readonly progress: ProgressService,
  ) {}

  @Get('self-paced-assignments')
  @ApiOkResponse({ description: 'Self-paced assignments in your organizations, history included, paged' })
  async listSelfPaced(@CurrentPrincipal() principal: Principal, @Query() query: SelfPacedQueryDto) {
    return mapPage(await this.selfPaced.list(principal, query), toEnrollmentDto);
  }

  @Post('self-paced-assignments')
  @ApiCreatedResponse({ description: 'A new enrollment; after a completed one it is a retake that starts clean' })
  async assign(@CurrentPrincipal() principal: Principal, @Body() body: CreateSelfPacedDto) {
    return toEnrollmentDto(await this.selfPaced.assign(principal, body));
  }

  @Delete('self-paced-assignments/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Withdrawn; it stays as history' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    await this.selfPaced.remove(principal, id);
  }

  @Get('enrollments/:id/progress')
  @ApiOkResponse({ description: 'Activity progress and course completion of one enrollment' })
  async enrollmentProgress(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toProgressDto(await this.progress.ofEnrollment(principal, id));
  }

  @Get('me/learning')
  @ApiOkResponse({ description: 'Your enrollments with progress: current ones first, then history' })
  async myLearning(@CurrentPrincipal() principal: Principal) {
    return (await this.progress.myLearning(principal)).map(toProgressDto);
  }
}
