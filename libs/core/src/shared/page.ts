export interface PageRequest {
  /** 1-based. */
  readonly page: number;
  readonly limit: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Exact, unless totalCapped: then a lower bound (the count stopped at the page's `countHorizon`). */
  readonly total: number;
  /**
   * Set on lists that grow with a tenant (people, organizations, the catalog, the score ledger) when counting stopped at
   * the page's `countHorizon`: an exact total there would cost a scan of the whole tenant on every page.
   */
  readonly totalCapped?: boolean;
  readonly page: number;
  readonly limit: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function pageOffset(request: PageRequest): number {
  return (request.page - 1) * request.limit;
}

/** How many pages past the one asked for a list that grows with a tenant counts. */
export const COUNT_PAGES_AHEAD = 5;

/**
 * How far a list that grows with a tenant counts for one page: through COUNT_PAGES_AHEAD pages past
 * it (at most 1,000 rows past it, at the largest page size), and "more than" beyond. A count to a
 * fixed number costs what that number costs on every page, so a tenant whose list outgrew it paid
 * for 1,000 rows (each checked against the admin's scope) to show 10; this costs what the pager
 * shows, the same in a tenant of 50 rows past the page and of 2,000,000.
 */
export function countHorizon(request: PageRequest): number {
  return pageOffset(request) + request.limit * COUNT_PAGES_AHEAD;
}
