export interface PageRequest {
  /** 1-based. */
  readonly page: number;
  readonly limit: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Exact, unless totalCapped: then a lower bound (the count stopped at COUNT_CAP). */
  readonly total: number;
  /**
   * Set on lists that grow with a tenant (people, organizations, the catalog, the score ledger) when counting stopped at
   * COUNT_CAP: an exact total there would cost a scan of the whole tenant on every page.
   */
  readonly totalCapped?: boolean;
  readonly page: number;
  readonly limit: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Lists that grow with a tenant count this far and say "more than" beyond it. */
export const COUNT_CAP = 1_000;

export function pageOffset(request: PageRequest): number {
  return (request.page - 1) * request.limit;
}
