// The renderer's pure decisions behind what the screens say: when a plan is stale, the deploy recap, the run
// summary counted from the rows, the connection-name problems shown on both rows, and error titles.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Renderer code belongs to the web project; load it by URL (as wizard-state.test.ts does) and describe what is used.
const renderer = (file: string) =>
  import(pathToFileURL(path.resolve(import.meta.dirname, '../../renderer/src', file)).href);

interface State {
  profile?: string;
  snapshot?: unknown;
  planned?: unknown;
  plannedKey?: string;
  settings: Record<string, unknown> & { concurrency: number; externalId: string };
  selected: string[];
  nameOverrides: Record<string, string>;
  deploy: Record<string, unknown>;
  flashes: unknown[];
}
const { INITIAL_STATE } = (await renderer('store/wizard-state.ts')) as { INITIAL_STATE: State };
const { planRequestKey, planIsStale, planRequest } = (await renderer('store/plan-request.ts')) as {
  planRequestKey: (s: State) => string | undefined;
  planIsStale: (s: State) => boolean;
  planRequest: (s: State) => { profile: string; request: Record<string, unknown> } | undefined;
};
const { deployRecap, externalIdSha256, maskExternalId } = (await renderer(
  'steps/deploy/deploy-recap.ts',
)) as {
  deployRecap: (
    planned: unknown,
    settings: State['settings'],
    previous?: { externalIdSha256?: string; currentExternalIdSha256?: string },
  ) => Record<string, unknown>;
  externalIdSha256: (id: string) => Promise<string>;
  maskExternalId: (id: string) => string;
};
const { rowCounts, completionSummary } = (await renderer('store/run-summary.ts')) as {
  rowCounts: (rows: { state: string }[]) => Record<string, number>;
  completionSummary: (counts: Record<string, number>, health: unknown) => string;
};
const { connectionNames, nameProblem } = (await renderer('steps/accounts/connection-name-problems.ts')) as {
  connectionNames: (
    accounts: { id: string; name: string }[],
    overrides: Record<string, string>,
  ) => { names: Record<string, string>; problems: Record<string, string> };
  nameProblem: (
    id: string,
    value: string,
    accounts: { id: string; name: string }[],
    overrides: Record<string, string>,
  ) => string | undefined;
};
const { titleFromCode } = (await renderer('components/title-from-code.ts')) as {
  titleFromCode: (code: string) => string;
};
const { checksPhrase } = (await renderer('steps/health/health-skip-preference.ts')) as {
  checksPhrase: (checks: { status: string }[]) => string;
};

const snapshot = {
  organization: { id: 'o-abc' },
  accounts: [
    { id: '111111111111', name: 'Management', status: 'ACTIVE' },
    { id: '222222222222', name: 'Payments', status: 'ACTIVE' },
    { id: '333333333333', name: 'Old', status: 'SUSPENDED' },
  ],
};
const base: State = {
  ...INITIAL_STATE,
  profile: 'mgmt',
  snapshot,
  selected: ['111111111111', '222222222222'],
  settings: { ...INITIAL_STATE.settings, externalId: 'cz-abcdef-1234' },
};

function item(accountId: string, kind: 'billing' | 'resource', action: string) {
  return {
    accountId,
    accountName: accountId,
    ouPath: 'Root',
    kind,
    connectionName: 'x',
    stackName: 's',
    action,
  };
}

describe('a plan of earlier choices is stale', () => {
  test('the same choices keep the plan; any change to profile, settings, selection or names plans again', () => {
    const key = planRequestKey(base);
    assert.ok(key);
    const planned = { ...base, planned: {}, plannedKey: key };
    assert.equal(planIsStale(planned), false);
    assert.equal(planIsStale({ ...planned, profile: 'other' }), true);
    assert.equal(
      planIsStale({ ...planned, settings: { ...planned.settings, externalId: 'cz-new-5678' } }),
      true,
    );
    assert.equal(planIsStale({ ...planned, settings: { ...planned.settings, concurrency: 2 } }), true);
    assert.equal(planIsStale({ ...planned, selected: ['111111111111'] }), true);
    assert.equal(planIsStale({ ...planned, nameOverrides: { '222222222222': 'team-payments' } }), true);
    // The same selection in another order is the same plan.
    assert.equal(planIsStale({ ...planned, selected: ['222222222222', '111111111111'] }), false);
    // No plan shown: nothing is stale.
    assert.equal(planIsStale(base), false);
  });

  test('the request selects "all" active accounts and sends only the selected accounts\' typed names', () => {
    const request = planRequest({
      ...base,
      nameOverrides: { '222222222222': 'team-payments', '333333333333': 'old-one' },
    });
    assert.equal(request?.request['select'], 'all');
    assert.deepEqual(request?.request['nameOverrides'], { '222222222222': 'team-payments' });
    assert.equal(planRequest({ ...base, snapshot: undefined }), undefined);
  });
});

