/** The real clock; tests pass their own `SsoClock`. */
import { abortableSleep } from '../../abortable-sleep.js';
import { loginCancelledError } from './sso-errors.js';
import type { SsoClock } from './types.js';

export const systemSsoClock: SsoClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => abortableSleep(ms, signal, loginCancelledError),
};
