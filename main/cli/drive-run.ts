import type { DeployRun } from '../core/onboarding/runner.js';
import type { CliContext } from './commands/index.js';
import { printRunFinished, printRunStarted, runEventPrinter, runExitCode } from './run-output.js';

/**
 * Runs a deploy pass to its end with output. Ctrl-C (or SIGTERM) stops cleanly: stacks in flight are recorded
 * as unknown and reconciled by `orgconnect resume`, so the journal never holds a half-known state.
 */
export async function driveRun(
  context: CliContext,
  run: DeployRun,
  options: { json: boolean; resumed: boolean; mode: 'start' | 'retry' },
): Promise<0 | 3> {
  const { io } = context;
  run.onEvent(runEventPrinter(io, options.json));
  printRunStarted(io, run.snapshot, options.json, options.resumed);
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    io.stderr(`\nStopping: stacks in flight are left to finish and will be checked on resume…\n`);
    void run.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const state = await (options.mode === 'retry' ? run.retryFailed() : run.start());
    printRunFinished(io, state, options.json);
    return runExitCode(state);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await run.close();
  }
}
