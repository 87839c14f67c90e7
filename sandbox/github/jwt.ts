// RS256 JWTs with node:crypto alone: signing is one call and a public key exports itself as a JWK, so a
// JWT library would add a dependency and nothing else.
import { createHash, generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: PublicJwk;
}

export async function newSigningKey(kid?: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: 'jwk' });
  // GitHub's kids are hex key thumbprints; this one is the SHA-1 of the key's DER, the same kind.
  const id =
    kid ??
    createHash('sha1')
      .update(publicKey.export({ format: 'der', type: 'spki' }))
      .digest('hex')
      .toUpperCase();
  return {
    kid: id,
    privateKey,
    jwk: { kty: 'RSA', n: n ?? '', e: e ?? '', kid: id, alg: 'RS256', use: 'sig' },
  };
}

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `header.claims.signature`, RS256 over the first two parts, with the key's kid in the header. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const input = `${part({ typ: 'JWT', alg: 'RS256', kid: key.kid })}.${part(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}
