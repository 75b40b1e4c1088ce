import {
  hashPassword,
  MAX_CONCURRENT_HASHES,
  passwordHashingLoad,
  UNUSABLE_PASSWORD_HASH,
  verifyPassword,
} from './password-hasher';

describe('password hasher', () => {
  it('should verify the right password and refuse a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(hash).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', hash)).resolves.toBe(false);
  });

  it('should salt each hash', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('should refuse malformed hashes and the unusable placeholder', async () => {
    await expect(verifyPassword('x', 'plain')).resolves.toBe(false);
    await expect(verifyPassword('anything at all', UNUSABLE_PASSWORD_HASH)).resolves.toBe(false);
  });
});

describe('password hashing under load', () => {
  it('should compute at most MAX_CONCURRENT_HASHES hashes at once and queue the rest', async () => {
    const hashes = Array.from({ length: 4 }, (_, i) => hashPassword(`password number ${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    expect(passwordHashingLoad()).toEqual({ active: MAX_CONCURRENT_HASHES, waiting: 4 - MAX_CONCURRENT_HASHES });
    await Promise.all(hashes);
    expect(passwordHashingLoad()).toEqual({ active: 0, waiting: 0 });
  });
});
