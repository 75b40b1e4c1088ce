import { Injectable, Logger } from '@nestjs/common';
import { createHash, createPrivateKey, generateKeyPair, KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { JWTPayload, SignJWT } from 'jose';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { AuditLog } from '../audit/audit-log';
import { SecretBox } from '../security/secret-box';
import { UnitOfWork } from '../shared/unit-of-work';
import { NewPlatformKey, PlatformKey, PlatformKeySettings, PublicJwk, RotationResult } from './platform-key';
import { PlatformKeyRepository } from './platform-key.repository';

const generateRsaKeyPair = promisify(generateKeyPair);

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

@Injectable()
export class PlatformKeysService {
  private readonly logger = new Logger(PlatformKeysService.name);
  /** The last signing key unsealed, kept only while it is still the current one. */
  private unsealed: SigningKey | undefined;

  constructor(
    private readonly keys: PlatformKeyRepository,
    private readonly secrets: SecretBox,
    private readonly settings: PlatformKeySettings,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
  ) {}

  /** At boot: a platform without keys gets a current and a next key. */
  async ensureKeys(): Promise<void> {
    if (await this.keys.findSigningKey()) return;
    if (await this.keys.initialize(await newKey(this.secrets), await newKey(this.secrets))) {
      this.logger.log('Platform signing keys created');
    }
  }

  /** The JWK Set at /.well-known/jwks.json. */
  async jwks(now = new Date()): Promise<{ keys: PublicJwk[] }> {
    return { keys: (await this.listPublished(now)).map((key) => key.publicJwk) };
  }

  /** Platform administrators only (DESIGN.md §3): the keys sign for every tenant. */
  async list(principal: Principal): Promise<PlatformKey[]> {
    await this.access.platformScope(principal);
    return this.listPublished(new Date());
  }

  /** Rotation by an administrator (page or API). */
  async rotate(principal: Principal): Promise<RotationResult> {
    await this.access.platformScope(principal);
    return this.rotateAs(principal.userId);
  }

  /** Rotation from the command line (an operator on the server) or by an administrator. */
  async rotateAs(actorUserId: string | null): Promise<RotationResult> {
    const next = await newKey(this.secrets);
    const result = await this.uow.run(async () => {
      const rotated = await this.keys.rotate(next);
      await this.audit.record({
        actorUserId,
        organizationId: null,
        entityType: 'platform_key',
        entityId: rotated.activated.id,
        action: 'rotate',
        before: { current: rotated.retired?.kid ?? null, next: rotated.activated.kid },
        after: { current: rotated.activated.kid, next: rotated.created.kid, previous: rotated.retired?.kid ?? null },
      });
      return rotated;
    });
    await this.dropExpired();
    this.logger.log(`Platform keys rotated: ${result.activated.kid} now signs`);
    return result;
  }

  /**
   * The key that signs now (the current key), unsealed. Which key is current is read on every
   * signature, so a rotation by any process (another worker, another instance) is followed at once;
   * only the unsealing and parsing of its private key is kept, for as long as its kid stays current.
   * `currentKid`: the current key's kid as the caller's own statement just read it.
   */
  async signingKey(currentKid?: string): Promise<SigningKey> {
    // The caller read which key is current in a statement of its own: the kept key serves if it is that one.
    if (currentKid !== undefined && this.unsealed?.kid === currentKid) return this.unsealed;
    const found = await this.keys.findSigningKey();
    if (!found) throw new Error('No current platform key; ensureKeys() runs at boot');
    if (this.unsealed?.kid === found.key.kid) return this.unsealed;
    const pem = this.secrets.open(found.sealedPrivateKey, privateKeyContext(found.key.kid));
    this.unsealed = { kid: found.key.kid, privateKey: createPrivateKey(pem) };
    return this.unsealed;
  }

  /** A JWT signed RS256 by the current key, with its `kid` (id_tokens, deep-linking requests). */
  /** RS256 with the current key; an `exp` in the payload is kept (it may be signed over elsewhere). */
  async signJwt(
    payload: JWTPayload,
    lifetimeSeconds: number,
    options: { backdateSeconds?: number; currentKid?: string } = {},
  ): Promise<string> {
    const { kid, privateKey } = await this.signingKey(options.currentKid);
    const now = Math.floor(Date.now() / 1000);
    return (
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        // A verifier whose clock runs a little behind ours must not see a token issued in its future.
        .setIssuedAt(now - (options.backdateSeconds ?? 0))
        .setExpirationTime(payload.exp ?? now + lifetimeSeconds)
        .sign(privateKey)
    );
  }

  /** Deletes retired keys whose overlap has passed. */
  async dropExpired(now = new Date()): Promise<number> {
    return this.keys.deleteRetiredBefore(this.previousSince(now));
  }

  private listPublished(now: Date): Promise<PlatformKey[]> {
    return this.keys.listPublished(this.previousSince(now));
  }

  private previousSince(now: Date): Date {
    return new Date(now.getTime() - this.settings.overlapSeconds * 1000);
  }
}

export const privateKeyContext = (kid: string) => `platform_key:${kid}:private`;

/** A fresh RSA 2048 pair; `kid` is the RFC 7638 thumbprint of the public key. */
export async function newKey(secrets: SecretBox): Promise<NewPlatformKey> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
  const kid = createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64url');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return {
    kid,
    publicJwk: { kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' },
    sealedPrivateKey: secrets.seal(pem, privateKeyContext(kid)),
  };
}
