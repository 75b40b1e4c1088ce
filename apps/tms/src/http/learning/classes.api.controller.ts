import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ClassesService, Principal, ProgressService } from '@tms/core';
import { LargeAnswer } from '../shared/answer-limit';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage } from '../shared/paging';
import { UuidPipe } from '../shared/uuid.pipe';
import {
  BulkEnrollmentDto,
  ClassQueryDto,
  CreateClassDto,
  CreateEnrollmentDto,
  toClassDto,
  toEnrollmentDto,
  RosterQueryDto,
  UpdateClassDto,
} from './learning.dto';
import { sendProgressCsv } from './progress-csv';
import { Transport } from '../errors/transport';

@ApiTags('classes')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/classes')
export class ClassesApiController {
  constructor(
    private readonly classes: ClassesService,
    private readonly progress: ProgressService,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Classes of the organizations where you teach, paged' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ClassQueryDto) {
    return mapPage(await this.classes.list(principal, query), toClassDto);
  }

  @Post()
  @ApiCreatedResponse({ description: 'The class' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateClassDto) {
    return toClassDto(await this.classes.create(principal, body));
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toClassDto(await this.classes.get(principal, id));
  }

  @Patch(':id')
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: UpdateClassDto,
  ) {
    const { courseId: _ignored, ...changes } = body;
    return toClassDto(await this.classes.update(principal, id, changes));
  }

  @Get(':id/enrollments')
  @LargeAnswer()
  @ApiOkResponse({
    description:
      'A page of everyone enrolled, removed enrollments included (history), with progress, by name; `total` counts them all',
  })
  async roster(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: RosterQueryDto,
  ) {
    return this.progress.classRosterView(principal, id, query);
  }

  @Get(':id/enrollments.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The whole roster with progress, streamed' })
  async rosterCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    await sendProgressCsv(response, `class-${id}-roster.csv`, await this.progress.classRosterBatches(principal, id));
  }

  @Post(':id/enrollments')
  @ApiCreatedResponse({ description: 'The enrollment; 409 when the person is already enrolled' })
  async enroll(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: CreateEnrollmentDto,
  ) {
    return toEnrollmentDto(await this.classes.enroll(principal, id, body));
  }

  @Post(':id/enrollments/bulk')
  @ApiCreatedResponse({ description: 'Which emails were enrolled, already enrolled, or not found' })
  async enrollMany(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: BulkEnrollmentDto,
  ) {
    return this.classes.enrollByEmails(
      principal,
      id,
      body.emails.flatMap((line) => line.split(/[,;\s]+/)),
    );
  }

  @Delete(':id/enrollments/:enrollmentId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed from the class; the enrollment stays as history' })
  async unenroll(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
  ) {
    await this.classes.unenroll(principal, id, enrollmentId);
  }
}
