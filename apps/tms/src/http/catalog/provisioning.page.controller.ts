import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  DomainError,
  Principal,
  PROVISIONING_COLUMNS,
  ProvisioningExportService,
  ProvisioningJobsService,
  ProvisioningProblem,
} from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { sendPage } from '../shared/page-crud';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import {
  PROVISIONING_FORMATS,
  PROVISIONING_MEDIA_TYPES,
  readProvisioningFile,
  writeProvisioningFile,
} from './provisioning-file';
import { importFormat, UploadedProvisioningFile } from './provisioning-formats';

/** Where the upload form posts; its multipart body is read before the CSRF check (see create-app). */
export const PROVISIONING_UPLOAD_PATH = '/admin/lti/provisioning/imports';

/**
 * The provisioning page: export buttons, an upload (a dry run by default), and each import as a
 * job whose page shows its progress while it runs, then its bad rows or what it did (and, after a
 * clean dry run, a button that applies it).
 */
@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin/lti/provisioning')
export class ProvisioningPageController {
  constructor(
    private readonly exports: ProvisioningExportService,
    private readonly jobs: ProvisioningJobsService,
    private readonly views: Views,
  ) {}

  @Get()
  index(@Page() page: PageContext, @Res() response: Response) {
    sendPage(response, this.renderIndex(page, []));
  }

  @Get('export.:format')
  async export(@CurrentPrincipal() principal: Principal, @Param('format') format: string, @Res() response: Response) {
    const chosen = PROVISIONING_FORMATS.find((candidate) => candidate === format);
    if (!chosen) throw DomainError.notFound('Export format');
    const rows = await this.exports.export(principal);
    response
      .type(PROVISIONING_MEDIA_TYPES[chosen])
      .attachment(`lti-catalog.${chosen}`)
      .send(writeProvisioningFile(rows, chosen));
  }

  @Post('imports')
  async upload(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request & { file?: UploadedProvisioningFile },
    @Res() response: Response,
  ) {
    const file = request.file;
    const dryRun = (request.body as Record<string, unknown>).dryRun === 'true';
    if (!file || file.buffer.length === 0) return sendPage(response.status(400), this.renderIndex(page, [noFile()]));
    let rows;
    try {
      rows = readProvisioningFile(file.buffer.toString('utf8'), importFormat(undefined, undefined, file));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
      return sendPage(response.status(400), this.renderIndex(page, linesOf(error)));
    }
    const id = await this.jobs.start(principal, { fileName: file.originalname || 'upload', dryRun, rows });
    response.redirect(303, `/admin/lti/provisioning/imports/${id}`);
  }

  @Get('imports/:id')
  async show(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const job = await this.jobs.get(principal, id);
    sendPage(response, this.views.render('lti/provisioning/job', page, { job }));
  }

  /** What the job's page polls while the import runs. */
  @Get('imports/:id/progress')
  async progress(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    const job = await this.jobs.get(principal, id);
    return { status: job.status, processed: job.processed, total: job.total };
  }

  @Post('imports/:id/apply')
  async apply(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string, @Res() response: Response) {
    const applied = await this.jobs.applyChecked(principal, id);
    response.redirect(303, `/admin/lti/provisioning/imports/${applied}`);
  }

  private renderIndex(page: PageContext, problems: readonly ProvisioningProblem[]): string {
    return this.views.render('lti/provisioning/index', page, { problems, columns: PROVISIONING_COLUMNS });
  }
}

function noFile(): ProvisioningProblem {
  return { line: 0, field: 'file', message: 'Choose a CSV or JSON file to upload' };
}

function linesOf(error: DomainError): ProvisioningProblem[] {
  const fields = error.fields.length > 0 ? error.fields : [{ field: 'file', message: error.message }];
  return fields.map((problem) => ({ line: 0, ...problem }));
}
