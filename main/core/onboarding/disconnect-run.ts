/**
 * A disconnect run: for every planned account, delete its orgconnect stack (unless `keepStacks`), wait for
 * DELETE_COMPLETE, then deregister the connection from the platform. Resource accounts go first with bounded
 * concurrency; the Billing connection goes last and only once every Resource account of the run is
 * disconnected (else it is recorded cancelled with MEMBERS_NOT_DISCONNECTED and retried with them).
 *
 * Journaled like a deploy run (the same journal, events and fold; `settings.operation` is `disconnect`): every
 * state change is appended and fsynced before anyone is told. States: pending → deleting → deregistering →
 * disconnected (or failed / skipped / cancelled / unknown). Resume re-runs every account not in a final state
 * from DescribeStacks: a stack already gone counts as removed, one still deleting is waited for, and
 * deregistration is asked again (the platform treats a repeated deprovision as done).
 *
 * Deregistration is injected (`deregister`): the run does not know the platform's HTTP API.
 */
import type { PollPolicy, RetryPolicy } from '../cloudformation/index.js';
import { systemClock } from '../clock.js';
import { OrgConnectError } from '../errors.js';
import type { AccountCredentials } from './account-credentials.js';
import { ensureDataDirWritable } from './data-dir.js';
import { newRunId, openJournal, readRunState, type RunJournal } from './journal.js';
import type { ConnectionKind, DeployItem, RunSettingsRecord } from './run-events.js';
import { externalIdFingerprint, readRunSecrets, type RunSecrets } from './run-secrets.js';
import { type AccountRunState, type RunState } from './run-state.js';
import { connectionKey } from './connection-key.js';
import { assertRunExternalId, beginRun } from './run-start.js';
import { RunControl, type RunControlOptions, type RunPolicy } from './run-control.js';
import {
  accountByAccount,
  DEFAULT_CONCURRENCY,
  failedAsBlocked,
  type CloudFormationFor,
  type RunEngine,
} from './run-engine.js';
import { disconnectAccount, type Deregister } from './disconnect-account.js';

export type { Deregister, DeregisterOutcome, DisconnectedConnection } from './disconnect-account.js';

/** What a disconnect run records; the External ID only as a fingerprint (its secrets file holds it for resume). */
export interface DisconnectSettings {
  platformAccountId: string;
  externalId: string;
  accessRoleName: string;
  accessMode?: 'access-role' | 'identity-center';
  ssoRoleName?: string;
  region: string;
  keepStacks: boolean;
  platformUrl?: string;
}

interface DisconnectEngineOptions extends RunControlOptions {
  credentialsFor: (accountId: string) => Promise<AccountCredentials>;
  cloudFormationFor: CloudFormationFor;
  deregister: Deregister;
  deploy?: { retry?: Partial<RetryPolicy>; poll?: Partial<PollPolicy> };
}

export interface StartDisconnectOptions extends DisconnectEngineOptions {
  runId?: string;
  /** Plan items; blocked and skipped ones are journaled too, so the run says why they were left alone. */
  items: readonly (DeployItem & { roleArn?: string })[];
  settings: DisconnectSettings;
  managementAccountId: string;
  profile: string | null;
}

export interface ResumeDisconnectOptions extends DisconnectEngineOptions {
  runId: string;
  /** From `disconnectSecrets`. */
  secrets: RunSecrets;
}

const GATE_CODE = 'MEMBERS_NOT_DISCONNECTED';

/** Members first; the Billing connection goes last, and only once every member of the run is disconnected. */
const DISCONNECT_POLICY: RunPolicy = {
  doing: 'running',
  first: 'resource',
  gateCode: GATE_CODE,
  holdBack(state) {
    const holding = state.accounts.filter(
      (account) =>
        account.kind === 'resource' && account.state !== 'disconnected' && account.state !== 'skipped',
    );
    if (holding.length === 0) return undefined;
    return {
      state: 'cancelled',
      code: GATE_CODE,
      reason: `${holding.length} member account(s) of this run are not disconnected (e.g. ${holding[0]?.accountId}); the Billing connection goes last`,
      fix: 'Fix the failed member accounts, then retry the failed accounts; the Billing connection is retried with them.',
    };
  },
};

