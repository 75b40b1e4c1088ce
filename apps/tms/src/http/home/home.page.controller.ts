import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Page } from '../shared/decorators';
import { PageContext, Views } from '../shared/views';
import { Transport } from '../errors/transport';

@ApiExcludeController()
@Transport('page')
@Controller()
export class HomePageController {
  constructor(private readonly views: Views) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(@Page() page: PageContext): string {
    return this.views.render('home', page);
  }
}
