/** The real clock; tests pass their own `SsoClock`. */
import { loginCancelledError } from './sso-errors.js';
import type { SsoClock } from './types.js';

export const systemSsoClock: SsoClock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(loginCancelledError());
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(loginCancelledError());
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