/** Start, retry and stop come from run control; a disconnect has no pause or cancel. */
export class DisconnectRun extends RunControl {
  private readonly engine: RunEngine;

  /** Use `startDisconnect` or `resumeDisconnect`. */
  constructor(
    journal: RunJournal,
    initial: RunState,
    secrets: RunSecrets,
    options: DisconnectEngineOptions,
    resumed: boolean,
    planRoleArns: ReadonlyMap<string, string> = new Map(),
  ) {
    super(journal, initial, secrets, options, resumed, DISCONNECT_POLICY);
    const run = this.context;
    const runAccount = async (planned: AccountRunState, force: boolean): Promise<void> => {
      if (run.stopped) return;
      if (!force && planned.attempt === 0 && planned.action === 'skip') {
        await run.recordAccount(planned, { state: 'skipped', reason: planned.reason ?? 'nothing to remove' });
        return;
      }
      if (await failedAsBlocked(run, planned, force, 'blocked by the plan')) return;
      await disconnectAccount(
        {
          options,
          clock: run.clock,
          signal: run.signal,
          current:
            run.state.accounts.find((account) => connectionKey(account) === connectionKey(planned)) ?? planned,
          keepStacks: run.state.settings.keepStacks === true || planned.action === 'deregister',
          planRoleArn: planRoleArns.get(connectionKey(planned)),
          record: (change) => run.recordAccount(planned, change),
          emitProgress: (progress) => run.emitProgress(progress),
          fatal: () => run.fatal,
        },
        planned,
      );
    };
    this.engine = accountByAccount(run, runAccount);
  }

  protected engineFor(_kind: ConnectionKind): RunEngine {
    return this.engine;
  }
}

/** Journals a new disconnect run for a plan the user has seen, ready to `start()`. */
export async function startDisconnect(options: StartDisconnectOptions): Promise<DisconnectRun> {
  const clock = options.clock ?? systemClock;
  await ensureDataDirWritable(options.dataDir);
  const runId = options.runId ?? newRunId(clock);
  const { externalId, keepStacks, ...rest } = options.settings;
  const settings: RunSettingsRecord = {
    ...rest,
    ...externalIdFingerprint(externalId),
    concurrency: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY),
    operation: 'disconnect',
    keepStacks,
  };
  const roleArns = new Map<string, string>();
  const items = options.items.map(({ roleArn, ...item }) => {
    if (roleArn) roleArns.set(connectionKey(item), roleArn);
    return item;
  });
  return beginRun(
    { ...options, items, runId, externalId, settings, clock },
    (journal, state) => new DisconnectRun(journal, state, { externalId }, options, false, roleArns),
  );
}

/** Picks a disconnect run up after a crash or a stop; `start()` reconciles every unfinished account first. */
export async function resumeDisconnect(options: ResumeDisconnectOptions): Promise<DisconnectRun> {
  const state = await readRunState(options.dataDir, options.runId);
  if (state.settings.operation !== 'disconnect') {
    throw new OrgConnectError(
      'RUN_NOT_DISCONNECT',
      `Run ${options.runId} is a deploy run, not a disconnect.`,
    );
  }
  await ensureDataDirWritable(options.dataDir);
  const journal = await openJournal(options.dataDir, options.runId);
  return new DisconnectRun(journal, state, options.secrets, options, true);
}

/**
 * The External ID a run was started with: from its secrets file, or `externalId` (when that file is gone, e.g.
 * after the run finished) checked against the journal's fingerprint.
 */
export async function disconnectSecrets(
  dataDir: string,
  state: RunState,
  externalId: string | undefined,
): Promise<RunSecrets> {
  const secrets = externalId === undefined ? await readRunSecrets(dataDir, state.runId) : { externalId };
  assertRunExternalId(state.runId, state, secrets);
  return secrets;
}
