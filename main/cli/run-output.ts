/**
 * How a deploy run is shown: with --json, one JSON object per line and nothing else on stdout (README, "deploy
 * --json events"); otherwise the live progress line (run-progress.ts), a line for each account that failed or
 * was left unknown, and the summary at the end.
 */
import type { RunEvent } from '../core/onboarding/run-events.js';
import type { RunState } from '../core/onboarding/run-state.js';
import type { RegistrationRecord } from '../core/onboarding/run-events.js';
import { registrationSentence, summarizeRegistration } from '../core/onboarding/registration-summary.js';
import { printJsonLine, type CliIo } from './output.js';
import type { RunProgress } from './run-progress.js';

/** Account states a person must see one by one; the rest are counted on the progress line. */
const SHOWN_ONE_BY_ONE = new Set(['failed', 'unknown']);

export function runEventPrinter(
  io: CliIo,
  json: boolean,
  progress?: RunProgress,
): (event: RunEvent, state: RunState) => void {
  return (event, state) => {
    const line = runEventLine(event, state);
    if (!json) progress?.update(state);
    if (line === undefined) return;
    if (json) {
      printJsonLine(io, line);
      return;
    }
    if (line.event === 'run-paused' && line.reason === 'sign-in-required') {
      io.stderr(`\n${line.message ?? 'The management session expired.'}\n`);
      return;
    }
    const registrationFailed = line.event === 'account' && line.registration?.status === 'failed';
    if (line.event === 'account' && (SHOWN_ONE_BY_ONE.has(line.state) || registrationFailed)) {
      const why = [line.reason, line.fix ? `Fix: ${line.fix}` : undefined, line.code ? `[${line.code}]` : '']
        .filter(Boolean)
        .join(' ');
      const platform = line.registration ? `  ${registrationText(line.registration)}` : '';
      const text = `${line.accountId}  ${line.kind.padEnd(8)}  ${line.state}${why ? `  ${why}` : ''}${platform}`;
      if (progress) progress.print(text);
      else io.stdout(`${text}\n`);
    }
  };
}

export type RunLine =
  | { event: 'run-started'; runId: string; managementAccountId: string; accounts: number }
  | {
      event: 'account';
      runId: string;
      accountId: string;
      kind: 'billing' | 'resource';
      state: string;
      outcome?: string;
      roleArn?: string;
      code?: string;
      reason?: string;
      fix?: string;
      /** On connected: what the platform said (README, "Registration"). */
      registration?: RegistrationRecord;
      /** Disconnect runs: what the platform said. */
      deregistration?: { status: string; message?: string };
    }
  | {
      event: 'run-paused';
      runId: string;
      reason: 'user' | 'sign-in-required';
      code?: string;
      message?: string;
      fix?: string;
    }
  | {
      event: 'run-finished';
      runId: string;
      status: string;
      counts: RunState['counts'];
      registration: ReturnType<typeof summarizeRegistration>;
    };

/** The platform's answer for a person: registered (HTTP status), or not, and why. */
export function registrationText(registration: RegistrationRecord): string {
  switch (registration.status) {
    case 'registered':
      return `registered with the platform (HTTP ${registration.httpStatus})`;
    case 'failed':
      return `NOT registered: ${registration.reason}${registration.fix ? ` Fix: ${registration.fix}` : ''}`;
    case 'not-sent':
      return `not registered: ${registration.reason}`;
  }
}

function runEventLine(event: RunEvent, state: RunState): RunLine | undefined {
  switch (event.type) {
    case 'account-state':
      return {
        event: 'account',
        runId: state.runId,
        accountId: event.accountId,
        kind: event.kind,
        state: event.state,
        ...(event.outcome ? { outcome: event.outcome } : {}),
        ...(event.roleArn ? { roleArn: event.roleArn } : {}),
        ...(event.code ? { code: event.code } : {}),
        ...(event.reason ? { reason: event.reason } : {}),
        ...(event.fix ? { fix: event.fix } : {}),
        ...(event.registration ? { registration: event.registration } : {}),
        ...(event.deregistration ? { deregistration: event.deregistration } : {}),
      };
    case 'run-paused':
      return {
        event: 'run-paused',
        runId: state.runId,
        reason: event.reason ?? 'user',
        ...(event.code ? { code: event.code } : {}),
        ...(event.message ? { message: event.message } : {}),
        ...(event.fix ? { fix: event.fix } : {}),
      };
    default:
      return undefined;
  }
}

export function printRunStarted(io: CliIo, state: RunState, json: boolean, resumed = false): void {
  const line: RunLine = {
    event: 'run-started',
    runId: state.runId,
    managementAccountId: state.managementAccountId,
    accounts: state.accounts.length,
  };
  if (json) printJsonLine(io, resumed ? { ...line, resumed: true } : line);
  else
    io.stdout(
      `Run ${state.runId} ${resumed ? 'resumed' : 'started'} (${state.accounts.length} connections).\n`,
    );
}

/** Printed once a pass of the run has ended (finished, or stopped to resume later). */
export function runFinishedLine(state: RunState): RunLine {
  return {
    event: 'run-finished',
    runId: state.runId,
    status: state.status === 'finished' ? (state.finishedStatus ?? 'completed') : 'stopped',
    counts: state.counts,
    registration: summarizeRegistration(state.accounts),
  };
}

export function printRunFinished(io: CliIo, state: RunState, json: boolean): void {
  const line = runFinishedLine(state);
  if (json) {
    printJsonLine(io, line);
    return;
  }
  const c = state.counts;
  const registration = summarizeRegistration(state.accounts);
  if (state.settings.operation === 'disconnect') {
    io.stdout(
      `\nRun ${state.runId} ${line.event === 'run-finished' ? line.status : ''}: ${c.disconnected ?? 0} disconnected, ` +
        `${c.skipped} skipped, ${c.failed} failed, ${c.cancelled} cancelled, ${c.unknown} unknown, ` +
        `${c.pending + (c.deleting ?? 0) + (c.deregistering ?? 0)} unfinished.\n`,
    );
  } else {
    io.stdout(
      `\nRun ${state.runId} ${line.event === 'run-finished' ? line.status : ''}: ${c.connected} connected, ` +
        `${c.skipped} already connected, ${c.failed} failed, ${c.cancelled} cancelled, ${c.unknown} unknown, ` +
        `${c.pending} pending.\n`,
    );
    io.stdout(`${registration.allDone ? 'All done: ' : ''}${registrationSentence(registration)}\n`);
  }
  if (c.failed > 0) io.stdout(`Retry the failed accounts with: orgconnect retry ${state.runId}\n`);
  const deploy = state.settings.operation !== 'disconnect';
  if (deploy && (registration.registrationFailed > 0 || registration.notSent > 0)) {
    io.stdout(`Register what the platform does not have with: orgconnect register --run ${state.runId}\n`);
  }
  if (state.status !== 'finished') io.stdout(`Continue with: orgconnect resume ${state.runId}\n`);
}

/**
 * 0 when every selected account is connected (or already was; a disconnect: disconnected or skipped) and none was
 * refused or missed by the platform, 3 otherwise, 4 when the run stopped to wait for a sign-in (README, exit codes).
 * A registration turned off (--no-register) is a choice, not a failure.
 */
export function runExitCode(state: RunState): 0 | 3 | 4 {
  if (state.status !== 'finished' && state.pausedFor?.reason === 'sign-in-required') return 4;
  const c = state.counts;
  const refused = state.accounts.some((account) => account.registration?.status === 'failed');
  return c.total === c.connected + c.skipped + (c.disconnected ?? 0) && !refused ? 0 : 3;
}
