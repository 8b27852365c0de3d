/**
 * The wizard's state and the pure functions that change it. Host events are applied here (and only here), so the
 * Deploy step shows exactly what the run journal says, whether the run was started by this window or not.
 */
import type { HealthSummary, HostEvent, ResponseOf } from '../../../preload/contract.js';
import { withHealthRow } from './health-rows.js';
import { connectionKey } from '../../../main/core/onboarding/connection-key.js';
export type RegistrationRecord = NonNullable<ResponseOf<'runs.get'>['accounts'][number]['registration']>;

export type Profiles = ResponseOf<'profiles.list'>;
export type Identity = ResponseOf<'identity.whoami'>;
export type Snapshot = ResponseOf<'org.discover'>;
export type Planned = ResponseOf<'plan.create'>;
export type RunStatus = ResponseOf<'deploy.pause'>['status'];
export type StateCounts = Extract<HostEvent, { type: 'run-event' }>['counts'];
export type AccountState = ResponseOf<'runs.get'>['accounts'][number]['state'];

export interface Settings {
  platformAccountId: string;
  externalId: string;
  roleName: string;
  accessRoleName: string;
  /**
   * How members are reached: assume the access role, an Identity Center permission set, or a StackSet; `manual`:
   * roles we create ourselves — orgconnect verifies `roleName` under `rolePath` in each account and registers it.
   */
  access: 'access-role' | 'identity-center' | 'stacksets' | 'manual';
  /** `manual` only: the IAM path of the hand-made roles (empty: the platform's, /cloudzero/). */
  rolePath: string;
  /** `manual` only: a roles file chosen with the file picker (its text; the host checks it), instead of a role name. */
  rolesCsv: string;
  rolesCsvName: string;
  /** The permission set, for `identity-center`. */
  ssoRoleName: string;
  concurrency: number;
  /** The S3 bucket the Billing role may read (the CUR's); empty: none. Pre-filled from the report found on Connect. */
  costAndUsageReportBucket: string;
}

export const DEFAULT_SETTINGS: Settings = {
  platformAccountId: '061190967865',
  externalId: '',
  /** Empty: the templates' defaults (orgconnect-platform-billing / orgconnect-platform-resource). */
  roleName: '',
  accessRoleName: 'OrganizationAccountAccessRole',
  access: 'access-role',
  rolePath: '',
  rolesCsv: '',
  rolesCsvName: '',
  ssoRoleName: '',
  concurrency: 8,
  costAndUsageReportBucket: '',
};

/** One row of the Deploy table: a plan item and what the run has done with it so far. */
export interface DeployRow {
  key: string;
  accountId: string;
  accountName: string;
  ouPath: string;
  kind: 'billing' | 'resource';
  /** delete / deregister only in disconnect runs. */
  action: 'create' | 'update' | 'skip' | 'blocked' | 'delete' | 'deregister';
  state: AccountState;
  attempt: number;
  code?: string | undefined;
  reason?: string | undefined;
  fix?: string | undefined;
  roleArn?: string | undefined;
  /** What the platform said when this connection was registered (absent until it was sent). */
  registration?: RegistrationRecord | undefined;
  /** The latest progress line (stack step) while deploying. */
  progress?: string | undefined;
}

export interface Flash {
  id: string;
  type: 'error' | 'success' | 'info' | 'warning';
  /** A short headline; errors without one get a title derived from their code. */
  title?: string | undefined;
  code?: string | undefined;
  message: string;
  fix?: string | undefined;
  /** A Health row (`<accountId>/<kind>`) the message is about: its button opens that row. */
  openRow?: string | undefined;
}

