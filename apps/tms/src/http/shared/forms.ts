import type { Response } from 'express';
import { DomainError } from '@tms/core';
import { fieldMap, parseForm } from './validation';

type Render = (errors: Record<string, string>) => string | Promise<string>;

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
        .send(await render(fieldMap(error.fields)));
      return;
    }
    throw error;
  }
}
