/**
 * `health` for people in a terminal: one live line on stderr while the checks run — how many connections have
 * been checked, and for how long — redrawn in place by log-update and erased before the report is printed.
 * Without a terminal (pipes, CI logs) and with --json nothing is drawn: the report alone is the output.
 */
import { createLogUpdate } from 'log-update';
import type { CliIo } from './output.js';

export interface HealthProgress {
  /** One more connection has its result. */
  checked(): void;
  /** The checks ended: the live line goes. */
  finish(): void;
}

const NONE: HealthProgress = { checked: () => undefined, finish: () => undefined };

function elapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "Checking the connections: 12 checked · 0:08 elapsed" (before the first result: reading the Organization). */
export function healthProgressLine(checked: number, elapsedMs: number): string {
  const what =
    checked === 0 ? 'Reading the Organization and its connections' : `Checking: ${checked} checked`;
  return `${what} · ${elapsed(elapsedMs)} elapsed`;
}

export function createHealthProgress(io: CliIo, now: () => number = Date.now): HealthProgress {
  const terminal = io.terminal;
  if (terminal === undefined) return NONE;
  const live = createLogUpdate(terminal, { showCursor: false });
  const started = now();
  let count = 0;
  let finished = false;
  const render = () => {
    if (!finished) live(healthProgressLine(count, now() - started));
  };
  // The elapsed time moves while a slow account is being checked.
  const ticker = setInterval(render, 1000);
  ticker.unref();
  render();
  return {
    checked() {
      count += 1;
      render();
    },
    finish() {
      clearInterval(ticker);
      if (finished) return;
      finished = true;
      live.clear();
      live.done();
    },
  };
}
