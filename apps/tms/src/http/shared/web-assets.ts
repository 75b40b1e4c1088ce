import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import express, { type RequestHandler } from 'express';

/**
 * The application's root in whatever tree runs: `apps/tms` beside the TypeScript sources, or
 * `dist/apps/tms` in the build (the build copies views/ and public/ there, nest-cli.json). One fixed
 * place, no search: a build without its assets must fail at start, not serve unstyled pages.
 */
const APP_ROOT = resolve(__dirname, '..', '..', '..');

/** A build or checkout that cannot serve its pages; the start stops with this message. */
export class MissingAssetsError extends Error {}

/** Long enough to count as forever; safe because a changed file gets a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The server-rendered pages' templates and their static files (CSS, scripts, icon). Each public file
 * is served under a name carrying a hash of its content (`app.3f2a1b9c.css`), cached for good, and
 * under its plain name with validators only (`no-cache` + ETag), for anything that bookmarked it.
 */
export class WebAssets {
  readonly viewsDirectory = join(APP_ROOT, 'views');
  readonly publicDirectory = join(APP_ROOT, 'public');
  /** Plain name → fingerprinted name. */
  private readonly fingerprinted = new Map<string, string>();
  /** Fingerprinted name → plain name. */
  private readonly plain = new Map<string, string>();

  constructor() {
    requireFiles(this.viewsDirectory, 'layout.eta', 'page templates');
    const files = requireFiles(this.publicDirectory, 'app.css', 'stylesheets and scripts');
    for (const name of files) {
      const hash = createHash('sha256')
        .update(readFileSync(join(this.publicDirectory, name)))
        .digest('hex')
        .slice(0, 10);
      const extension = extname(name);
      const hashed = `${name.slice(0, name.length - extension.length)}.${hash}${extension}`;
      this.fingerprinted.set(name, hashed);
      this.plain.set(hashed, name);
    }
  }

  /** The URL a page uses for a public file. An unknown name is a bug in a template: it throws. */
  url(name: string): string {
    const hashed = this.fingerprinted.get(name);
    if (!hashed) throw new Error(`No public asset named ${name}`);
    return `/static/${hashed}`;
  }

  /** Serves /static/…: fingerprinted names for a year, plain names revalidated every time. */
  handler(): RequestHandler {
    const files = express.static(this.publicDirectory, {
      index: false,
      dotfiles: 'deny',
      setHeaders: (response) => {
        response.setHeader('Cache-Control', response.locals.immutableAsset ? IMMUTABLE : 'no-cache');
      },
    });
    return (request, response, next) => {
      const plain = this.plain.get(request.path.slice(1));
      if (plain) {
        request.url = `/${plain}`;
        response.locals.immutableAsset = true;
      }
      files(request, response, next);
    };
  }
}

/** The directory's file names; throws MissingAssetsError when it, or the file it must hold, is missing. */
function requireFiles(directory: string, expected: string, what: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => statSync(join(directory, name)).isFile());
  } catch {
    names = [];
  }
  if (!names.includes(expected)) {
    throw new MissingAssetsError(
      `The ${what} are missing: ${join(directory, expected)} does not exist. ` +
        'Build the application (npm run build; npm start does it) and start dist/apps/tms/src/main.js.',
    );
  }
  return names;
}
