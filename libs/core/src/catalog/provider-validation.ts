import { checkToolPublicKeyPem, checkToolUrl, CustomParameter, parseCustomParameters } from '@tms/lti';
import { FieldProblems } from '../errors/field-problems';

/** The form of a custom-parameter problem: each line's message under the one field. */
export function parseCustomParametersField(
  text: string | undefined,
  field: string,
  problems: FieldProblems,
): CustomParameter[] | undefined {
  if (text === undefined) return undefined;
  const parsed = parseCustomParameters(text);
  if (parsed.ok) return [...parsed.parameters];
  problems.add(field, parsed.problems.map((p) => p.message).join('; '));
  return undefined;
}

export function toolUrlField(value: string | undefined, field: string, problems: FieldProblems): string | undefined {
  if (value === undefined) return undefined;
  const check = checkToolUrl(value);
  if (check.ok) return check.url;
  problems.add(field, `${field} ${check.reason}`);
  return undefined;
}

export const MAX_REDIRECT_URIS = 20;

export function redirectUrisField(
  values: readonly string[] | undefined,
  problems: FieldProblems,
): string[] | undefined {
  if (values === undefined) return undefined;
  const uris = values.map((v) => v.trim()).filter((v) => v !== '');
  if (uris.length === 0) problems.add('redirectUris', 'redirectUris needs at least one redirect URI');
  if (uris.length > MAX_REDIRECT_URIS) problems.add('redirectUris', `redirectUris takes at most ${MAX_REDIRECT_URIS}`);
  for (const [index, uri] of uris.entries()) {
    const check = checkToolUrl(uri);
    if (!check.ok) {
      problems.add('redirectUris', `redirectUris: URI ${index + 1} (${truncate(uri)}) ${check.reason}`);
      return undefined;
    }
  }
  return [...new Set(uris)];
}

export function publicKeyPemField(value: string | undefined, problems: FieldProblems): string | undefined {
  if (value === undefined) return undefined;
  const check = checkToolPublicKeyPem(value);
  if (check.ok) return check.pem;
  problems.add('publicKeyPem', `publicKeyPem ${check.reason}`);
  return undefined;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
