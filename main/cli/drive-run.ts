import type { RunEventListener } from '../core/onboarding/runner.js';
import type { RunState } from '../core/onboarding/run-state.js';
import type { CliContext } from './cli-context.js';
import { printRunFinished, printRunStarted, runEventPrinter, runExitCode } from './run-output.js';
import { createRunProgress } from './run-progress.js';

/** What driveRun needs of a run: a deploy run and a disconnect run are both one. */
export interface DrivableRun {
  readonly runId: string;
  readonly snapshot: RunState;
  onEvent(listener: RunEventListener): () => void;
  start(): Promise<RunState>;
  retryFailed(): Promise<RunState>;
  /** Deploy runs only (`orgconnect register`): register what the platform does not have yet. */
  registerPending?(): Promise<RunState>;
  stop(): Promise<RunState>;
  close(): Promise<void>;
}

/**
 * Runs a deploy (or disconnect) pass to its end with output. Ctrl-C (or SIGTERM) stops cleanly: stacks in flight are recorded
 * as unknown and reconciled by `orgconnect resume`, so the journal never holds a half-known state.
 * When the management session expires mid-run the engine pauses for a sign-in; a CLI cannot sign in inside a
 * running command, so it stops the same clean way and says how to sign in and resume (exit 4).
 */
export async function driveRun(
  context: CliContext,
  run: DrivableRun,
  options: { json: boolean; resumed: boolean; mode: 'start' | 'retry' | 'register' },
): Promise<0 | 3 | 4> {
  const { io } = context;
  let stopping = false;
  const progress = options.json ? undefined : createRunProgress(io);
  run.onEvent(runEventPrinter(io, options.json, progress));
  run.onEvent((event) => {
    if (event.type !== 'run-paused' || event.reason !== 'sign-in-required' || stopping) return;
    stopping = true;
    io.stderr(
      `${event.fix ?? 'Sign in again with the management profile.'}\n` +
        `Then continue with: orgconnect resume ${run.runId}\n`,
    );
    void run.stop();
  });
  printRunStarted(io, run.snapshot, options.json, options.resumed);
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    io.stderr(`\nStopping: stacks in flight are left to finish and will be checked on resume…\n`);
    void run.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const state = await (options.mode === 'retry'
      ? run.retryFailed()
      : options.mode === 'register' && run.registerPending
        ? run.registerPending()
        : run.start());
    progress?.finish();
    printRunFinished(io, state, options.json);
    return runExitCode(state);
  } finally {
    progress?.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await run.close();
  }
}
