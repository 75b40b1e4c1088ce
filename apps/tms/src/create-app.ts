import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { json, text } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { RuntimeConfig } from '@tms/config';
import { ApiModule, AppModule, AppModuleOptions } from './app.module';
import { quietBootChatter } from './http/shared/boot-chatter';
import { RoutelessErrorFilter } from './http/errors/transport';
import { refuseDeepJson } from './http/shared/json-depth';
import { CARTRIDGE_PAGE_PREFIX, cartridgeUpload } from './http/learning/cartridge-files';
import { CARTRIDGE_MEDIA_TYPES } from './http/learning/cartridge.dto';
import { CARTRIDGE_ZIP_LIMITS } from '@tms/lti';
import { assignRequestId } from './http/shared/logging';
import { MAX_JSON_DEPTH } from './http/errors/problem';
import { WebAssets } from './http/shared/web-assets';
import { PROVISIONING_FILE_LIMIT } from './http/catalog/provisioning-file';
import { PROVISIONING_UPLOAD_PATH } from './http/catalog/provisioning.page.controller';
import { provisioningUpload } from './http/catalog/provisioning-upload';

const BODY_LIMIT = '256kb';
/** The API route of bulk provisioning, whose files are larger than any other body. */
const PROVISIONING_PATH = '/api/v1/lti/provisioning';

/** The configured application, not yet listening. Used by main and by the e2e tests alike. */
export async function createApp(
  config: RuntimeConfig,
  options: AppModuleOptions = {},
): Promise<NestExpressApplication> {
  const assets = new WebAssets();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, assets, options), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(quietBootChatter(app.get(Logger)));
  app.use(assignRequestId);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // No ETag on what the app sends: every page and API answer is `no-store` (AuthGuard), so nothing
  // revalidates it, and hashing each body cost a 1,000-row page about 0.5 ms. Static files keep theirs.
  app.set('etag', false);
  // request.ip: the socket's address unless TMS_TRUST_PROXY names the proxies whose X-Forwarded-For counts.
  app.set('trust proxy', config.security.trustProxy);
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
  // A provisioning file is larger than any other body: its route alone takes up to its own limit.
  app.use(
    PROVISIONING_PATH,
    json({ limit: PROVISIONING_FILE_LIMIT, type: ['application/json', 'application/*+json'] }),
    text({ limit: PROVISIONING_FILE_LIMIT, type: ['text/csv', 'text/plain'] }),
  );
  // The page's upload is multipart: read before the guard, which finds the CSRF field in the body.
  app.use(PROVISIONING_UPLOAD_PATH, provisioningUpload());
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  // LTI 1.1 Basic Outcomes: the exact bytes, for oauth_body_hash, before anything parses them.
  app.useBodyParser('raw', { limit: '64kb', type: ['application/xml', 'text/xml'] });
  // Common Cartridge imports through the API: the zip as the body, checked by the importer's own caps.
  app.useBodyParser('raw', { limit: CARTRIDGE_ZIP_LIMITS.archiveBytes, type: CARTRIDGE_MEDIA_TYPES });
  // …and through the course page: a multipart upload, parsed before the guard reads the form's CSRF field.
  app.use(CARTRIDGE_PAGE_PREFIX, cartridgeUpload());
  // JSON of every route (API, AGS, anything posted as JSON to a page) stops here if nested absurdly deep.
  app.use(refuseDeepJson(MAX_JSON_DEPTH));
  // Body parser failures (malformed JSON, too large) happen before routing; answer them like any other error.
  const errors = app.get(RoutelessErrorFilter);
  app.use((error: unknown, request: never, response: never, next: (error?: unknown) => void) => {
    if (error === undefined) return next();
    errors.catch(error, {
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => response, getNext: () => next }),
    } as never);
  });
  app.use('/static', assets.handler());
  // Browsers ask for /favicon.ico whatever a page links; answer with the icon the pages link.
  app.use('/favicon.ico', (_request: unknown, response: { redirect(status: number, url: string): void }) =>
    response.redirect(301, assets.url('favicon.svg')),
  );

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
