import { Injectable } from '@nestjs/common';
import { createLocalJWKSet, errors as joseErrors, JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { ToolKeyChecker } from '../catalog/tool-key-checker';

/** Tools whose key sets are held at once; the least recently used one goes first. */
export const MAX_CACHED_KEY_SETS = 500;
export const KEY_SET_TTL = { defaultMs: 10 * 60_000, minMs: 60_000, maxMs: 24 * 3600_000 } as const;
/**
 * At most one fetch per URL in this long for a JWT whose `kid` the cached set does not have; a URL
 * whose fetch failed is not tried again for as long either.
 */
export const UNKNOWN_KID_REFETCH_MS = 30_000;

interface CachedKeySet {
  /** jose's resolver over the set; it imports each key once and keeps it. */
  readonly resolve: JWTVerifyGetKey;
  readonly fetchedAt: number;
}

/** A tool's key set could not be had; the reason reads after "the tool’s JWKS URL". */
export class ToolKeySetUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`the tool’s JWKS URL ${reason}`);
    this.name = 'ToolKeySetUnavailable';
  }
}

/**
 * The tools' public key sets in this process, by JWKS URL (a provider given a new URL uses the new
 * entry; the old one ages out). Each is kept for the answer's Cache-Control max-age, clamped to
 * 1 minute … 24 hours (10 minutes without one), and fetched again at most every 30 s when a JWT names
 * a `kid` the set lacks: tools rotate their keys too (LTI Security Framework §6.3), but a stream of
 * made-up kids must not turn into a stream of fetches, and neither must a stream of token requests
 * for a tool whose key server fails (its failure is remembered as long). Concurrent misses share one
 * fetch. Public keys only, so a stale entry in another process costs a refetch, never a secret.
 */
@Injectable()
export class ToolKeySets {
  private readonly cache: LRUCache<string, CachedKeySet>;
  /** Why a URL's last fetch failed, for UNKNOWN_KID_REFETCH_MS. */
  private readonly failures: LRUCache<string, string>;

  constructor(private readonly checker: ToolKeyChecker) {
    // Date-based clocks, so that tests can move them.
    const perf = { now: () => Date.now() };
    this.cache = new LRUCache<string, CachedKeySet>({
      max: MAX_CACHED_KEY_SETS,
      ttl: KEY_SET_TTL.defaultMs,
      perf,
      // A failed refetch for an unknown kid leaves the set still in date in place.
      noDeleteOnFetchRejection: true,
      fetchMethod: (url, _stale, { options }) => this.load(url, options),
    });
    this.failures = new LRUCache<string, string>({ max: MAX_CACHED_KEY_SETS, ttl: UNKNOWN_KID_REFETCH_MS, perf });
  }

  /** A key resolver for jose's jwtVerify over the key set at this URL. */
  resolver(url: string): JWTVerifyGetKey {
    return async (header, token) => {
      const keySet = await this.keySet(url, false);
      try {
        return await keySet.resolve(header, token);
      } catch (error) {
        const fresh = Date.now() - keySet.fetchedAt < UNKNOWN_KID_REFETCH_MS;
        if (!(error instanceof joseErrors.JWKSNoMatchingKey) || fresh) throw error;
        return (await this.keySet(url, true)).resolve(header, token);
      }
    };
  }

  private async keySet(url: string, forceRefresh: boolean): Promise<CachedKeySet> {
    const cached = forceRefresh ? undefined : this.cache.get(url);
    if (cached) return cached;
    const failed = this.failures.get(url);
    if (failed !== undefined) throw new ToolKeySetUnavailable(failed);
    try {
      const keySet = await this.cache.fetch(url, { forceRefresh });
      if (!keySet) throw new ToolKeySetUnavailable('could not be fetched');
      return keySet;
    } catch (error) {
      if (error instanceof ToolKeySetUnavailable) this.failures.set(url, error.reason);
      throw error;
    }
  }

  private async load(url: string, options: { ttl?: number }): Promise<CachedKeySet> {
    const fetched = await this.checker.fetchKeySet(url);
    if (!fetched.ok) throw new ToolKeySetUnavailable(fetched.reason);
    const maxAgeMs = (fetched.maxAgeSeconds ?? KEY_SET_TTL.defaultMs / 1000) * 1000;
    options.ttl = Math.min(KEY_SET_TTL.maxMs, Math.max(KEY_SET_TTL.minMs, maxAgeMs));
    return { resolve: createLocalJWKSet(fetched.keySet), fetchedAt: Date.now() };
  }
}
