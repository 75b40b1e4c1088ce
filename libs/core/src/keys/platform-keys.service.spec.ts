import { Logger } from '@nestjs/common';
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { fakeAccess } from '../access/access.fake';
import { AuditEntry, AuditLog } from '../audit/audit-log';
import { SecretBox } from '../security/secret-box';
import { UnitOfWork } from '../shared/unit-of-work';
import { NewPlatformKey, PlatformKey, PlatformKeySettings, RotationResult } from './platform-key';
import { PlatformKeyRepository } from './platform-key.repository';
import { newKey, PlatformKeysService, privateKeyContext } from './platform-keys.service';

interface Row {
  key: PlatformKey;
  sealedPrivateKey: string;
}

const STATE_ORDER = { next: 0, current: 1, previous: 2 } as const;

/** The port as the database implements it, in memory. */
class InMemoryPlatformKeyRepository extends PlatformKeyRepository {
  rows: Row[] = [];
  private sequence = 0;

  async listPublished(previousSince: Date): Promise<PlatformKey[]> {
    return this.rows
      .map((row) => row.key)
      .filter((key) => key.state !== 'previous' || key.retiredAt!.getTime() > previousSince.getTime())
      .sort(
        (x, y) =>
          STATE_ORDER[x.state] - STATE_ORDER[y.state] || (y.retiredAt?.getTime() ?? 0) - (x.retiredAt?.getTime() ?? 0),
      );
  }

  async findSigningKey(): Promise<Row | null> {
    return this.rows.find((row) => row.key.state === 'current') ?? null;
  }

  async initialize(current: NewPlatformKey, next: NewPlatformKey): Promise<boolean> {
    if (this.rows.some((row) => row.key.state === 'current')) return false;
    this.rows = this.rows.filter((row) => row.key.state !== 'next');
    const now = new Date();
    this.insert(current, 'current', now);
    this.insert(next, 'next', null);
    return true;
  }

  async rotate(next: NewPlatformKey): Promise<RotationResult> {
    const now = new Date();
    const current = this.rows.find((row) => row.key.state === 'current');
    const upcoming = this.rows.find((row) => row.key.state === 'next');
    if (!upcoming) throw new Error('No next platform key to activate');
    if (current) current.key = { ...current.key, state: 'previous', retiredAt: now };
    upcoming.key = { ...upcoming.key, state: 'current', activatedAt: now };
    const created = this.insert(next, 'next', null);
    return { retired: current?.key ?? null, activated: upcoming.key, created };
  }

  async deleteRetiredBefore(cutoff: Date): Promise<number> {
    const before = this.rows.length;
    this.rows = this.rows.filter(
      (row) => row.key.state !== 'previous' || row.key.retiredAt!.getTime() > cutoff.getTime(),
    );
    return before - this.rows.length;
  }

  private insert(key: NewPlatformKey, state: 'current' | 'next', activatedAt: Date | null): PlatformKey {
    const stored: PlatformKey = {
      id: `key-${++this.sequence}`,
      kid: key.kid,
      state,
      publicJwk: key.publicJwk,
      createdAt: new Date(),
      activatedAt,
      retiredAt: null,
    };
    this.rows.push({ key: stored, sealedPrivateKey: key.sealedPrivateKey });
    return stored;
  }
}

/**
 * root ─ a ─ a1. `platform-admin` is a platform administrator (and site admin of root);
 * `root-admin` administers the top-level organization but is no platform administrator.
 */
const TENANCY = {
  organizations: [
    { id: 'root', parentId: null },
    { id: 'a', parentId: 'root' },
    { id: 'a1', parentId: 'a' },
  ],
  memberships: [
    { userId: 'platform-admin', organizationId: 'root', role: 'site_admin' as const },
    { userId: 'root-admin', organizationId: 'root', role: 'site_admin' as const },
    { userId: 'admin-a', organizationId: 'a', role: 'site_admin' as const },
  ],
  platformAdmins: ['platform-admin'],
};

async function setUp() {
  const keys = new InMemoryPlatformKeyRepository();
  const secrets = new SecretBox(randomBytes(32));
  const settings: PlatformKeySettings = { overlapSeconds: 60 };
  const uow: UnitOfWork = { run: (work) => work(), attempt: (work) => work() };
  const audit: jest.Mocked<AuditLog> = { record: jest.fn(async (_entry: AuditEntry) => undefined), list: jest.fn() };
  const service = new PlatformKeysService(keys, secrets, settings, uow, audit, fakeAccess(TENANCY).access);
  await service.ensureKeys();
  return { service, keys, secrets, audit };
}

