/**
 * Run state is a fold over the run's events — the only way state is derived, whether the events come from the
 * live run or from a journal read after a crash. Pure: no I/O, no clock.
 */
import { OrgConnectError } from '../errors.js';
import { connectionKey } from './connection-key.js';
import {
  ACCOUNT_STATES,
  type AccountState,
  type DeployItem,
  type RegistrationRecord,
  type RunEvent,
  type RunSettingsRecord,
  type StateCounts,
} from './run-events.js';

export interface AccountRunState extends DeployItem {
  state: AccountState;
  outcome?: 'created' | 'updated' | 'unchanged';
  stackId?: string;
  roleArn?: string;
  /** What the platform said about this connection (on `connected`); cleared when the account deploys again. */
  registration?: RegistrationRecord;
  /** The latest failure (or skip/cancel) code, reason and fix; cleared when the account deploys again. */
  stateCode?: string;
  stateReason?: string;
  stateFix?: string;
  /** Disconnect: the platform's answer to the deregistration. */
  deregistration?: { status: 'deregistered' | 'not-registered' | 'failed'; message?: string };
  /** How many deploy attempts were started (0 before the first). */
  attempt: number;
  updatedAt: string;
}

/**
 * `running` also describes a run whose process died: the fold cannot know; the host knows whether a live
 * DeployRun exists for it.
 */
export type RunStatus = 'running' | 'paused' | 'cancelling' | 'finished';

export interface RunState {
  runId: string;
  createdAt: string;
  managementAccountId: string;
  profile: string | null;
  settings: RunSettingsRecord;
  status: RunStatus;
  finishedStatus?: 'completed' | 'cancelled';
  /** Why the run is paused, when it is (absent for pauses recorded before reasons existed). */
  pausedFor?: { reason: 'user' | 'sign-in-required'; code?: string; message?: string; fix?: string };
  cancelRequested: boolean;
  /** In plan order. */
  accounts: AccountRunState[];
  counts: StateCounts;
  updatedAt: string;
}

/** The states only a disconnect run uses; deploy runs' counts keep their original shape without them. */
const DISCONNECT_STATES: ReadonlySet<AccountState> = new Set(['deleting', 'deregistering', 'disconnected']);

export function countStates(
  accounts: readonly { state: AccountState }[],
  operation: 'deploy' | 'disconnect' = 'deploy',
): StateCounts {
  const states = ACCOUNT_STATES.filter(
    (state) => operation === 'disconnect' || !DISCONNECT_STATES.has(state),
  );
  const counts = Object.fromEntries(states.map((state) => [state, 0])) as Record<AccountState, number>;
  for (const account of accounts) counts[account.state] = (counts[account.state] ?? 0) + 1;
  return { total: accounts.length, ...counts };
}

/** Applies one event to a state (the first event must be run-started, which creates it). */
export function applyRunEvent(state: RunState | undefined, event: RunEvent): RunState {
  if (event.type === 'run-started') {
    if (state !== undefined) throw new OrgConnectError('JOURNAL_CORRUPT', 'The run journal starts twice.');
    return {
      runId: event.runId,
      createdAt: event.createdAt,
      managementAccountId: event.managementAccountId,
      profile: event.profile,
      settings: event.settings,
      status: 'running',
      cancelRequested: false,
      accounts: [],
      counts: countStates([], event.settings.operation),
      updatedAt: event.at,
    };
  }
  if (state === undefined) {
    throw new OrgConnectError(
      'JOURNAL_CORRUPT',
      `The run journal does not start with run-started (found ${event.type}).`,
    );
  }
  const next: RunState = { ...state, updatedAt: event.at };
  switch (event.type) {
    case 'account-planned': {
      const { type: _type, at: _at, ...item } = event;
      const planned: AccountRunState = { ...item, state: 'pending', attempt: 0, updatedAt: event.at };
      const key = connectionKey(item);
      const index = state.accounts.findIndex((account) => connectionKey(account) === key);
      next.accounts = index === -1 ? [...state.accounts, planned] : state.accounts.with(index, planned);
      break;
    }
    case 'account-state': {
      const key = connectionKey(event);
      const index = state.accounts.findIndex((account) => connectionKey(account) === key);
      // A state for an account that was never planned cannot be shown or resumed; ignore it rather than guess.
      if (index === -1) return state;
      const previous = state.accounts[index] as AccountRunState;
      const updated: AccountRunState = {
        ...withoutResult(previous),
        state: event.state,
        attempt: event.attempt ?? previous.attempt,
        updatedAt: event.at,
      };
      // A new attempt clears the previous result; a final state brings its own.
      if (event.state !== 'deploying') {
        if (previous.stackId !== undefined) updated.stackId = previous.stackId;
        if (previous.roleArn !== undefined) updated.roleArn = previous.roleArn;
      }
      if (event.outcome !== undefined) updated.outcome = event.outcome;
      if (event.stackId !== undefined) updated.stackId = event.stackId;
      if (event.roleArn !== undefined) updated.roleArn = event.roleArn;
      if (event.registration !== undefined) updated.registration = event.registration;
      if (event.code !== undefined) updated.stateCode = event.code;
      if (event.reason !== undefined) updated.stateReason = event.reason;
      if (event.fix !== undefined) updated.stateFix = event.fix;
      if (event.deregistration !== undefined) updated.deregistration = event.deregistration;
      next.accounts = state.accounts.with(index, updated);
      if (state.status === 'finished') next.status = 'running';
      break;
    }
    case 'run-paused':
      next.status = 'paused';
      next.pausedFor = {
        reason: event.reason ?? 'user',
        ...(event.code === undefined ? {} : { code: event.code }),
        ...(event.message === undefined ? {} : { message: event.message }),
        ...(event.fix === undefined ? {} : { fix: event.fix }),
      };
      break;
    case 'run-resumed':
      next.status = 'running';
      delete next.pausedFor;
      next.cancelRequested = false;
      delete next.finishedStatus;
      break;
    case 'run-cancel-requested':
      next.status = 'cancelling';
      next.cancelRequested = true;
      break;
    case 'run-finished':
      next.status = 'finished';
      next.finishedStatus = event.status;
      delete next.pausedFor;
      break;
  }
  next.counts = countStates(next.accounts, next.settings.operation);
  return next;
}

function withoutResult(account: AccountRunState): AccountRunState {
  const {
    outcome: _outcome,
    stackId: _stackId,
    roleArn: _roleArn,
    registration: _registration,
    stateCode: _code,
    stateReason: _reason,
    stateFix: _fix,
    ...rest
  } = account;
  return rest;
}

export function foldRun(events: readonly RunEvent[]): RunState {
  let state: RunState | undefined;
  for (const event of events) state = applyRunEvent(state, event);
  if (state === undefined) throw new OrgConnectError('JOURNAL_CORRUPT', 'The run journal is empty.');
  return state;
}
