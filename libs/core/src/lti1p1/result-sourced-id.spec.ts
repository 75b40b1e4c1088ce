import { createHmac, randomBytes } from 'node:crypto';
import { ResultSourcedIds, ResultTarget } from './result-sourced-id';

const key = randomBytes(32);
const ids = new ResultSourcedIds(key);

const enrollmentTarget: ResultTarget = {
  kind: 'enrollment',
  enrollmentId: '0b6f1c1e-5d3a-4c2b-9f0e-1a2b3c4d5e6f',
  activityId: '7d9e8f10-1112-4131-8415-161718191a1b',
  userId: 'c0ffee00-1234-4567-89ab-cdef01234567',
};
const previewTarget: ResultTarget = {
  kind: 'preview',
  activityId: '7d9e8f10-1112-4131-8415-161718191a1b',
  userId: 'c0ffee00-1234-4567-89ab-cdef01234567',
};

/** A MAC made the way the implementation makes it, to reach the checks that come after the MAC. */
function signedFields(fields: readonly string[]): string {
  const mac = createHmac('sha256', key)
    .update(`lis_result_sourcedid|${fields.join('|')}`)
    .digest('base64url');
  return ['v1', ...fields, mac].join(':');
}

/** Every variant of `text` with the character at one position replaced by another one. */
function oneCharacterChanges(text: string, from: number, to: number): Array<[number, string]> {
  const changed: Array<[number, string]> = [];
  for (let i = from; i < to; i++) {
    const replacement = text[i] === 'a' ? 'b' : 'a';
    changed.push([i, text.slice(0, i) + replacement + text.slice(i + 1)]);
  }
  return changed;
}

describe('ResultSourcedIds', () => {
  it('should give back the enrollment target when its own signature is verified', () => {
    const signed = ids.sign(enrollmentTarget);

    expect(ids.verify(signed)).toEqual(enrollmentTarget);
  });

  it('should give back the preview target when its own signature is verified', () => {
    const signed = ids.sign(previewTarget);

    expect(ids.verify(signed)).toEqual(previewTarget);
  });

  it('should name the version and the target in clear when it signs', () => {
    const signed = ids.sign(enrollmentTarget);

    expect(signed.startsWith(`v1:e:${enrollmentTarget.enrollmentId}:`)).toBe(true);
    expect(ids.sign(previewTarget).startsWith(`v1:p:-:${previewTarget.activityId}:`)).toBe(true);
  });

  it('should make the same MAC as the test helper when the fields are ours (keeps the helper honest)', () => {
    expect(
      signedFields(['e', enrollmentTarget.enrollmentId, enrollmentTarget.activityId, enrollmentTarget.userId]),
    ).toBe(ids.sign(enrollmentTarget));
  });

  it('should give different identifiers when the targets differ only by their enrollment', () => {
    const other = { ...enrollmentTarget, enrollmentId: '0b6f1c1e-5d3a-4c2b-9f0e-1a2b3c4d5e70' };

    expect(ids.sign(other)).not.toBe(ids.sign(enrollmentTarget));
  });

  describe.each([
    ['enrollment', enrollmentTarget],
    ['preview', previewTarget],
  ])('a %s identifier', (_kind, target) => {
    const signed = ids.sign(target);
    const parts = signed.split(':');
    const starts = parts.map((_, index) => parts.slice(0, index).join(':').length + (index === 0 ? 0 : 1));
    const names = ['version', 'kind', 'enrollment id', 'activity id', 'user id', 'mac'];

    it.each(names.map((name, index) => [name, index] as const))(
      'should be refused when any single character of its %s is changed',
      (_name, index) => {
        const changes = oneCharacterChanges(signed, starts[index], starts[index] + parts[index].length);
        expect(changes.length).toBe(parts[index].length);
        const accepted = changes.filter(([, changed]) => ids.verify(changed) !== null).map(([at]) => at);

        expect(accepted).toEqual([]);
      },
    );

    it('should be refused when a separator is changed', () => {
      const separators = [...signed].flatMap((c, i) => (c === ':' ? [i] : []));
      const accepted = separators.filter((i) => ids.verify(signed.slice(0, i) + '|' + signed.slice(i + 1)) !== null);

      expect(separators.length).toBe(5);
      expect(accepted).toEqual([]);
    });

    it('should be refused when it is verified under another key', () => {
      expect(new ResultSourcedIds(randomBytes(32)).verify(signed)).toBeNull();
    });
  });

  it('should be refused when the version is not v1 even though the MAC matches', () => {
    const signed = ids.sign(enrollmentTarget);

    expect(ids.verify(signed.replace(/^v1:/, 'v2:'))).toBeNull();
    expect(ids.verify(signed.replace(/^v1:/, ':'))).toBeNull();
  });

  it.each([
    ['an empty string', ''],
    ['a bare number', '3124567'],
    ['five parts', 'v1:e:a:b:c'],
    ['seven parts', `${'x:'.repeat(6)}x`],
  ])('should be refused when it is %s', (_what, text) => {
    expect(ids.verify(text)).toBeNull();
  });

  it('should be refused when an extra part is appended', () => {
    expect(ids.verify(`${ids.sign(enrollmentTarget)}:extra`)).toBeNull();
  });

  it('should be refused when the MAC is cut short', () => {
    const signed = ids.sign(enrollmentTarget);

    expect(ids.verify(signed.slice(0, -1))).toBeNull();
  });

  it.each<[string, ResultTarget]>([
    ['the enrollment id', { ...enrollmentTarget, enrollmentId: 'enrollment-1' }],
    ['the activity id', { ...enrollmentTarget, activityId: 'activity-1' }],
    ['the user id', { ...enrollmentTarget, userId: '42' }],
    ['the preview activity id', { ...previewTarget, activityId: 'not-a-uuid' }],
    ['the preview user id', { ...previewTarget, userId: '' }],
    ['the user id (one digit short)', { ...enrollmentTarget, userId: 'c0ffee00-1234-4567-89ab-cdef0123456' }],
  ])('should be refused when %s is not a UUID even though we signed it', (_what, target) => {
    const signed = ids.sign(target);

    expect(ids.verify(signed)).toBeNull();
  });

  it.each([
    ['an unknown kind', ['x', enrollmentTarget.enrollmentId, previewTarget.activityId, previewTarget.userId]],
    ['an enrollment kind without an enrollment', ['e', '-', previewTarget.activityId, previewTarget.userId]],
    [
      'a preview kind with an enrollment',
      ['p', enrollmentTarget.enrollmentId, previewTarget.activityId, previewTarget.userId],
    ],
  ])('should be refused when it has %s under a valid MAC', (_what, fields) => {
    expect(ids.verify(signedFields(fields))).toBeNull();
  });

  it('should throw when the key is shorter than 32 bytes', () => {
    expect(() => new ResultSourcedIds(randomBytes(31))).toThrow(/32 bytes/);
    expect(() => new ResultSourcedIds(Buffer.alloc(0))).toThrow(/32 bytes/);
  });

  it('should accept a key of exactly 32 bytes or more when it is built', () => {
    expect(() => new ResultSourcedIds(randomBytes(32))).not.toThrow();
    expect(() => new ResultSourcedIds(randomBytes(64))).not.toThrow();
  });
});
