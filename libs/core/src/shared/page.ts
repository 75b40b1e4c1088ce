export interface PageRequest {
  /** 1-based. */
  readonly page: number;
  readonly limit: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly limit: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function pageOffset(request: PageRequest): number {
  return (request.page - 1) * request.limit;
}
