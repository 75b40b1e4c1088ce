import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';

export interface CappedCount {
  readonly total: number;
  readonly totalCapped: boolean;
}

/**
 * The number of rows a filtered list query matches, counted no further than `cap` (a page's
 * `countHorizon`): the count reads at most cap + 1 rows, so a list page costs the same at 10,000 rows
 * and at 2,000,000.
 */
export async function countUpTo<T extends ObjectLiteral>(
  tx: TransactionContext,
  query: SelectQueryBuilder<T>,
  cap: number,
): Promise<CappedCount> {
  const rows = query
    .clone()
    .select('1', 'one')
    .orderBy()
    .offset(undefined)
    .limit(cap + 1)
    .skip()
    .take();
  const [sql, parameters] = rows.getQueryAndParameters();
  const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) AS counted`, parameters);
  return cappedAt(row?.n ?? 0, cap);
}

/** A count made with `LIMIT cap + 1` as a page's total: `cap` and capped when it read past it. */
export function cappedAt(n: number, cap: number): CappedCount {
  return n > cap ? { total: cap, totalCapped: true } : { total: n, totalCapped: false };
}