export interface WizardState {
  profiles?: Profiles;
  profile?: string;
  identity?: Identity;
  snapshot?: Snapshot;
  /** The latest discovery/preflight progress line, for the "working…" hints. */
  activity?: string;
  settings: Settings;
  selected: string[];
  /** Connection names the user typed, by account id (the rest get defaults from the account names). */
  nameOverrides: Record<string, string>;
  planned?: Planned;
  /** What the plan was made from (planRequestKey): a plan made from other inputs is stale and is made again. */
  plannedKey?: string;
  /** The inputs (planRequestKey) of a plan.create that failed (its message is shown): Review offers "Plan again". */
  planFailedKey?: string;
  runId?: string;
  runStatus?: RunStatus;
  finishedStatus?: 'completed' | 'cancelled';
  counts?: StateCounts;
  deploy: Record<string, DeployRow>;
  health?: HealthSummary;
  /** The management account's Cost and Usage Reports, as read on Connect. */
  costAndUsageReport?: ResponseOf<'cur.status'>;
  /** How often the host re-checks the connections on its own (minutes); null or absent: only on "Check now". */
  healthEveryMinutes?: number | null;
  /** The Deploy row whose stack events the side panel shows. */
  focusedRow?: string;
  /** The Review row (plan item key) whose reason and fix the split panel shows. */
  focusedPlanItem?: string;
  /** The Health row whose checks the split panel shows. */
  focusedHealthRow?: string;
  /** Set when the app opens on Health for a returning user: check the connections right away. */
  checkHealthOnOpen?: boolean;
  /** An IAM Identity Center sign-in in progress: where the person finishes it, and the code to confirm. */
  loginPrompt?: { profile: string; url: string; userCode?: string; verificationUri?: string };
  /** The host waits for a code from this MFA device (a profile's role chain has mfa_serial). */
  mfaPrompt?: { promptId: string; mfaSerial: string };
  flashes: Flash[];
}

export const INITIAL_STATE: WizardState = {
  settings: DEFAULT_SETTINGS,
  selected: [],
  nameOverrides: {},
  deploy: {},
  flashes: [],
};


/** The Deploy rows before anything ran: every plan item pending (skip/blocked never deploy). */
export function rowsFromPlan(planned: Planned): Record<string, DeployRow> {
  const rows: Record<string, DeployRow> = {};
  for (const item of planned.plan.items) {
    rows[connectionKey(item)] = {
      key: connectionKey(item),
      accountId: item.accountId,
      accountName: item.accountName,
      ouPath: item.ouPath,
      kind: item.kind,
      action: item.action,
      // Skipped and blocked items never deploy; the run may still record a blocked one as failed.
      state: item.action === 'skip' || item.action === 'blocked' ? 'skipped' : 'pending',
      attempt: 0,
      code: item.code,
      reason: item.reason,
      fix: item.fix,
    };
  }
  return rows;
}

/** Applies one host event. Events of other runs (another window's) are ignored. */
export function applyHostEvent(state: WizardState, event: HostEvent): WizardState {
  switch (event.type) {
    case 'discovery-progress':
      return {
        ...state,
        activity:
          event.phase === 'done'
            ? `Discovered ${event.done} accounts`
            : `Discovering the Organization (${event.phase}, ${event.done} accounts so far)`,
      };
    case 'preflight-progress':
      return { ...state, activity: `Checking access into each account (${event.done} checked)` };
    case 'run-progress': {
      if (event.runId !== state.runId) return state;
      const key = connectionKey(event);
      const row = state.deploy[key];
      if (!row) return state;
      return { ...state, deploy: { ...state.deploy, [key]: { ...row, progress: event.message } } };
    }
    case 'run-error':
      if (event.runId !== state.runId) return state;
      return withFlash(state, { type: 'error', ...event.error });
    case 'run-event': {
      if (event.runId !== state.runId) return state;
      const next: WizardState = { ...state, runStatus: event.status, counts: event.counts };
      const inner = event.event;
      if (inner.type === 'account-planned' || inner.type === 'account-state') {
        const key = connectionKey(inner);
        const row = deployRowAfter(next.deploy[key], inner);
        if (row) next.deploy = { ...next.deploy, [key]: row };
      } else if (inner.type === 'run-finished') {
        next.finishedStatus = inner.status;
      } else if (inner.type === 'run-resumed') {
        delete next.finishedStatus;
      }
      return next;
    }
    case 'health-checked':
      if (event.profile !== state.profile) return state;
      return { ...state, health: withHealthRow(state.health, event.organizationId, event.connection) };
    case 'health-alert':
      if (event.profile !== state.profile) return state;
      return withFlash(state, {
        type: 'warning',
        message: `${event.connection.accountName} (${event.connection.accountId}) turned unhealthy`,
        fix: event.connection.checks.find((c) => c.status === 'fail')?.fix,
        openRow: connectionKey(event.connection),
      });
    case 'coverage-recorded':
      if (event.profile !== state.profile || state.health?.organizationId !== event.organizationId)
        return state;
      return { ...state, health: { ...state.health, coverage: event.coverage, series: event.series } };
    case 'mfa-prompt':
      return { ...state, mfaPrompt: { promptId: event.promptId, mfaSerial: event.mfaSerial } };
    case 'login-prompt':
      return {
        ...state,
        loginPrompt: {
          profile: event.profile,
          url: event.url,
          ...(event.userCode === undefined ? {} : { userCode: event.userCode }),
          ...(event.verificationUri === undefined ? {} : { verificationUri: event.verificationUri }),
        },
      };
  }
}

