// Tokens at rest: an installation is sealed with AES-256-GCM before it reaches the database, so no
// token is ever stored (or logged) in plain text; a second key lets the key be rotated without downtime.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.js';

const VERSION = 'v1';

/** A short, non-secret fingerprint of a key, stored with each sealed value to say which key opens it. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

export class Sealer {
  private readonly keys: Map<string, Buffer>;
  private readonly currentId: string;

  /** `current` seals; `previous` (after a rotation) only opens what was sealed before. */
  constructor(private readonly current: Buffer, previous?: Buffer) {
    if (current.length !== 32 || (previous && previous.length !== 32)) throw new AppError('CONFIG_INVALID', 'TOKEN_ENCRYPTION_KEY must be 32 bytes.');
    this.currentId = keyId(current);
    this.keys = new Map([[this.currentId, current]]);
    if (previous) this.keys.set(keyId(previous), previous);
  }

  /** `v1.<key id>.<iv>.<tag>.<ciphertext>`, all base64url; the associated data binds it to its record. */
  seal(plain: string, associated: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    cipher.setAAD(Buffer.from(associated));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, associated: string): string {
    const [version, id, iv, tag, body] = sealed.split('.');
    const key = id ? this.keys.get(id) : undefined;
    if (version !== VERSION || !key || !iv || !tag || body === undefined) {
      throw new AppError('CONFIG_INVALID', `A stored installation was sealed with a key this process does not have (key ${id ?? '?'}). Set TOKEN_ENCRYPTION_KEY (or TOKEN_ENCRYPTION_KEY_PREVIOUS during a rotation) to the key it was sealed with.`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associated));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new AppError('CONFIG_INVALID', 'A stored installation failed its integrity check: it was altered or sealed for another record.', { cause: error });
    }
  }

  /** True when the value was sealed under an older key and should be re-sealed. */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentId;
  }
}
