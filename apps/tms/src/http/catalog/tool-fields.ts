import { ValidateBy, ValidateIf } from 'class-validator';
import { checkToolUrl, parseCustomParameters } from '@tms/lti';

/**
 * The spelling rules of the catalog's fields, judged with the rest of the form's fields so that one
 * answer names every problem (the services check the same rules again: they are the authority).
 */

/** A tool URL (https, http only on loopback): the rule of `checkToolUrl`. Empty is left to the service. */
export function ToolUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'toolUrl',
    validator: {
      validate: (value) => typeof value !== 'string' || value.trim() === '' || checkToolUrl(value).ok,
      defaultMessage: (args) => `${args?.property} ${reasonOf(args?.value)}`,
    },
  });
}

/** A list of tool URLs (redirect URIs), each judged alone; the message names the first bad one. */
export function ToolUrls(): PropertyDecorator {
  const firstBad = (value: unknown) =>
    Array.isArray(value)
      ? value.findIndex((uri) => typeof uri === 'string' && uri.trim() !== '' && !checkToolUrl(uri).ok)
      : -1;
  return ValidateBy({
    name: 'toolUrls',
    validator: {
      validate: (value) => firstBad(value) < 0,
      defaultMessage: (args) => {
        const index = firstBad(args?.value);
        const uri = String((args?.value as unknown[])[index]);
        return `${args?.property}: line ${index + 1} (${truncate(uri)}) ${reasonOf(uri)}`;
      },
    },
  });
}

/** Custom parameters as typed, one `name=value` a line: each bad line named ("Line 3: …"). */
export function CustomParametersText(): PropertyDecorator {
  return ValidateBy({
    name: 'customParameters',
    validator: {
      validate: (value) => typeof value !== 'string' || parseCustomParameters(value).ok,
      defaultMessage: (args) => {
        const parsed = parseCustomParameters(String(args?.value));
        return parsed.ok ? '' : parsed.problems.map((p) => p.message).join('; ');
      },
    },
  });
}

/**
 * Required when the provider is of `version`, otherwise optional (the service refuses it for the
 * other version). On an update (PartialType) the field stays optional: the version is fixed.
 */
export function RequiredForVersion(version: '1.1' | '1.3'): PropertyDecorator {
  return ValidateIf((dto: { ltiVersion?: unknown }, value) => value !== undefined || dto.ltiVersion === version);
}

function reasonOf(value: unknown): string {
  const check = checkToolUrl(String(value));
  return check.ok ? '' : check.reason;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
