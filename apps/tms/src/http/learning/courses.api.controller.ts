import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CoursesService, Principal, ProgressService } from '@tms/core';
import { toResourceLinkDto } from '../catalog/resource-link.dto';
import { LargeAnswer } from '../shared/answer-limit';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage } from '../shared/paging';
import { UuidPipe } from '../shared/uuid.pipe';
import {
  ActivityDto,
  CourseQueryDto,
  CreateActivityDto,
  CreateCourseDto,
  ReorderActivitiesDto,
  toActivityDto,
  toCourseDto,
  RosterQueryDto,
  UpdateActivityDto,
  UpdateCourseDto,
} from './learning.dto';
import { sendProgressCsv } from './progress-csv';
import { Transport } from '../errors/transport';

@ApiTags('courses')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/courses')
export class CoursesApiController {
  constructor(
    private readonly courses: CoursesService,
    private readonly progress: ProgressService,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Courses of the organizations where you author, paged' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: CourseQueryDto) {
    return mapPage(await this.courses.list(principal, query), toCourseDto);
  }

  @Post()
  @ApiCreatedResponse({ description: 'The course' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateCourseDto) {
    return toCourseDto(await this.courses.create(principal, body));
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The course with its activities in order' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toCourseDto(await this.courses.get(principal, id));
  }

  @Patch(':id')
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: UpdateCourseDto,
  ) {
    return toCourseDto(await this.courses.update(principal, id, body));
  }

  @Get(':id/activities')
  @ApiOkResponse({ type: [ActivityDto] })
  async activities(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return (await this.courses.get(principal, id)).activities.map(toActivityDto);
  }

  @Get(':id/placeable-links')
  @ApiOkResponse({ description: 'Resource links that can be placed in this course (available to its organization)' })
  async placeableLinks(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    const links = await this.courses.placeableLinks(principal, id);
    return links.map((link) => toResourceLinkDto({ ...link, managed: false, providerName: '' }));
  }

  @Post(':id/activities')
  @ApiCreatedResponse({
    type: ActivityDto,
    description: 'Refused (400, nothing written) for a link not available to the course’s organization',
  })
  async addActivity(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: CreateActivityDto,
  ) {
    return toActivityDto(await this.courses.addActivity(principal, id, body));
  }

  @Put(':id/activities/order')
  @HttpCode(204)
  @ApiNoContentResponse()
  async reorder(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: ReorderActivitiesDto,
  ) {
    await this.courses.reorderActivities(principal, id, body.activityIds);
  }

  @Patch(':id/activities/:activityId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async updateActivity(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Body() body: UpdateActivityDto,
  ) {
    await this.courses.updateActivity(principal, id, activityId, body);
  }

  @Delete(':id/activities/:activityId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async removeActivity(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('activityId', UuidPipe) activityId: string,
  ) {
    await this.courses.removeActivity(principal, id, activityId);
  }

  @Get(':id/progress')
  @LargeAnswer()
  @ApiOkResponse({
    description:
      'A page of the course’s enrollments (classes and self-paced, history included) with progress, by name; `total` counts them all',
  })
  async report(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: RosterQueryDto,
  ) {
    return this.progress.courseReportView(principal, id, query);
  }

  @Get(':id/progress.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'Every enrollment in the course with progress, streamed' })
  async reportCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const batches = await this.progress.courseReportBatches(principal, id);
    await sendProgressCsv(response, `course-${id}-progress.csv`, batches);
  }
}
