import { FieldProblem } from '../../errors/domain-error';
import { ProvisioningKind } from './provisioning-row';

export type ProvisioningAction = 'create' | 'update' | 'unchanged';

/** What an import did (or, in a dry run, would do) with one row. */
export interface ProvisioningOutcome {
  readonly line: number;
  readonly kind: ProvisioningKind;
  readonly name: string;
  readonly action: ProvisioningAction;
}

export interface ProvisioningReport {
  readonly dryRun: boolean;
  /** True when the rows were written (one transaction); a dry run never writes. */
  readonly applied: boolean;
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rows: readonly ProvisioningOutcome[];
}

/** A problem of one row: its line, the column, the message in the admin's words. */
export type ProvisioningProblem = FieldProblem & { readonly line: number };

/** Called as rows are checked, for a page that shows progress. */
export type ProgressListener = (processed: number, total: number) => Promise<void>;

export function reportOf(dryRun: boolean, outcomes: readonly ProvisioningOutcome[]): ProvisioningReport {
  const count = (action: ProvisioningAction) => outcomes.filter((outcome) => outcome.action === action).length;
  return {
    dryRun,
    applied: !dryRun,
    total: outcomes.length,
    created: count('create'),
    updated: count('update'),
    unchanged: count('unchanged'),
    rows: [...outcomes].sort((a, b) => a.line - b.line),
  };
}