const stateOf = (keys: InMemoryPlatformKeyRepository, state: PlatformKey['state']) =>
  keys.rows.filter((row) => row.key.state === state).map((row) => row.key);

beforeAll(() => {
  Logger.overrideLogger(false);
});

describe('newKey', () => {
  it('should publish an RS256 signing JWK of 2048 bits whose kid is its RFC 7638 thumbprint', async () => {
    const key = await newKey(new SecretBox(randomBytes(32)));
    const { publicJwk } = key;

    expect(Object.keys(publicJwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(publicJwk).toMatchObject({ kty: 'RSA', e: 'AQAB', alg: 'RS256', use: 'sig' });
    const publicKey = createPublicKey({ key: { kty: 'RSA', n: publicJwk.n, e: publicJwk.e }, format: 'jwk' });
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);

    const thumbprint = await calculateJwkThumbprint({ kty: 'RSA', n: publicJwk.n, e: publicJwk.e }, 'sha256');
    expect(key.kid).toBe(thumbprint);
    expect(publicJwk.kid).toBe(thumbprint);
  });

  it('should seal the private key so it opens only with the context of its kid', async () => {
    const secrets = new SecretBox(randomBytes(32));
    const key = await newKey(secrets);

    expect(key.sealedPrivateKey).not.toContain('PRIVATE KEY');
    const pem = secrets.open(key.sealedPrivateKey, privateKeyContext(key.kid));
    expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
    const derived = createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' });
    expect(derived).toMatchObject({ n: key.publicJwk.n, e: key.publicJwk.e });
    expect(() => secrets.open(key.sealedPrivateKey, privateKeyContext('another-kid'))).toThrow();
  });

  it('should give a different key and kid when called twice', async () => {
    const secrets = new SecretBox(randomBytes(32));
    const [first, second] = [await newKey(secrets), await newKey(secrets)];
    expect(first.kid).not.toBe(second.kid);
  });
});

describe('PlatformKeysService', () => {
  it('should create a current and a next key once when the platform has none', async () => {
    const { service, keys } = await setUp();
    expect(stateOf(keys, 'current')).toHaveLength(1);
    expect(stateOf(keys, 'next')).toHaveLength(1);
    await service.ensureKeys();
    expect(keys.rows).toHaveLength(2);
  });

  it('should publish the next and current keys when nothing was rotated yet', async () => {
    const { service, keys } = await setUp();
    const { keys: published } = await service.jwks();
    expect(published.map((jwk) => jwk.kid)).toEqual([stateOf(keys, 'next')[0].kid, stateOf(keys, 'current')[0].kid]);
    for (const jwk of published) expect(jwk).not.toHaveProperty('d');
  });

  it('should sign a JWT with the current kid that verifies against the published JWK', async () => {
    const { service, keys } = await setUp();
    const current = stateOf(keys, 'current')[0];

    const token = await service.signJwt({ iss: 'https://platform.example', sub: 'user-1', aud: 'client-1' }, 300);

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: current.kid, typ: 'JWT' });
    const { payload } = await jwtVerify(token, await importJWK(current.publicJwk, 'RS256'), {
      issuer: 'https://platform.example',
      audience: 'client-1',
    });
    expect(payload.sub).toBe('user-1');
    expect(payload.exp! - payload.iat!).toBe(300);
    await expect(jwtVerify(token, createLocalJWKSet(await service.jwks()))).resolves.toBeDefined();
  });

  it('should not verify a JWT against the next key when it was signed by the current key', async () => {
    const { service, keys } = await setUp();
    const token = await service.signJwt({ sub: 'user-1' }, 60);
    const next = stateOf(keys, 'next')[0];
    await expect(jwtVerify(token, await importJWK({ ...next.publicJwk, kid: undefined }, 'RS256'))).rejects.toThrow();
  });

  it('should keep the old current key published as previous and sign with the new kid when keys are rotated', async () => {
    const { service, keys, audit } = await setUp();
    const oldCurrent = stateOf(keys, 'current')[0];
    const oldNext = stateOf(keys, 'next')[0];
    const before = await service.signJwt({ sub: 'user-1' }, 300);

    const result = await service.rotateAs(null);

    expect(result.retired?.kid).toBe(oldCurrent.kid);
    expect(result.activated.kid).toBe(oldNext.kid);
    const published = (await service.jwks()).keys.map((jwk) => jwk.kid);
    expect(published).toEqual([result.created.kid, oldNext.kid, oldCurrent.kid]);
    expect(stateOf(keys, 'previous').map((k) => k.kid)).toEqual([oldCurrent.kid]);

    const after = await service.signJwt({ sub: 'user-1' }, 300);
    expect(decodeProtectedHeader(after).kid).toBe(oldNext.kid);
    const jwks = createLocalJWKSet(await service.jwks());
    await expect(jwtVerify(after, jwks)).resolves.toBeDefined();
    await expect(jwtVerify(before, jwks)).resolves.toBeDefined();

    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith({
      actorUserId: null,
      organizationId: null,
      entityType: 'platform_key',
      entityId: result.activated.id,
      action: 'rotate',
      before: { current: oldCurrent.kid, next: oldNext.kid },
      after: { current: oldNext.kid, next: result.created.kid, previous: oldCurrent.kid },
    });
  });

  it('should sign with the new kid at once when another process rotated the keys', async () => {
    const { service, keys, secrets, audit } = await setUp();
    const elsewhere = new PlatformKeysService(
      keys,
      secrets,
      { overlapSeconds: 60 },
      { run: (work) => work(), attempt: (work) => work() },
      audit,
      fakeAccess(TENANCY).access,
    );
    const before = await service.signJwt({ sub: 'user-1' }, 300);

    const result = await elsewhere.rotateAs(null);

    const after = await service.signJwt({ sub: 'user-1' }, 300);
    expect(decodeProtectedHeader(before).kid).toBe(result.retired?.kid);
    expect(decodeProtectedHeader(after).kid).toBe(result.activated.kid);
    await expect(jwtVerify(after, createLocalJWKSet(await service.jwks()))).resolves.toBeDefined();
  });

  it('should stop publishing the retired key when the overlap has passed', async () => {
    const { service } = await setUp();
    const { retired } = await service.rotateAs(null);
    const kids = async (at: Date) => (await service.jwks(at)).keys.map((jwk) => jwk.kid);

    expect(await kids(new Date(Date.now() + 59_000))).toContain(retired!.kid);
    expect(await kids(new Date(Date.now() + 61_000))).not.toContain(retired!.kid);
    expect(await kids(new Date(Date.now() + 61_000))).toHaveLength(2);
  });

  it('should delete retired keys when their overlap has passed', async () => {
    const { service, keys } = await setUp();
    await service.rotateAs(null);
    expect(await service.dropExpired()).toBe(0);
    expect(stateOf(keys, 'previous')).toHaveLength(1);
    expect(await service.dropExpired(new Date(Date.now() + 61_000))).toBe(1);
    expect(stateOf(keys, 'previous')).toHaveLength(0);
  });

  it('should answer forbidden and write nothing when anyone but a platform administrator rotates', async () => {
    const { service, keys, audit } = await setUp();
    const rotate = jest.spyOn(keys, 'rotate');
    const kidsBefore = keys.rows.map((row) => `${row.key.kid}:${row.key.state}`);

    await expect(service.rotate({ userId: 'root-admin' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service.rotate({ userId: 'admin-a' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service.rotate({ userId: 'nobody' })).rejects.toMatchObject({ code: 'forbidden' });

    expect(rotate).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
    expect(keys.rows.map((row) => `${row.key.kid}:${row.key.state}`)).toEqual(kidsBefore);
  });

  it('should answer forbidden when an admin of a top-level or a sub-organization lists the keys', async () => {
    const { service } = await setUp();
    await expect(service.list({ userId: 'root-admin' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service.list({ userId: 'admin-a' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('should rotate and record the actor when a platform administrator rotates', async () => {
    const { service, audit } = await setUp();
    const result = await service.rotate({ userId: 'platform-admin' });
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ actorUserId: 'platform-admin', entityId: result.activated.id, action: 'rotate' }),
    );
    expect((await service.list({ userId: 'platform-admin' })).map((k) => k.state)).toEqual([
      'next',
      'current',
      'previous',
    ]);
  });
});
