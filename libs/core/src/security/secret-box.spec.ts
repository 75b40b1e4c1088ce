import { maskSecret, SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 1));

  it('should open what it sealed, with a fresh IV each time', () => {
    const a = box.seal('tool shared secret', 'lti_providers.shared_secret:p1');
    const b = box.seal('tool shared secret', 'lti_providers.shared_secret:p1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('tool shared secret');
    expect(box.open(a, 'lti_providers.shared_secret:p1')).toBe('tool shared secret');
  });

  it('should refuse another context, another key and any tampering', () => {
    const sealed = box.seal('s3cret', 'ctx:1');
    expect(() => box.open(sealed, 'ctx:2')).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed, 'ctx:1')).toThrow();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[2], 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([parts[0], parts[1], flipped.toString('base64url'), parts[3]].join('.'), 'ctx:1')).toThrow();
    expect(() => box.open('garbage', 'ctx:1')).toThrow('Not a sealed secret');
  });

  it('should refuse a key of the wrong size', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow();
  });
});

describe('maskSecret', () => {
  it('should show at most the last four characters', () => {
    expect(maskSecret('abcdefghijkl')).toBe('••••••••ijkl');
    expect(maskSecret('short')).toBe('••••••••');
  });
});
