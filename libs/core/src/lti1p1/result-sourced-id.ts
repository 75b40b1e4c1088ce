import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../shared/uuid';

/**
 * `lis_result_sourcedid` (LTI 1.1.1 §6): opaque to the tool, tamper-proof for us. It names the
 * enrollment, the placement and the person, and carries an HMAC-SHA256 over all three under a key
 * derived from the application's master key, so a tool can neither forge one nor move a score to
 * someone else by editing it. A preview names no enrollment: its scores are acknowledged, never kept.
 */
export type ResultTarget =
  | { readonly kind: 'enrollment'; readonly enrollmentId: string; readonly activityId: string; readonly userId: string }
  | { readonly kind: 'preview'; readonly activityId: string; readonly userId: string };

const VERSION = 'v1';

export class ResultSourcedIds {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('ResultSourcedIds needs a key of at least 32 bytes');
  }

  sign(target: ResultTarget): string {
    const fields = this.fields(target);
    return [VERSION, ...fields, this.mac(fields)].join(':');
  }

  /** Null for anything we did not sign, whatever was changed. */
  verify(sourcedId: string): ResultTarget | null {
    const parts = sourcedId.split(':');
    if (parts.length !== 6 || parts[0] !== VERSION) return null;
    const [, kind, enrollmentId, activityId, userId, mac] = parts;
    const fields = [kind, enrollmentId, activityId, userId];
    const expected = Buffer.from(this.mac(fields));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    if (![activityId, userId].every(isUuid)) return null;
    if (kind === 'e' && isUuid(enrollmentId)) return { kind: 'enrollment', enrollmentId, activityId, userId };
    if (kind === 'p' && enrollmentId === '-') return { kind: 'preview', activityId, userId };
    return null;
  }

  private fields(target: ResultTarget): string[] {
    return target.kind === 'enrollment'
      ? ['e', target.enrollmentId, target.activityId, target.userId]
      : ['p', '-', target.activityId, target.userId];
  }

  private mac(fields: readonly string[]): string {
    return createHmac('sha256', this.key)
      .update(`lis_result_sourcedid|${fields.join('|')}`)
      .digest('base64url');
  }
}
