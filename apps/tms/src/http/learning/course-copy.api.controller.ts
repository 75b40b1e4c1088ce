import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiTags } from '@nestjs/swagger';
import { CourseCopyService, Principal } from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal } from '../shared/decorators';
import { UuidPipe } from '../shared/uuid.pipe';
import { CopyCourseDto, SkippedActivityDto, toCourseCopyDto } from './course-copy.dto';

@ApiTags('courses')
@ApiBearerAuth()
@ApiExtraModels(SkippedActivityDto)
@Transport('api')
@Controller('api/v1/courses')
export class CourseCopyApiController {
  constructor(private readonly copies: CourseCopyService) {}

  @Post(':id/copy')
  @ApiCreatedResponse({
    description:
      'The new course with its activities in order (each a new placement with a new resource_link_id), and ' +
      '`skippedActivities`: the activities left out because their link cannot be used in the chosen organization',
  })
  async copy(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string, @Body() body: CopyCourseDto) {
    return toCourseCopyDto(await this.copies.copy(principal, id, body));
  }
}
