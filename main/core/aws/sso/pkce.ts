/** PKCE (RFC 7636) verifier and S256 challenge, as the AWS CLI makes them. */
import { createHash, randomInt } from 'node:crypto';

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

export interface PkcePair {
  verifier: string;
  challenge: string;
}

export function createPkcePair(): PkcePair {
  let verifier = '';
  for (let i = 0; i < 64; i += 1) verifier += UNRESERVED[randomInt(UNRESERVED.length)];
  return { verifier, challenge: pkceChallenge(verifier) };
}

/** base64url(sha256(verifier)) without padding. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
