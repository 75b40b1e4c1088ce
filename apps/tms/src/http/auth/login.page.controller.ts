import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthService, DomainError } from '@tms/core';
import { CookiePolicy } from '../shared/cookies';
import { CsrfTokens, issueCsrfSecret } from '../shared/csrf';
import { ClientAddress, Page, Public } from '../shared/decorators';
import { AppRequest } from '../shared/request-context';
import { parseForm } from '../shared/validation';
import { PageContext, Views } from '../shared/views';
import { SignInDto } from './auth.dto';
import { Transport } from '../errors/transport';
import { sendPage } from '../shared/page-crud';

/** Only same-site paths: an open redirect after sign-in would be a phishing tool. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

@ApiExcludeController()
@Transport('page')
@Controller()
export class LoginPageController {
  constructor(
    private readonly auth: AuthService,
    private readonly views: Views,
    private readonly cookies: CookiePolicy,
    private readonly csrf: CsrfTokens,
  ) {}

  @Get('login')
  @Public()
  show(@Page() page: PageContext, @Query('next') next: unknown, @Res() response: Response): void {
    if (page.user) return response.redirect(303, safeNext(next));
    sendPage(response, this.views.render('login', page, { next: safeNext(next), values: {}, errors: {} }));
  }

  @Post('login')
  @Public()
  async signIn(
    @Page() page: PageContext,
    @Body() body: Record<string, unknown>,
    @ClientAddress() clientAddress: string | undefined,
    @Req() request: AppRequest,
    @Res() response: Response,
  ) {
    const next = safeNext(body.next);
    const form = parseForm(SignInDto, { email: body.email, password: body.password });
    const render = (status: number, errors: Record<string, string>, message?: string) =>
      response
        .status(status)
        .type('html')
        .send(this.views.render('login', page, { next, values: { email: body.email }, errors, message }));
    if (form.errors) return render(400, form.errors);
    try {
      const issued = await this.auth.signIn(form.value.email, form.value.password, 'browser', clientAddress);
      response.cookie(this.cookies.sessionName, issued.token, this.cookies.options(issued.expiresIn));
      issueCsrfSecret(request, response, this.cookies, this.csrf);
      response.redirect(303, next);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'invalid_credentials') return render(401, {}, error.message);
      if (error.code === 'too_many_attempts') {
        response.setHeader('Retry-After', String(error.retryAfterSeconds));
        return render(429, {}, error.message);
      }
      throw error;
    }
  }

  @Post('logout')
  @Public()
  async signOut(@Req() request: AppRequest, @Res() response: Response) {
    const token = (request.cookies as Record<string, string | undefined>)[this.cookies.sessionName];
    if (token) await this.auth.signOut(token);
    response.clearCookie(this.cookies.sessionName, this.cookies.options());
    issueCsrfSecret(request, response, this.cookies, this.csrf);
    response.redirect(303, '/login');
  }
}
