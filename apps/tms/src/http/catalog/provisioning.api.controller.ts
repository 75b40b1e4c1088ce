import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Principal, ProvisioningExportService, ProvisioningImportService } from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal } from '../shared/decorators';
import { ProvisioningQueryDto, ProvisioningReportDto } from './provisioning.dto';
import {
  PROVISIONING_FILE_LIMIT,
  PROVISIONING_MEDIA_TYPES,
  readProvisioningFile,
  writeProvisioningFile,
} from './provisioning-file';
import { exportFormat, importFormat, UploadedProvisioningFile } from './provisioning-formats';

/**
 * Bulk provisioning of the LTI catalog (DESIGN.md §4): the providers and resource links of the
 * caller's organizations out as one file, and a file in, all of it or nothing.
 */
@ApiTags('lti provisioning')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/lti/provisioning')
export class ProvisioningApiController {
  constructor(
    private readonly exports: ProvisioningExportService,
    private readonly imports: ProvisioningImportService,
  ) {}

  @Get()
  @ApiProduces('text/csv', 'application/json')
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'json'], description: 'Overrides the Accept header' })
  @ApiOkResponse({
    description:
      'Providers and resource links owned by your organizations, one row each (CSV with a header line, or JSON {format, rows}); shared secrets masked, organizations by path',
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ProvisioningQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const format = exportFormat(query.format, request.headers.accept);
    const rows = await this.exports.export(principal);
    response
      .type(PROVISIONING_MEDIA_TYPES[format])
      .attachment(`lti-catalog.${format}`)
      .send(writeProvisioningFile(rows, format));
  }

  @Post()
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: PROVISIONING_FILE_LIMIT, files: 1, fields: 5 } }))
  @ApiConsumes('multipart/form-data', 'text/csv', 'application/json')
  @ApiBody({
    description:
      'The file: a multipart upload (field "file") or the raw body (text/csv, or application/json {rows: [...]})',
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOkResponse({
    type: ProvisioningReportDto,
    description:
      'Every row checked, then all applied in one transaction (or, with dryRun=true, what would happen). Any bad row: 400 with errors [{line, field, message}] for every one, and nothing written',
  })
  async import(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ProvisioningQueryDto,
    @Req() request: Request,
    @Body() body: unknown,
    @UploadedFile() file: UploadedProvisioningFile | undefined,
  ) {
    const format = importFormat(query.format, request.headers['content-type'], file);
    const content = file ? file.buffer.toString('utf8') : body;
    const rows = readProvisioningFile(content, format);
    return this.imports.import(principal, rows, { dryRun: query.dryRun ?? false });
  }
}
