/**
 * Time, injected. The deploy engine never calls `Date.now()`, `setTimeout` or `Math.random()` directly, so its
 * waits, backoffs and credential expiry can be driven by a virtual clock in tests (hours of stack polling run
 * in milliseconds) and the real clock in the app.
 */
import { abortableSleep } from './abortable-sleep.js';
import { OrgConnectError } from './errors.js';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with `CANCELLED_ABORTED` when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export function abortedError(): OrgConnectError {
  return new OrgConnectError('CANCELLED_ABORTED', 'Stopped before the operation finished.');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError();
}

export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) => abortableSleep(ms, signal, abortedError),
};

export interface VirtualClock extends Clock {
  /** Total virtual milliseconds slept so far (what a real run would have waited). */
  readonly slept: number;
  /** Moves time forward without sleeping (e.g. "an hour later"). */
  advance(ms: number): void;
}

/**
 * A clock whose `sleep` moves virtual time forward at once and yields to the event loop (a macrotask, so other
 * pending work — concurrent deploys, journal writes — interleaves as it would in real time). Jitter comes from
 * a seeded generator so a failing test replays identically.
 */
export function createVirtualClock(options: { start?: number; seed?: number } = {}): VirtualClock {
  let now = options.start ?? Date.UTC(2025, 0, 1);
  let slept = 0;
  let state = (options.seed ?? 42) >>> 0;
  return {
    now: () => now,
    get slept() {
      return slept;
    },
    advance(ms) {
      now += ms;
    },
    random() {
      // mulberry32: tiny, deterministic, good enough for jitter.
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(abortedError());
          return;
        }
        setImmediate(() => {
          if (signal?.aborted) {
            reject(abortedError());
            return;
          }
          const step = Math.max(0, ms);
          now += step;
          slept += step;
          resolve();
        });
      });
    },
  };
}
