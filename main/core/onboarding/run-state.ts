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

/**
 * Where each account sits in an accounts array, shared along a run's successive arrays (a replaced row keeps its
 * position; a planned one is appended). A hit is checked against the array it is used on, so an older state's
 * array never answers with a row it does not hold.
 */
const positions = new WeakMap<readonly AccountRunState[], Map<string, number>>();

function indexOfAccount(accounts: readonly AccountRunState[], key: string): number {
  let byKey = positions.get(accounts);
  if (byKey === undefined) {
    byKey = new Map(accounts.map((account, index) => [connectionKey(account), index]));
    positions.set(accounts, byKey);
  }
  const index = byKey.get(key);
  const row = index === undefined ? undefined : accounts[index];
  return row !== undefined && connectionKey(row) === key ? (index as number) : -1;
}

/** `accounts` with row `index` replaced (or `row` appended when index is -1): copied, or in place for a fold. */
function withRow(
  accounts: AccountRunState[],
  index: number,
  row: AccountRunState,
  inPlace: boolean,
): AccountRunState[] {
  const byKey = positions.get(accounts);
  const next = inPlace ? accounts : index === -1 ? [...accounts, row] : accounts.with(index, row);
  if (inPlace) {
    if (index === -1) accounts.push(row);
    else accounts[index] = row;
  }
  if (byKey !== undefined) {
    if (index === -1) byKey.set(connectionKey(row), next.length - 1);
    positions.set(next, byKey);
  }
  return next;
}

/** The counts after one row changed state (from undefined: a new row), as countStates would give them. */
function recount(
  counts: StateCounts,
  from: AccountState | undefined,
  to: AccountState,
  operation: RunSettingsRecord['operation'],
): StateCounts {
  const next: Record<string, number> = { ...counts };
  if (from === undefined) next['total'] = (next['total'] ?? 0) + 1;
  else {
    next[from] = (next[from] ?? 0) - 1;
    // countStates lists a disconnect-only state in a deploy run only while some row is in it.
    if (next[from] === 0 && operation !== 'disconnect' && DISCONNECT_STATES.has(from)) delete next[from];
  }
  next[to] = (next[to] ?? 0) + 1;
  return next as unknown as StateCounts;
}

/** Applies one event to a state (the first event must be run-started, which creates it). */
export function applyRunEvent(state: RunState | undefined, event: RunEvent): RunState {
  return applyEvent(state, event, false);
}

/**
 * One event; `inPlace` (only for foldRun, which owns every intermediate state) replaces rows in the same array
 * instead of copying it, so a 10,000-account journal folds in linear time.
 */
function applyEvent(state: RunState | undefined, event: RunEvent, inPlace: boolean): RunState {
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
      const index = indexOfAccount(state.accounts, connectionKey(item));
      // Read before the row is replaced (a fold replaces it in place).
      next.counts = recount(state.counts, state.accounts[index]?.state, 'pending', state.settings.operation);
      next.accounts = withRow(state.accounts, index, planned, inPlace);
      break;
    }
    case 'account-state': {
      const index = indexOfAccount(state.accounts, connectionKey(event));
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
      next.accounts = withRow(state.accounts, index, updated, inPlace);
      next.counts = recount(state.counts, previous.state, updated.state, state.settings.operation);
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
  for (const event of events) state = applyEvent(state, event, true);
  if (state === undefined) throw new OrgConnectError('JOURNAL_CORRUPT', 'The run journal is empty.');
  return state;
}
