import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { PROVISIONING_FILE_LIMIT } from './provisioning-file';

/**
 * The page's multipart upload, read into memory (one file, a few fields, within the file limit)
 * before routing, so that the CSRF field is in the body when the guard checks it. Multer's own
 * errors become the 4xx they stand for.
 */
export function provisioningUpload() {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: PROVISIONING_FILE_LIMIT, files: 1, fields: 5, parts: 8 },
  }).single('file');
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'POST') return next();
    upload(request, response, (error: unknown) => {
      if (!error) return next();
      const code = (error as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE')
        return next(new PayloadTooLargeException('The file is larger than 8 MB; split it'));
      next(new BadRequestException('The upload could not be read; choose one CSV or JSON file'));
    });
  };
}
