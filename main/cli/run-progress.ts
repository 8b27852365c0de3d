/**
 * A deploy run's progress for people. In a terminal: one live line on stderr — counts by state, elapsed, ETA —
 * redrawn in place by log-update (sindresorhus/log-update: erases and rewrites its own lines, hides the cursor,
 * fits the line to the terminal width); a failure is printed above it as its own line, so it stays in the
 * scrollback. Without a terminal (CI logs, pipes): the same line every few seconds, and each failure once.
 * --json never comes here (run-output.ts prints its events).
 */
import { createLogUpdate } from 'log-update';
import type { RunState } from '../core/onboarding/run-state.js';
import type { CliIo } from './output.js';

export interface ProgressCounts {
  total: number;
  pending: number;
  deploying: number;
  connected: number;
  skipped: number;
  failed: number;
  cancelled: number;
  unknown: number;
}

function clock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Accounts that reached an end state; the ETA assumes the rest go at the pace so far. */
function done(c: ProgressCounts): number {
  return c.connected + c.skipped + c.failed + c.cancelled;
}

export function etaMs(c: ProgressCounts, elapsedMs: number): number | undefined {
  const finished = done(c);
  if (finished === 0 || finished >= c.total) return undefined;
  return (elapsedMs / finished) * (c.total - finished);
}

/** "Deploying 12/40 · 10 connected · 1 failed · 3 in progress · 26 pending · 0:42 elapsed · ETA 1:30" */
export function progressLine(c: ProgressCounts, elapsedMs: number): string {
  const parts = [
    `Deploying ${done(c)}/${c.total}`,
    `${c.connected} connected`,
    ...(c.skipped > 0 ? [`${c.skipped} already connected`] : []),
    ...(c.failed > 0 ? [`${c.failed} failed`] : []),
    ...(c.cancelled > 0 ? [`${c.cancelled} cancelled`] : []),
    ...(c.unknown > 0 ? [`${c.unknown} unknown`] : []),
    `${c.deploying} in progress`,
    `${c.pending} pending`,
    `${clock(elapsedMs)} elapsed`,
  ];
  const eta = etaMs(c, elapsedMs);
  parts.push(eta === undefined ? 'ETA –' : `ETA ${clock(eta)}`);
  return parts.join(' · ');
}

export interface RunProgress {
  /** The run's state changed. */
  update(state: RunState): void;
  /** A line that must stay (a failed account). */
  print(line: string): void;
  /** The run ended: the live line goes, the caller prints the summary. */
  finish(): void;
}

export interface RunProgressOptions {
  now?: () => number;
  /** Without a terminal: seconds between summary lines. */
  intervalMs?: number;
}

export function createRunProgress(io: CliIo, options: RunProgressOptions = {}): RunProgress {
  const now = options.now ?? Date.now;
  const started = now();
  let latest: ProgressCounts | undefined;
  let finished = false;
  const terminal = io.terminal;
  if (terminal !== undefined) {
    const live = createLogUpdate(terminal, { showCursor: false });
    const render = () => {
      if (latest !== undefined) live(progressLine(latest, now() - started));
    };
    // The elapsed time and ETA move even while no account changes state.
    const ticker = setInterval(render, 1000);
    ticker.unref();
    return {
      update(state) {
        latest = state.counts;
        if (!finished) render();
      },
      print(line) {
        live.clear();
        io.stdout(line.endsWith('\n') ? line : `${line}\n`);
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
  const intervalMs = options.intervalMs ?? 5000;
  let lastPrinted = -Infinity;
  const summary = () => {
    if (latest === undefined) return;
    lastPrinted = now();
    io.stderr(`${progressLine(latest, lastPrinted - started)}\n`);
  };
  const ticker = setInterval(summary, intervalMs);
  ticker.unref();
  return {
    update(state) {
      latest = state.counts;
      if (!finished && now() - lastPrinted >= intervalMs) summary();
    },
    print(line) {
      io.stdout(line.endsWith('\n') ? line : `${line}\n`);
    },
    finish() {
      clearInterval(ticker);
      finished = true;
    },
  };
}
