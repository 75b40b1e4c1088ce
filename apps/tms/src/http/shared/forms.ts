import type { Response } from 'express';
import { DomainError } from '@tms/core';
import { fieldMap } from './validation';

/**
 * Runs a form action; a domain refusal that concerns fields (validation, conflict) re-renders the
 * form with the message next to each field instead of leaving the page.
 */
export async function sendFormErrors(
  response: Response,
  render: (errors: Record<string, string>) => string | Promise<string>,
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
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