let flashCounter = 0;
type AccountRunEvent = Extract<
  Extract<HostEvent, { type: 'run-event' }>['event'],
  { type: 'account-planned' | 'account-state' }
>;

/** A Deploy row after one account event; undefined for a state of an account the table does not show. */
function deployRowAfter(existing: DeployRow | undefined, inner: AccountRunEvent): DeployRow | undefined {
  if (inner.type === 'account-planned') {
    return {
      key: connectionKey(inner),
      accountId: inner.accountId,
      accountName: inner.accountName,
      ouPath: inner.ouPath,
      kind: inner.kind,
      action: inner.action,
      state: existing?.state ?? 'pending',
      attempt: existing?.attempt ?? 0,
      code: inner.code,
      reason: inner.reason,
      fix: inner.fix,
    };
  }
  if (!existing) return undefined;
  return {
    ...existing,
    state: inner.state,
    attempt: inner.attempt ?? existing.attempt,
    code: inner.code ?? (inner.state === 'connected' ? undefined : existing.code),
    reason: inner.reason ?? (inner.state === 'connected' ? undefined : existing.reason),
    fix: inner.fix ?? (inner.state === 'connected' ? undefined : existing.fix),
    roleArn: inner.roleArn ?? existing.roleArn,
    registration: inner.state === 'connected' ? inner.registration : undefined,
    progress: inner.state === 'deploying' ? existing.progress : undefined,
  };
}

/**
 * A frame's batch of host events, as applying each in turn gives — but the Deploy rows are copied once per batch,
 * not once per event: copying 10,000 rows takes ~6 ms, and a run sends up to hundreds of account events a second.
 */
export function applyHostEvents(state: WizardState, events: readonly HostEvent[]): WizardState {
  let current = state;
  /** The rows object this batch copied, safe to write into while it is still the state's. */
  let ownRows: Record<string, DeployRow> | undefined;
  for (const event of events) {
    const inner = event.type === 'run-event' && event.runId === current.runId ? event.event : undefined;
    if (event.type === 'run-event' && (inner?.type === 'account-planned' || inner?.type === 'account-state')) {
      const key = connectionKey(inner);
      const row = deployRowAfter(current.deploy[key], inner);
      let deploy = current.deploy;
      if (row) {
        if (ownRows !== current.deploy) ownRows = { ...current.deploy };
        ownRows[key] = row;
        deploy = ownRows;
      }
      current = { ...current, runStatus: event.status, counts: event.counts, deploy };
      continue;
    }
    current = applyHostEvent(current, event);
  }
  return current;
}

export function withFlash(state: WizardState, flash: Omit<Flash, 'id'>): WizardState {
  flashCounter += 1;
  // The newest message first, and a short list: a flood of identical errors helps nobody.
  return { ...state, flashes: [{ ...flash, id: `flash-${flashCounter}` }, ...state.flashes].slice(0, 5) };
}

/** The selection as plan.create takes it: `all` when every active account is chosen, else the ids. */
export function selectionSpec(snapshot: Snapshot, selected: readonly string[]): string {
  const active = snapshot.accounts.filter((a) => a.status === 'ACTIVE').map((a) => a.id);
  const chosen = new Set(selected);
  if (active.length > 0 && active.every((id) => chosen.has(id))) return 'all';
  return [...chosen].join(',');
}
