import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CartridgeService, CoursesService, DomainError, Principal } from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { FormBody } from '../shared/forms';
import { redirectWithNotice, sendPage } from '../shared/page-crud';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { cartridgeFileName } from './cartridge-files';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A course's cartridge from its page: the export downloads; the import goes upload → preview (nothing
 * written) → confirm. The preview carries the very archive it read to the confirm form, so what is
 * confirmed is what was previewed, and no upload is kept on the server between the two.
 */
@ApiExcludeController()
@RequireRole('course_author', 'site_admin')
@Transport('page')
@Controller('author/courses')
export class CartridgePageController {
  constructor(
    private readonly cartridges: CartridgeService,
    private readonly courses: CoursesService,
    private readonly views: Views,
  ) {}

  @Get(':id/cartridge')
  async export(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string, @Res() response: Response) {
    const { title, archive } = await this.cartridges.exportCartridge(principal, id);
    response.attachment(cartridgeFileName(title)).type('application/vnd.ims.imscc+zip').send(archive);
  }

  @Post(':id/cartridge')
  @HttpCode(200)
  async import(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: FormBody,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const course = await this.courses.get(principal, id);
    const providers = await this.courses.importProviders(principal, id);
    const providerId = typeof body.providerId === 'string' && UUID.test(body.providerId) ? body.providerId : undefined;
    const render = (status: number, data: Record<string, unknown>) =>
      response
        .status(status)
        .type('html')
        .send(
          this.views.render('author/cartridge-import', page, {
            course,
            providers: providers.map((p) => ({ id: p.id, name: `${p.name} (LTI ${p.ltiVersion})` })),
            providerId,
            plan: null,
            archive: '',
            error: null,
            ...data,
          }),
        );
    const archive = uploadedArchive(request, body);
    if (!archive) return render(400, { error: 'Choose a cartridge file (.imscc or .zip) to import.' });
    try {
      if (body.step === 'confirm') {
        await this.cartridges.import(principal, id, archive, providerId);
        return redirectWithNotice(response, `/author/courses/${id}`, 'cartridge-imported', 'activities');
      }
      const plan = await this.cartridges.preview(principal, id, archive, providerId);
      return render(200, { plan, archive: archive.toString('base64') });
    } catch (error) {
      if (error instanceof DomainError && error.fields.length > 0) return render(400, { error: error.message });
      throw error;
    }
  }

  @Get(':id/cartridge/import')
  async importForm(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const course = await this.courses.get(principal, id);
    const providers = await this.courses.importProviders(principal, id);
    sendPage(
      response,
      this.views.render('author/cartridge-import', page, {
        course,
        providers: providers.map((p) => ({ id: p.id, name: `${p.name} (LTI ${p.ltiVersion})` })),
        providerId: undefined,
        plan: null,
        archive: '',
        error: null,
      }),
    );
  }
}

/** The upload (first step), or the archive the preview carried on (confirm step); null when neither is there. */
function uploadedArchive(request: Request, body: FormBody): Buffer | null {
  const file = (request as Request & { file?: { buffer: Buffer } }).file;
  if (file && file.buffer.length > 0) return file.buffer;
  if (typeof body.archive === 'string' && body.archive.length > 0 && /^[A-Za-z0-9+/]+=*$/.test(body.archive)) {
    return Buffer.from(body.archive, 'base64');
  }
  return null;
}
