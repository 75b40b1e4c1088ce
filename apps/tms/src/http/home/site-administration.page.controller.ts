import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Page, RequireRole } from '../shared/decorators';
import { PageContext, Views } from '../shared/views';
import { Transport } from '../errors/transport';

/** Site Administration: a tile per area, the LTI tile first among equals (seed 001 starts here). */
@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin')
export class SiteAdministrationPageController {
  constructor(private readonly views: Views) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(@Page() page: PageContext): string {
    return this.views.render('admin/home', page);
  }
}
