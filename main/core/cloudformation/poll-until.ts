/**
 * Poll-until: read something until it is done, waiting with backoff between reads and giving up at a deadline.
 * Every CloudFormation wait in orgconnect (a stack settling, a StackSet operation ending, another StackSet
 * operation making way, drift detection finishing) is this one loop with a different `read` and `done`.
 */
import type { Clock } from '../clock.js';
import { backoffDelay } from './call-with-retry.js';

export interface PollPolicy {
  baseMs: number;
  capMs: number;
  /** Give up waiting for one operation after this long (the operation keeps going; a later run reconciles it). */
  timeoutMs: number;
}

/**
 * Each member stack lives in its own account, so polls spend that account's CloudFormation quota, not a shared
 * one: a low cap is affordable. A 20 s IAM stack is seen settled ~0.75 s late on average (polls at ≈0.75, 2.25,
 * 5.25 s, then every 1–2 s: about 13 DescribeStacks a stack) where a 5 s cap saw it ~2 s late with 7, and a 15 s
 * cap at ≈22.5 s. At the default concurrency a late sighting delays the next account by as much, so over 10,000
 * accounts the 2 s cap saves ~20 minutes (bench/README.md, section 4).
 */
export const DEFAULT_POLL_POLICY: PollPolicy = { baseMs: 1000, capMs: 2000, timeoutMs: 60 * 60_000 };

export interface PollUntilOptions<T> {
  read: () => Promise<T>;
  done: (value: T) => boolean;
  clock: Clock;
  policy: PollPolicy;
  signal?: AbortSignal | undefined;
  /** The wait before the next read; default: the policy's exponential backoff with jitter. */
  delayMs?: (attempt: number) => number;
  /** Told about every read that is not done yet, before the wait. */
  onWait?: (value: T, attempt: number) => void;
  /** The deadline passed with `last` not done: throw the caller's error, or return a value to end with. */
  onTimeout: (last: T) => T;
}

export async function pollUntil<T>(options: PollUntilOptions<T>): Promise<T> {
  const { clock, policy, signal } = options;
  const deadline = clock.now() + policy.timeoutMs;
  const delayMs = options.delayMs ?? ((attempt) => backoffDelay(attempt, policy, () => clock.random()));
  for (let attempt = 0; ; attempt++) {
    const value = await options.read();
    if (options.done(value)) return value;
    options.onWait?.(value, attempt);
    if (clock.now() >= deadline) return options.onTimeout(value);
    await clock.sleep(delayMs(attempt), signal);
  }
}
