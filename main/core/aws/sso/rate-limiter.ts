/**
 * A small token bucket (GCRA form: one "theoretical arrival time" instead of a token count). Each caller
 * reserves the next free slot synchronously and then waits for it, so concurrent callers are spaced
 * 1000 / ratePerSecond ms apart after an initial burst of `burst`.
 */
import type { SsoClock } from './types.js';

export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  acquire(signal?: AbortSignal): Promise<void>;
}

export function createRateLimiter(options: {
  ratePerSecond: number;
  burst?: number;
  clock: SsoClock;
}): RateLimiter {
  if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
  const burst = Math.max(1, Math.floor(options.burst ?? 1));
  const intervalMs = 1000 / options.ratePerSecond;
  const toleranceMs = (burst - 1) * intervalMs;
  let theoreticalArrival = -Infinity;

  return {
    async acquire(signal) {
      const now = options.clock.now();
      const start = Math.max(now, theoreticalArrival - toleranceMs);
      theoreticalArrival = Math.max(theoreticalArrival, start) + intervalMs;
      if (start > now) await options.clock.sleep(start - now, signal);
    },
  };
}
