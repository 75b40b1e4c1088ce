import type { Response } from 'express';
import { DomainError } from '@tms/core';
import { problemsInWords } from './field-words';
import { fieldMap, parseForm } from './validation';

/** A browser form post as the body parser hands it over (repeated names arrive as arrays). */
export type FormBody = Record<string, unknown>;

/** Field name → message, shown next to each field. */
export type Errors = Record<string, string>;

type Render = (errors: Errors) => string | Promise<string>;

/**
 * The life of a form post: validate with the API's DTO, then act. Invalid input, and a domain
 * refusal that names fields (validation, conflict), re-render the form with each message next to
 * its field; nothing has been written in either case.
 */
export async function submitForm<T extends object>(
  response: Response,
  dto: new () => T,
  body: unknown,
  render: Render,
  action: (value: T) => Promise<void>,
  required: readonly string[] = [],
): Promise<void> {
  const form = parseForm(dto, body, required);
  if (form.errors) {
    response
      .status(400)
      .type('html')
      .send(await render(form.errors));
    return;
  }
  try {
    await action(form.value);
  } catch (error) {
    if (error instanceof DomainError && error.fields.length > 0) {
      const status = error.code === 'conflict' ? 409 : 400;
      response
        .status(status)
        .type('html')
        .send(await render(fieldMap(problemsInWords(error.fields))));
      return;
    }
    throw error;
  }
}

/** The optional fields that an emptied input clears on an edit form (parseForm drops empty inputs). */
export function emptiedToNull(body: FormBody, fields: readonly string[]): Record<string, null> {
  return Object.fromEntries(fields.filter((field) => body[field] === '').map((field) => [field, null]));
}

/**
 * A lone checkbox comes with a hidden "false" before it, so unticking it on an edit form is sent
 * too; ticked, both values arrive and the box wins. The DTOs take real booleans.
 */
export function checkbox(body: FormBody, field: string): FormBody {
  if (!(field in body)) return body;
  const values = ([] as unknown[]).concat(body[field]);
  return { ...body, [field]: values.includes('true') || values.includes('on') };
}
