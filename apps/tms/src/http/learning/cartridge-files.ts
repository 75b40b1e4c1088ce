import type { RequestHandler } from 'express';
import multer from 'multer';
import { CARTRIDGE_ZIP_LIMITS } from '@tms/lti';

/** The download's file name: the course title in safe characters, `.imscc` as CC 1.3 names cartridges. */
export function cartridgeFileName(title: string): string {
  const safe = title
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${safe || 'course'}.imscc`;
}

/**
 * Where the course pages' cartridge form posts multipart: mounted on the courses' prefix and matched
 * by hand (a path parameter would be decoded by the router, and a malformed escape would throw first).
 */
export const CARTRIDGE_PAGE_PREFIX = '/author/courses';
const CARTRIDGE_FORM = /^\/[^/]+\/cartridge\/?$/;

/**
 * Parses the course page's cartridge upload (multipart, one file) before routing, so the guard finds
 * the form's CSRF field in the body as for any form. The preview carries the archive on to the confirm
 * form base64-encoded, hence a field as large as an archive may be.
 */
export function cartridgeUpload(): RequestHandler {
  const archiveBytes = CARTRIDGE_ZIP_LIMITS.archiveBytes;
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { files: 1, fileSize: archiveBytes, fields: 8, fieldSize: Math.ceil((archiveBytes * 4) / 3) + 4 },
  }).single('cartridge');
  // A refused upload (too large, too many parts, a broken multipart body) is the sender's fault: answered
  // as body parsers answer theirs, 413 or 400, never as a failure of ours.
  return (request, response, next) => {
    if (request.method !== 'POST' || !CARTRIDGE_FORM.test(request.path)) return next();
    upload(request, response, (error?: unknown) => {
      if (error === undefined) return next();
      const tooLarge = error instanceof multer.MulterError && /SIZE|COUNT/.test(error.code);
      const status = tooLarge ? 413 : 400;
      next(Object.assign(new Error('The upload was refused'), { status, expose: true, type: 'cartridge.upload' }));
    });
  };
}
