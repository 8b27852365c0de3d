/** The per-launch secret that keeps other local users, and other web pages, away from the browser host. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison. Both sides are hashed first so the comparison length never depends on what the
 * caller sent (timingSafeEqual itself throws on different lengths, which would leak the length).
 */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined || presented.length === 0 || presented.length > 512) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
