import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where a differences link starts: a roster position of one context, as one tool was answered. */
export interface DifferencesMark {
  readonly providerId: string;
  readonly contextId: string;
  /** The membership change log's position (MembershipChangeRepository), taken before the roster was read. */
  readonly position: string;
  readonly issuedAt: Date;
}

const VERSION = 'd1';

/**
 * The `since` of a `rel="differences"` link (NRPS 2.0 §2.4.1): opaque to the tool, tamper-proof for
 * us. It carries the roster position, the tool and the context it was answered for, and when, under an
 * HMAC-SHA256 with a key of its own, so a tool can neither move it to another context nor forge an
 * older position. Links live for `windowSeconds`: the change log keeps at least that much history.
 */
export class DifferencesTokens {
  constructor(
    private readonly key: Buffer,
    readonly windowSeconds: number,
  ) {
    if (key.length < 32) throw new Error('DifferencesTokens needs a key of at least 32 bytes');
    if (!(Number.isInteger(windowSeconds) && windowSeconds > 0)) throw new Error('The window must be whole seconds');
  }

  sign(mark: DifferencesMark): string {
    const payload = Buffer.from(
      JSON.stringify([
        VERSION,
        mark.providerId,
        mark.contextId,
        mark.position,
        Math.floor(mark.issuedAt.getTime() / 1000),
      ]),
    ).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The mark, when we signed this token for this tool and context; null for anything else. */
  verify(token: string, providerId: string, contextId: string): DifferencesMark | null {
    const [payload, mac, ...rest] = token.split('.');
    if (!payload || !mac || rest.length > 0) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const fields: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(fields) || fields.length !== 5 || fields[0] !== VERSION) return null;
    const [, tokenProvider, tokenContext, position, issuedAt] = fields as [string, unknown, unknown, unknown, unknown];
    if (tokenProvider !== providerId || tokenContext !== contextId) return null;
    if (typeof position !== 'string' || typeof issuedAt !== 'number') return null;
    return { providerId, contextId, position, issuedAt: new Date(issuedAt * 1000) };
  }

  /** Whether a link has outlived the change log's window at `now`. */
  isExpired(mark: DifferencesMark, now: Date): boolean {
    return now.getTime() - mark.issuedAt.getTime() > this.windowSeconds * 1000;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(`nrps-differences|${payload}`).digest('base64url');
  }
}