describe('the deploy recap', () => {
  const planned = {
    plan: {
      items: [
        item('111111111111', 'billing', 'create'),
        item('222222222222', 'resource', 'update'),
        item('333333333333', 'resource', 'blocked'),
        item('444444444444', 'resource', 'skip'),
      ],
    },
  };

  test('counts stacks and accounts to create and update, names the roles and masks the External ID', () => {
    const recap = deployRecap(planned, base.settings);
    assert.equal(recap['create'], 1);
    assert.equal(recap['update'], 1);
    assert.equal(recap['stacks'], 2);
    assert.equal(recap['accounts'], 2);
    assert.deepEqual(recap['roleNames'], ['orgconnect-platform-billing', 'orgconnect-platform-resource']);
    assert.deepEqual(recap['trustPrincipals'], ['arn:aws:iam::061190967865:root']);
    assert.equal(recap['externalIdMasked'], '••••1234');
    assert.equal(String(recap['externalIdMasked']).includes('abcdef'), false);
    assert.equal(recap['concurrency'], 8);
    assert.equal(maskExternalId('cz-9z'), '••••z-9z');
  });

  test('warns that access breaks only when existing connections get another External ID', async () => {
    const old = await externalIdSha256('cz-old-0000');
    const current = await externalIdSha256(base.settings.externalId);
    assert.equal(current, createHash('sha256').update(base.settings.externalId).digest('hex'));
    const changed = { externalIdSha256: old, currentExternalIdSha256: current };
    assert.equal(deployRecap(planned, base.settings, changed)['externalIdChangesExisting'], true);
    const same = { externalIdSha256: current, currentExternalIdSha256: current };
    assert.equal(deployRecap(planned, base.settings, same)['externalIdChangesExisting'], false);
    assert.equal(deployRecap(planned, base.settings)['externalIdChangesExisting'], false);
    const createsOnly = { plan: { items: [item('111111111111', 'billing', 'create')] } };
    assert.equal(deployRecap(createsOnly, base.settings, changed)['externalIdChangesExisting'], false);
  });
});

describe('the run summary counts the rows', () => {
  test('deployed / failed / skipped equal the rows, and the health is stated once known', () => {
    const counts = rowCounts([
      { state: 'connected' },
      { state: 'connected' },
      { state: 'failed' },
      { state: 'skipped' },
    ]);
    assert.equal(counts['total'], 4);
    assert.equal(
      completionSummary(counts, undefined),
      '2 deployed, 1 failed, 1 skipped. Health: not checked yet.',
    );
    const health = { summary: { total: 2, healthy: 1, degraded: 0, unhealthy: 1, unknown: 0 } };
    assert.equal(
      completionSummary(counts, health),
      '2 deployed, 1 failed, 1 skipped. Health: 1 of 2 healthy (1 unhealthy).',
    );
  });
});

describe('connection names on the Accounts table', () => {
  const accounts = [
    { id: '111111111111', name: 'Payments' },
    { id: '222222222222', name: 'Data' },
    { id: '333333333333', name: 'Payments' },
  ];

  test('defaults are the assignment the plan makes (a colliding default gets -2), with no problem', () => {
    const { names, problems } = connectionNames(accounts, {});
    assert.deepEqual(names, {
      '111111111111': 'payments',
      '222222222222': 'data',
      '333333333333': 'payments-2',
    });
    assert.deepEqual(problems, {});
  });

  test('a typed name another account has is flagged on both rows, neither is renamed', () => {
    const { names, problems } = connectionNames(accounts, { '222222222222': 'payments' });
    assert.equal(names['222222222222'], 'payments');
    assert.equal(names['111111111111'], 'payments');
    assert.match(problems['222222222222'] ?? '', /Also used by Payments \(111111111111\)/);
    assert.match(problems['111111111111'] ?? '', /Also used by Data \(222222222222\)/);
    assert.equal(problems['333333333333'], undefined);
  });

  test('the editor refuses an invalid or taken name in place, and explains the rule', () => {
    assert.match(nameProblem('222222222222', 'Bad.Name', accounts, {}) ?? '', /lowercase/);
    assert.match(nameProblem('222222222222', 'bad.name', accounts, {}) ?? '', /period/);
    assert.match(nameProblem('222222222222', 'payments-2', accounts, {}) ?? '', /333333333333/);
    assert.equal(nameProblem('222222222222', 'team-data', accounts, {}), undefined);
    // Its own current name is not a duplicate.
    assert.equal(nameProblem('222222222222', 'data', accounts, {}), undefined);
  });
});

describe('words on the screen', () => {
  test('an error without a title gets one from its code', () => {
    assert.equal(titleFromCode('ACCESS_ROLE_MISSING'), 'Access role missing');
  });
  test('a Health row says how many checks fail, not each check', () => {
    assert.equal(
      checksPhrase([{ status: 'fail' }, { status: 'warn' }, { status: 'pass' }]),
      '2 failing checks',
    );
    assert.equal(checksPhrase([{ status: 'unknown' }, { status: 'pass' }]), '1 unknown');
    assert.equal(checksPhrase([{ status: 'pass' }, { status: 'skipped' }]), '1 passed · 1 skipped');
  });
});
