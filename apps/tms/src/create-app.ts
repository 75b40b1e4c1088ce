import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeConfig } from '@tms/config';
import { ApiModule, AppModule, AppModuleOptions } from './app.module';
import { HttpErrorFilter } from './http/shared/http-error.filter';
import { refuseDeepJson } from './http/shared/json-depth';
import { assignRequestId } from './http/shared/logging';
import { MAX_JSON_DEPTH } from './http/shared/problem';

const BODY_LIMIT = '256kb';

/** The configured application, not yet listening. Used by main and by the e2e tests alike. */
export async function createApp(
  config: RuntimeConfig,
  options: AppModuleOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(assignRequestId);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const https = config.app.publicUrl.startsWith('https:');
  app.use(
    helmet({
      // Over plain http (local use) HSTS is meaningless and upgrading requests would break the page.
      strictTransportSecurity: https,
      contentSecurityPolicy: {
        directives: { 'form-action': ["'self'"], 'upgrade-insecure-requests': https ? [] : null },
      },
    }),
  );
  app.use(cookieParser());
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  // LTI 1.1 Basic Outcomes: the exact bytes, for oauth_body_hash, before anything parses them.
  app.useBodyParser('raw', { limit: '64kb', type: ['application/xml', 'text/xml'] });
  // JSON of every route (API, AGS, anything posted as JSON to a page) stops here if nested absurdly deep.
  app.use(refuseDeepJson(MAX_JSON_DEPTH));
  // Body parser failures (malformed JSON, too large) happen before routing; answer them like any other error.
  const errors = app.get(HttpErrorFilter);
  app.use((error: unknown, request: never, response: never, next: (error?: unknown) => void) => {
    if (error === undefined) return next();
    errors.catch(error, {
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => response, getNext: () => next }),
    } as never);
  });
  app.useStaticAssets(publicDirectory(), { prefix: '/static/', maxAge: '1h' });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TMS LTI consumer API')
      .setDescription('Organizations, people, LTI providers and resource links, courses and progress.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'From POST /api/v1/auth/token' })
      .build(),
    { include: [ApiModule] },
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

function publicDirectory(): string {
  for (let dir = __dirname; dir !== join(dir, '..'); dir = join(dir, '..')) {
    const candidate = join(dir, 'apps', 'tms', 'public');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('apps/tms/public not found');
}
