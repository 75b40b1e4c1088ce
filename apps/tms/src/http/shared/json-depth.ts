import type { NextFunction, Request, Response } from 'express';

/**
 * Whether a parsed JSON value nests deeper than `limit` (a top-level object or array is depth 1).
 * Walks with its own stack, never recursion, and stops at the first value past the limit.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Refuses a parsed body nested deeper than `limit` before anything reads it: class-transformer,
 * validators and our own walkers recurse, and a few thousand levels overflow their stack. The error
 * has the shape of the body parsers' own (status, expose, type), so it is answered like theirs.
 */
export function refuseDeepJson(limit: number) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const body: unknown = request.body;
    if (Buffer.isBuffer(body) || !nestsDeeperThan(body, limit)) return next();
    next(
      Object.assign(new Error(`JSON nested deeper than ${limit}`), {
        status: 400,
        expose: true,
        type: 'entity.too.deep',
      }),
    );
  };
}
