import { FieldProblems } from '../../errors/field-problems';

/** What a row of a provisioning file describes. */
export const PROVISIONING_KINDS = ['provider', 'resource_link'] as const;
export type ProvisioningKind = (typeof PROVISIONING_KINDS)[number];

/**
 * The columns of a provisioning file, in the order an export writes them. One table holds both
 * kinds (`kind` tells them apart); a column that does not apply to a row's kind stays empty.
 * The same names are the keys of a JSON file's rows.
 */
export const PROVISIONING_COLUMNS = [
  'kind',
  'organization',
  'name',
  'status',
  'ltiVersion',
  'consumerKey',
  'sharedSecret',
  'contentItemUrl',
  'clientId',
  'deploymentId',
  'loginUrl',
  'redirectUris',
  'targetLinkUri',
  'jwksUrl',
  'publicKeyPem',
  'services',
  'compatibility',
  'platformStorage',
  'privacy',
  'userIdSource',
  'presentation',
  'frameWidth',
  'frameHeight',
  'provider',
  'providerOrganization',
  'url',
  'requiresScoreForCompletion',
  'passingScore',
  'customParameters',
  'availableOrganizations',
] as const;
export type ProvisioningColumn = (typeof PROVISIONING_COLUMNS)[number];

export type ProvisioningValues = Partial<Record<ProvisioningColumn, string>>;

/** One row of a file as read: its line (CSV: the file's line where it starts; JSON: its position in `rows`). */
export interface ProvisioningRow {
  readonly line: number;
  readonly values: ProvisioningValues;
}

/** Most rows one file may hold: a larger catalog goes in several files. */
export const MAX_PROVISIONING_ROWS = 10_000;

/** Separates the organizations of `availableOrganizations` (paths contain " / "). */
export const ORGANIZATION_LIST_SEPARATOR = ';';

/** Reads one row's cells as typed values, adding a problem named for the column to each bad one. */
export class RowReader {
  constructor(
    private readonly values: ProvisioningValues,
    readonly problems: FieldProblems,
  ) {}

  /** The cell trimmed, or undefined when it is empty. */
  text(column: ProvisioningColumn, maxLength = 2048): string | undefined {
    const value = this.values[column]?.trim();
    if (!value) return undefined;
    if (value.length > maxLength) this.problems.add(column, `${column} is longer than ${maxLength} characters`);
    return value;
  }

  /** The cell as written (custom parameters and keys keep their line breaks), or undefined when blank. */
  block(column: ProvisioningColumn): string | undefined {
    const value = this.values[column];
    return value?.trim() ? value.replace(/\r\n/g, '\n').trim() : undefined;
  }

  oneOf<T extends string>(column: ProvisioningColumn, allowed: readonly T[]): T | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.add(column, `${column} must be one of ${allowed.join(', ')} (not “${clip(value)}”)`);
    return undefined;
  }

  /** Items separated by spaces or commas, each one of `allowed` when given. */
  list<T extends string>(column: ProvisioningColumn, allowed?: readonly T[]): T[] {
    const items = (this.text(column, 100_000) ?? '').split(/[\s,]+/).filter((item) => item !== '');
    const unknown = allowed ? items.filter((item) => !(allowed as readonly string[]).includes(item)) : [];
    if (unknown.length > 0) {
      this.problems.add(column, `${column} takes only ${allowed!.join(', ')} (not “${clip(unknown.join(' '))}”)`);
    }
    return items as T[];
  }

  bool(column: ProvisioningColumn): boolean | undefined {
    const value = this.text(column)?.toLowerCase();
    if (value === undefined) return undefined;
    if (['true', 'yes', '1'].includes(value)) return true;
    if (['false', 'no', '0'].includes(value)) return false;
    this.problems.add(column, `${column} must be true or false`);
    return undefined;
  }

  number(column: ProvisioningColumn, min: number, max: number, integer: boolean): number | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed))) {
      this.problems.add(column, `${column} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
      return undefined;
    }
    return parsed;
  }
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
