// The renderer store's pure parts: host events applied to the Deploy rows, the selection sent to plan.create,
// and the Settings checks (the same External ID rule the host applies).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HealthRow, HealthSummary, HostEvent } from '../../preload/contract.js';

// Renderer code belongs to the web project; load it by URL so this project's type-check stays apart (as
// serve.test.ts does with the bridge), and describe the little of it this test uses.
interface Row {
  state: string;
  code?: string;
  progress?: string;
  roleArn?: string;
}
interface Settings {
  platformAccountId: string;
  externalId: string;
  concurrency: number;
  [key: string]: unknown;
}
interface WizardState {
  runId?: string;
  runStatus?: string;
  finishedStatus?: string;
  counts?: unknown;
  settings: Settings;
  deploy: Record<string, Row>;
  flashes: { type: string; code?: string; message: string; fix?: string }[];
}
type Planned = unknown;
type Snapshot = unknown;
const renderer = (file: string) =>
  import(pathToFileURL(path.resolve(import.meta.dirname, '../../renderer/src', file)).href);
const { applyHostEvent, applyHostEvents, INITIAL_STATE, rowsFromPlan, selectionSpec } = (await renderer(
  'store/wizard-state.ts',
)) as {
  applyHostEvent: (state: WizardState, event: HostEvent) => WizardState;
  applyHostEvents: (state: WizardState, events: readonly HostEvent[]) => WizardState;
  INITIAL_STATE: WizardState;
  rowsFromPlan: (planned: Planned) => Record<string, Row>;
  selectionSpec: (snapshot: Snapshot, selected: readonly string[]) => string;
};
const { settingsErrors } = (await renderer('steps/settings/settings-validation.ts')) as {
  settingsErrors: (settings: Settings) => Partial<Record<string, string>>;
};

const AT = '2026-11-22T09:00:00.000Z';
const COUNTS = {
  total: 2,
  pending: 1,
  deploying: 1,
  connected: 0,
  skipped: 0,
  failed: 0,
  cancelled: 0,
  unknown: 0,
};

function item(accountId: string, kind: 'billing' | 'resource', action: 'create' | 'blocked') {
  return {
    accountId,
    accountName: `acct-${accountId.slice(-2)}`,
    ouPath: 'Root',
    kind,
    connectionName: accountId,
    stackName: `orgconnect-${kind}`,
    action,
    ...(action === 'blocked' ? { code: 'ACCESS_ROLE_MISSING', reason: 'gone', fix: 'create it' } : {}),
  };
}

const planned = {
  planId: 'p'.repeat(24),
  organizationId: 'o-abc',
  plan: {
    managementAccountId: '111111111111',
    items: [item('111111111111', 'billing', 'create'), item('222222222222', 'resource', 'blocked')],
    counts: { total: 2, create: 1, update: 0, skip: 0, blocked: 1, billing: 1, resource: 1 },
  },
} as unknown as Planned;

function running(): WizardState {
  return { ...INITIAL_STATE, runId: 'run-1', deploy: rowsFromPlan(planned) };
}

