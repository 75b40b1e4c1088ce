import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, Lti1p3Provider } from '@tms/core';
import { AppRequest } from '../shared/request-context';

/** A whole-number query parameter within bounds; undefined when absent. */
export function integerParam(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw DomainError.invalidField(name, `${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
}

/** A text query parameter; undefined when absent, refused when repeated. */
export function textParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw DomainError.invalidField(name, `${name} must be given once`);
  return value;
}

/** `page` and `limit` paging with `Link: rel="next"` (NRPS 2.0 §2.4; AGS 2.0 §3.2.3). */
export function paging(query: Record<string, unknown>, defaultLimit: number, maxLimit: number) {
  const limit = integerParam(query.limit, 'limit', 1, maxLimit) ?? defaultLimit;
  const page = integerParam(query.page, 'page', 1, 1_000_000) ?? 1;
  return { limit, page, offset: (page - 1) * limit };
}

export function setNextLink(response: Response, self: string, page: number, limit: number): void {
  const next = new URL(self);
  next.searchParams.set('page', String(page + 1));
  next.searchParams.set('limit', String(limit));
  response.setHeader('Link', `<${next.toString()}>; rel="next"`);
}

/**
 * The body must come in the service's own media type (AGS 2.0 §3.2, §3.4); plain JSON only for a
 * tool whose provider has the `ags_plain_json` compatibility switch.
 */
export function requireMediaType(request: AppRequest, mediaType: string, provider: Lti1p3Provider): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const plainJsonAllowed = provider.lti1p3.compatibility.includes('ags_plain_json');
  if (type !== mediaType && !(plainJsonAllowed && type === 'application/json')) {
    throw new UnsupportedMediaTypeException(`The body must be ${mediaType}`);
  }
}
