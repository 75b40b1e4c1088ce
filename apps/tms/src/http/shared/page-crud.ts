import type { Response } from 'express';
import { Errors, FormBody } from './forms';
import { parseForm } from './validation';

/**
 * The shape every administration page follows (people, organizations, providers, resource links,
 * courses, classes): a list filtered by the API's query DTO, a form posted and validated with the
 * API's DTO (submitForm), then Post/Redirect/Get to the item's page with a notice saying what
 * happened. These helpers are that shape; each controller keeps only its templates and calls.
 */
export interface ListQuery<T> {
  /** What to list with: the filters parsed, or the DTO's defaults when they do not parse. */
  readonly value: T;
  /** The filters to show back in the form; none when they do not parse (their errors are shown). */
  readonly filters: FormBody;
  readonly errors: Errors;
  /** What the page says happened (`?notice=created`, after a form post). */
  readonly notice: unknown;
}

/** A list page's query string: its notice, and its filters read with the API's query DTO. */
export function listQuery<T extends object>(dto: new () => T, rawQuery: FormBody): ListQuery<T> {
  const { notice, ...filters } = rawQuery;
  const form = parseForm(dto, filters);
  return { value: form.value ?? new dto(), filters: form.value ? filters : {}, errors: form.errors ?? {}, notice };
}

/** After a form post did its work: to `path` (303, RFC 9110 §15.4.4), saying `notice`, at `fragment` if any. */
export function redirectWithNotice(response: Response, path: string, notice: string, fragment?: string): void {
  response.redirect(303, `${path}?notice=${notice}${fragment ? `#${fragment}` : ''}`);
}

/** A rendered page. */
export function sendPage(response: Response, html: string): void {
  response.type('html').send(html);
}