describe('wizard state', () => {
  test('plan rows start pending, blocked ones skipped with their code and fix', () => {
    const rows = rowsFromPlan(planned);
    assert.equal(rows['111111111111/billing']?.state, 'pending');
    assert.equal(rows['222222222222/resource']?.state, 'skipped');
    assert.equal(rows['222222222222/resource']?.code, 'ACCESS_ROLE_MISSING');
  });

  test('account-state events move a row and clear its problem once connected; progress lines show while deploying', () => {
    let state = running();
    state = applyHostEvent(state, {
      type: 'run-event',
      runId: 'run-1',
      status: 'running',
      counts: COUNTS,
      event: {
        type: 'account-state',
        at: AT,
        accountId: '111111111111',
        kind: 'billing',
        state: 'deploying',
      },
    });
    state = applyHostEvent(state, {
      type: 'run-progress',
      runId: 'run-1',
      accountId: '111111111111',
      kind: 'billing',
      stackName: 'orgconnect-billing',
      step: 'create',
      message: 'CREATE_IN_PROGRESS',
    });
    assert.equal(state.deploy['111111111111/billing']?.state, 'deploying');
    assert.equal(state.deploy['111111111111/billing']?.progress, 'CREATE_IN_PROGRESS');
    assert.equal(state.runStatus, 'running');
    assert.deepEqual(state.counts, COUNTS);
    state = applyHostEvent(state, {
      type: 'run-event',
      runId: 'run-1',
      status: 'running',
      counts: COUNTS,
      event: {
        type: 'account-state',
        at: AT,
        accountId: '222222222222',
        kind: 'resource',
        state: 'failed',
        code: 'ACCESS_ROLE_MISSING',
      },
    });
    assert.equal(state.deploy['222222222222/resource']?.state, 'failed');
    state = applyHostEvent(state, {
      type: 'run-event',
      runId: 'run-1',
      status: 'running',
      counts: COUNTS,
      event: {
        type: 'account-state',
        at: AT,
        accountId: '111111111111',
        kind: 'billing',
        state: 'connected',
        roleArn: 'arn:aws:iam::111111111111:role/x',
      },
    });
    const billing = state.deploy['111111111111/billing'];
    assert.equal(billing?.state, 'connected');
    assert.equal(billing?.progress, undefined);
    assert.equal(billing?.roleArn, 'arn:aws:iam::111111111111:role/x');
  });

  test("another run's events leave the state untouched; run-finished records how it ended", () => {
    const state = running();
    const other = applyHostEvent(state, {
      type: 'run-event',
      runId: 'run-2',
      status: 'finished',
      counts: COUNTS,
      event: { type: 'run-finished', at: AT, status: 'completed', counts: COUNTS },
    });
    assert.equal(other, state);
    const finished = applyHostEvent(state, {
      type: 'run-event',
      runId: 'run-1',
      status: 'finished',
      counts: COUNTS,
      event: { type: 'run-finished', at: AT, status: 'cancelled', counts: COUNTS },
    });
    assert.equal(finished.runStatus, 'finished');
    assert.equal(finished.finishedStatus, 'cancelled');
  });

  test('a run error becomes an error message with code and fix', () => {
    const state = applyHostEvent(running(), {
      type: 'run-error',
      runId: 'run-1',
      error: { code: 'JOURNAL_UNWRITABLE', message: 'disk full', fix: 'free space' },
    });
    assert.deepEqual(
      state.flashes.map(({ type, code, message, fix }) => ({ type, code, message, fix })),
      [{ type: 'error', code: 'JOURNAL_UNWRITABLE', message: 'disk full', fix: 'free space' }],
    );
  });

  test('selection: "all" when every active account is chosen, else the ids', () => {
    const snapshot = {
      accounts: [
        { id: '111111111111', status: 'ACTIVE' },
        { id: '222222222222', status: 'ACTIVE' },
        { id: '333333333333', status: 'SUSPENDED' },
      ],
    } as unknown as Snapshot;
    assert.equal(selectionSpec(snapshot, ['222222222222', '111111111111']), 'all');
    assert.equal(selectionSpec(snapshot, ['222222222222']), '222222222222');
  });

  test('settings: External ID 2–1224 chars of [\\w+=,.@:/-], a 12-digit platform account, concurrency 1–64', () => {
    const good = { ...INITIAL_STATE.settings, externalId: 'cz-abc:1/2@x' };
    assert.deepEqual(settingsErrors(good), {});
    assert.equal(INITIAL_STATE.settings.platformAccountId, '061190967865');
    assert.match(settingsErrors({ ...good, externalId: 'has space' }).externalId ?? '', /only letters/);
    assert.match(settingsErrors({ ...good, externalId: 'x' }).externalId ?? '', /at least 2/);
    assert.match(settingsErrors({ ...good, externalId: 'a'.repeat(1225) }).externalId ?? '', /at most 1224/);
    assert.equal(settingsErrors({ ...good, externalId: 'a'.repeat(1224) }).externalId, undefined);
    assert.ok(settingsErrors({ ...good, platformAccountId: '12345' }).platformAccountId);
    assert.ok(settingsErrors({ ...good, concurrency: 0 }).concurrency);
    assert.ok(settingsErrors({ ...good, concurrency: 65 }).concurrency);
  });

  test('health-checked: the row is replaced (or added) and the counts recounted; other profiles ignored', () => {
    const row = (accountId: string, overall: HealthRow['overall']): HealthRow => ({
      accountId,
      accountName: `acct ${accountId}`,
      kind: 'resource',
      connectionName: `acct-${accountId}`,
      roleArn: null,
      overall,
      checkedAt: AT,
      checks: [],
    });
    const changed = (profile: string, connection: HealthRow): HostEvent => ({
      type: 'health-checked',
      profile,
      organizationId: 'o-abc',
      connection,
      changed: true,
    });
    type WithHealth = WizardState & { profile?: string; health?: HealthSummary };
    let state: WithHealth = { ...INITIAL_STATE, profile: 'mgmt' };
    state = applyHostEvent(state, changed('mgmt', row('111111111111', 'healthy'))) as WithHealth;
    state = applyHostEvent(state, changed('mgmt', row('222222222222', 'healthy'))) as WithHealth;
    assert.deepEqual(state.health?.summary, { total: 2, healthy: 2, degraded: 0, unhealthy: 0, unknown: 0 });
    state = applyHostEvent(state, changed('mgmt', row('222222222222', 'unhealthy'))) as WithHealth;
    assert.deepEqual(state.health?.summary, { total: 2, healthy: 1, degraded: 0, unhealthy: 1, unknown: 0 });
    assert.deepEqual(
      state.health?.connections.map((c) => [c.accountId, c.overall]),
      [
        ['111111111111', 'healthy'],
        ['222222222222', 'unhealthy'],
      ],
    );
    const before = state;
    assert.equal(applyHostEvent(state, changed('other-org', row('333333333333', 'healthy'))), before);
  });

  test('OU tree: children under their parents, active accounts counted in every ancestor', async () => {
    interface OuNode {
      id: string;
      path: string;
      children: OuNode[];
      activeAccountIds: string[];
      accountCount: number;
    }
    const { buildOuTree } = (await renderer('steps/accounts/ou-tree-model.ts')) as {
      buildOuTree: (snapshot: Snapshot) => OuNode[];
    };
    const account = (id: string, ouId: string, status = 'ACTIVE') => ({ id, ouId, status });
    const [root] = buildOuTree({
      roots: [{ id: 'r-1', name: 'Root' }],
      ous: [
        { id: 'ou-b', name: 'Beta', parentId: 'r-1', path: 'Root/Beta' },
        { id: 'ou-a', name: 'Alpha', parentId: 'r-1', path: 'Root/Alpha' },
        { id: 'ou-a1', name: 'Deep', parentId: 'ou-a', path: 'Root/Alpha/Deep' },
      ],
      accounts: [
        account('111111111111', 'r-1'),
        account('222222222222', 'ou-a'),
        account('333333333333', 'ou-a1'),
        account('444444444444', 'ou-a1', 'SUSPENDED'),
        account('555555555555', 'ou-b'),
      ],
    } as unknown as Snapshot);
    assert.ok(root);
    assert.deepEqual(
      root.children.map((c) => c.path),
      ['Root/Alpha', 'Root/Beta'],
    );
    const alpha = root.children[0] as OuNode;
    assert.deepEqual(alpha.activeAccountIds.sort(), ['222222222222', '333333333333']);
    assert.equal(alpha.accountCount, 3);
    assert.deepEqual(alpha.children[0]?.activeAccountIds, ['333333333333']);
    assert.equal(root.activeAccountIds.length, 4);
    assert.equal(root.accountCount, 5);
  });

  test("a frame's batch gives what each event in turn gives, copies the rows once and leaves the old state alone", () => {
    const before = running();
    const rowsBefore = structuredClone(before.deploy);
    const stateEvent = (accountId: string, kind: 'billing' | 'resource', state: string, code?: string): HostEvent =>
      ({
        type: 'run-event',
        runId: 'run-1',
        status: 'running',
        counts: COUNTS,
        event: { type: 'account-state', at: AT, accountId, kind, state, ...(code ? { code } : {}) },
      }) as HostEvent;
    const batch: HostEvent[] = [
      stateEvent('111111111111', 'billing', 'deploying'),
      {
        type: 'run-progress',
        runId: 'run-1',
        accountId: '111111111111',
        kind: 'billing',
        stackName: 'orgconnect-billing',
        step: 'create',
        message: 'CREATE_IN_PROGRESS',
      } as HostEvent,
      stateEvent('222222222222', 'resource', 'failed', 'ACCESS_ROLE_MISSING'),
      stateEvent('999999999999', 'resource', 'connected'), // not a row: ignored
      stateEvent('111111111111', 'billing', 'connected'),
      { ...stateEvent('222222222222', 'resource', 'connected'), runId: 'another-run' } as HostEvent,
    ];
    const oneByOne = batch.reduce(applyHostEvent, before);
    const batched = applyHostEvents(before, batch);
    assert.deepEqual(batched, oneByOne);
    assert.equal(batched.deploy['111111111111/billing']?.state, 'connected');
    assert.equal(batched.deploy['222222222222/resource']?.state, 'failed');
    assert.deepEqual(before.deploy, rowsBefore, 'the previous state is not written into');
    assert.notEqual(batched.deploy, before.deploy);
  });
});
