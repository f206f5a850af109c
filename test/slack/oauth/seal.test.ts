// Tokens at rest: what is sealed opens only with its key and its record, and a rotated key still opens
// what the previous one sealed.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sealer } from '../../../src/slack/oauth/seal.js';

const key = (): Buffer => randomBytes(32);

describe('Sealer', () => {
  it('round-trips, and the sealed text holds no trace of the plain text', () => {
    const sealer = new Sealer(key());
    const plain = JSON.stringify({ bot: { token: 'xoxb-secret-token-123' } });
    const sealed = sealer.seal(plain, 'T0001');
    expect(sealed).not.toContain('xoxb');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealer.open(sealed, 'T0001')).toBe(plain);
  });

  it('uses a fresh IV each time: the same installation seals differently', () => {
    const sealer = new Sealer(key());
    expect(sealer.seal('same', 'T1')).not.toBe(sealer.seal('same', 'T1'));
  });

  it('refuses a value moved to another record (the record key is authenticated)', () => {
    const sealer = new Sealer(key());
    const sealed = sealer.seal('tokens', 'T0001');
    expect(() => sealer.open(sealed, 'T0002')).toThrow(/integrity/);
  });

  it('refuses a tampered value', () => {
    const sealer = new Sealer(key());
    const parts = sealer.seal('tokens of T0001', 'T0001').split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => sealer.open(parts.join('.'), 'T0001')).toThrow(/integrity/);
  });

  it('refuses a value sealed under a key it does not have, naming what to set', () => {
    const sealed = new Sealer(key()).seal('tokens', 'T0001');
    expect(() => new Sealer(key()).open(sealed, 'T0001')).toThrow(/TOKEN_ENCRYPTION_KEY_PREVIOUS/);
  });

  it('after a rotation, opens what the previous key sealed and says it is stale', () => {
    const oldKey = key();
    const sealedBefore = new Sealer(oldKey).seal('tokens', 'T0001');
    const rotated = new Sealer(key(), oldKey);
    expect(rotated.open(sealedBefore, 'T0001')).toBe('tokens');
    expect(rotated.isStale(sealedBefore)).toBe(true);
    expect(rotated.isStale(rotated.seal('tokens', 'T0001'))).toBe(false);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new Sealer(randomBytes(16))).toThrow(/32 bytes/);
  });
});
