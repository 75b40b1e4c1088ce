import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { checkJwkSet, checkToolPublicKeyPem, MIN_RSA_BITS, PUBLIC_KEY_PEM_MAX_LENGTH } from './tool-public-key';

const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const spki = (key: KeyObject) => key.export({ format: 'pem', type: 'spki' }).toString();
const pkcs1 = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs1' }).toString();
const jwkOf = (key: KeyObject, extra: Record<string, unknown> = {}) => ({ ...key.export({ format: 'jwk' }), ...extra });

function reasonOf(input: string): string {
  const check = checkToolPublicKeyPem(input);
  if (check.ok) throw new Error('expected the key to be refused');
  return check.reason;
}

describe('checkToolPublicKeyPem', () => {
  it('should accept an RSA 2048 key when it is an SPKI "PUBLIC KEY" PEM', () => {
    const pem = spki(rsa2048.publicKey);
    expect(pem.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true);
    const check = checkToolPublicKeyPem(pem);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.pem).toBe(pem.trim());
    expect(check.key.equals(rsa2048.publicKey)).toBe(true);
  });

  it('should accept an RSA 2048 key when it is a PKCS#1 "RSA PUBLIC KEY" PEM', () => {
    const pem = pkcs1(rsa2048.publicKey);
    expect(pem.startsWith('-----BEGIN RSA PUBLIC KEY-----\n')).toBe(true);
    const check = checkToolPublicKeyPem(pem);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.key.equals(rsa2048.publicKey)).toBe(true);
  });

  it('should accept the key and normalize line endings when it is pasted with CRLF and surrounding blanks', () => {
    const pem = spki(rsa2048.publicKey).trim();
    const check = checkToolPublicKeyPem(`\n  ${pem.replace(/\n/g, '\r\n')}\r\n  `);
    expect(check).toMatchObject({ ok: true, pem });
  });

  it('should refuse an RSA key and name its bit count when it is shorter than 2048 bits', () => {
    const reason = reasonOf(spki(rsa1024.publicKey));
    expect(reason).toContain('1024');
    expect(reason).toContain(String(MIN_RSA_BITS));
  });

  it('should refuse the key when it is an EC key', () => {
    expect(reasonOf(spki(ec.publicKey))).toContain('must be an RSA key');
  });

  it.each([
    ['PKCS#8', () => rsa2048.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()],
    ['PKCS#1', () => rsa2048.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()],
    ['SEC1 EC', () => ec.privateKey.export({ format: 'pem', type: 'sec1' }).toString()],
    [
      'encrypted PKCS#8',
      () =>
        rsa2048.privateKey
          .export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret' })
          .toString(),
    ],
  ])('should refuse the PEM when it is a %s private key', (_kind, pem) => {
    expect(reasonOf(pem())).toContain('private key');
  });

  it('should refuse the PEM when a private key follows the public key', () => {
    const pem = `${spki(rsa2048.publicKey)}${rsa2048.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()}`;
    expect(reasonOf(pem)).toContain('private key');
  });

  it.each([
    ['empty', ''],
    ['garbage', 'not a key'],
    ['a bare base64 body', spki(rsa2048.publicKey).split('\n').slice(1, -2).join('\n')],
    ['mismatched armour', spki(rsa2048.publicKey).replace('END PUBLIC KEY', 'END RSA PUBLIC KEY')],
    ['missing END line', spki(rsa2048.publicKey).replace('-----END PUBLIC KEY-----', '')],
    ['an unknown label', spki(rsa2048.publicKey).replace(/PUBLIC KEY/g, 'SSH KEY')],
  ])('should refuse the input when it is %s', (_kind, input) => {
    expect(reasonOf(input)).toContain('is not a PEM public key');
  });

  it('should refuse the PEM when its body is truncated', () => {
    const lines = spki(rsa2048.publicKey).trim().split('\n');
    const truncated = [lines[0], ...lines.slice(1, 4), lines[lines.length - 1]].join('\n');
    expect(reasonOf(truncated)).toBe('could not be parsed as a public key');
  });

  it('should refuse the PEM when its body is not base64 DER', () => {
    expect(reasonOf('-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----')).toBe(
      'could not be parsed as a public key',
    );
  });

  it('should refuse the input when it is longer than the limit', () => {
    const pem = spki(rsa2048.publicKey).replace('\n', `\n${'A'.repeat(PUBLIC_KEY_PEM_MAX_LENGTH)}\n`);
    expect(reasonOf(pem)).toBe('is too long for a public key');
  });
});

describe('checkJwkSet', () => {
  it('should refuse the whole set when one key carries private members', () => {
    const check = checkJwkSet({
      keys: [jwkOf(rsa2048.publicKey, { kid: 'ok' }), jwkOf(rsa2048.privateKey, { kid: 'leak' })],
    });
    expect(check.usableKeyIds).toBeUndefined();
    expect(check.reason).toContain('private key');
  });

  it('should list the kid of an RSA 2048 key when the set has one', () => {
    const set = { keys: [jwkOf(rsa2048.publicKey, { kid: 'tool-key-1' })] };
    expect(checkJwkSet(set)).toEqual({ usableKeyIds: ['tool-key-1'] });
  });

  it('should accept the key when it declares alg RS256 and use sig, and skip the unusable ones', () => {
    const set = {
      keys: [
        jwkOf(ec.publicKey, { kid: 'ec' }),
        jwkOf(rsa1024.publicKey, { kid: 'short' }),
        jwkOf(rsa2048.publicKey, { kid: 'enc', use: 'enc' }),
        jwkOf(rsa2048.publicKey, { kid: 'signed', alg: 'RS256', use: 'sig' }),
        null,
        'not a key',
        { kty: 'RSA', kid: 'broken', n: 'AQAB', e: 'AQAB' },
      ],
    };
    expect(checkJwkSet(set)).toEqual({ usableKeyIds: ['signed'] });
  });

  it.each([
    ['an empty object', {}],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'keys'],
    ['a number', 42],
    ['an array', [jwkOf(rsa2048.publicKey, { kid: 'k' })]],
    ['keys that is not an array', { keys: { kid: 'k' } }],
  ])('should give a reason when the document is %s', (_kind, document) => {
    const check = checkJwkSet(document);
    expect(check.usableKeyIds).toBeUndefined();
    expect(check.reason).toContain('JWK Set');
  });

  it.each([
    ['has no keys', []],
    ['has only an EC key', [jwkOf(ec.publicKey, { kid: 'ec' })]],
    ['has only an RSA 1024 key', [jwkOf(rsa1024.publicKey, { kid: 'short' })]],
    ['has only an HS256 key', [jwkOf(rsa2048.publicKey, { kid: 'hs', alg: 'HS256' })]],
    ['has only an encryption key', [jwkOf(rsa2048.publicKey, { kid: 'enc', use: 'enc' })]],
    ['has only an RS512 key', [jwkOf(rsa2048.publicKey, { kid: 'rs512', alg: 'RS512' })]],
  ])('should give a reason naming the minimum size when the set %s', (_kind, keys) => {
    const check = checkJwkSet({ keys });
    expect(check.usableKeyIds).toBeUndefined();
    expect(check.reason).toContain(`${MIN_RSA_BITS} bits`);
  });
});
