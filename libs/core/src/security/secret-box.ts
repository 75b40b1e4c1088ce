import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12; // NIST SP 800-38D: 96-bit IVs for GCM
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest (LTI shared secrets, platform private keys). Each value gets a
 * fresh random IV; `context` is bound as additional data, so a ciphertext copied into another row
 * or column does not decrypt there.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  /**
   * A box keyed by a subkey of the application's master key (HKDF-SHA256, RFC 5869), so the key
   * that encrypts secrets at rest is never the one that signs CSRF tokens.
   */
  static fromMasterKey(masterKey: Buffer): SecretBox {
    return new SecretBox(Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tms/secrets-at-rest/v1', 32)));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64url'),
      body.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  /** Throws when the value was tampered with, sealed under another key, or for another context. */
  open(sealed: string, context: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('Not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** What an administrator sees instead of a secret: enough to recognize it, never enough to use it. */
export function maskSecret(secret: string): string {
  return secret.length <= 8 ? '••••••••' : `••••••••${secret.slice(-4)}`;
}
