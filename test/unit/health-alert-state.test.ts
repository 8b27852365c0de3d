// The renderer store's handling of issue 17's host events: a `health-alert` becomes one warning Flashbar item
// that opens its row (for the profile on screen only); `coverage-recorded` replaces the Organization's coverage
// and series; a live row replacing another keeps the coverage and series the last round brought.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  hostEventSchema,
  type HealthRow,
  type HealthSummary,
  type HostEvent,
} from '../../preload/contract.js';
import { computeCoverage } from '../../main/core/health/coverage.js';

interface WizardState {
  profile?: string;
  health?: HealthSummary;
  flashes: { type: string; message: string; fix?: string; openRow?: string }[];
}
const renderer = (file: string) =>
  import(pathToFileURL(path.resolve(import.meta.dirname, '../../renderer/src', file)).href);
const { applyHostEvent, INITIAL_STATE } = (await renderer('store/wizard-state.ts')) as {
  applyHostEvent: (state: WizardState, event: HostEvent) => WizardState;
  INITIAL_STATE: WizardState;
};
const { withHealthRow } = (await renderer('store/health-rows.ts')) as {
  withHealthRow: (
    summary: HealthSummary | undefined,
    organizationId: string,
    row: HealthRow,
  ) => HealthSummary;
};

const ORG = 'o-abcdefghij';
const row = (overall: HealthRow['overall']): HealthRow => ({
  accountId: '222233334444',
  accountName: 'payments',
  kind: 'resource',
  connectionName: 'payments',
  roleArn: null,
  overall,
  checkedAt: '2026-01-01T00:00:00.000Z',
  checks: [{ id: 'role-trust', status: 'fail', summary: 'trusts 999999999999', fix: 'Deploy again' }],
});
const coverage = computeCoverage({
  snapshot: {
    organization: {
      id: ORG,
      arn: 'arn',
      featureSet: 'ALL',
      managementAccountId: '111122223333',
      managementAccountEmail: 'm@example.com',
    },
    accounts: [],
    discoveredAt: '2026-01-01T00:00:00.000Z',
  },
  connections: [],
  attempts: [],
  lastLookAt: null,
});
const series = [
  {
    day: '2026-01-01',
    at: '2026-01-01T00:00:00.000Z',
    healthy: 1,
    degraded: 0,
    unhealthy: 0,
    unknown: 0,
    activeAccounts: 1,
    connectedActive: 1,
    share: 1,
  },
];

describe('health alerts and coverage in the renderer store', () => {
  const onScreen: WizardState = { ...INITIAL_STATE, profile: 'mgmt' };

  test('a health-alert is one warning that opens its row; another profile’s is ignored', () => {
    const alert: Extract<HostEvent, { type: 'health-alert' }> = {
      type: 'health-alert',
      profile: 'mgmt',
      organizationId: ORG,
      connection: row('unhealthy'),
      previousOverall: 'healthy',
    };
    assert.ok(hostEventSchema.safeParse(alert).success);
    const next = applyHostEvent(onScreen, alert);
    assert.equal(next.flashes.length, 1);
    assert.equal(next.flashes[0]?.type, 'warning');
    assert.equal(next.flashes[0]?.openRow, '222233334444/resource');
    assert.equal(next.flashes[0]?.fix, 'Deploy again');
    assert.equal(applyHostEvent(onScreen, { ...alert, profile: 'other' }), onScreen);
  });

  test('the contract refuses a health-alert from an unhealthy connection that was unhealthy already', () => {
    const parsed = hostEventSchema.safeParse({
      type: 'health-alert',
      profile: 'mgmt',
      organizationId: ORG,
      connection: row('unhealthy'),
      previousOverall: 'unhealthy',
    });
    assert.equal(parsed.success, false);
  });

  test('coverage-recorded replaces the coverage and series of the Organization on screen, and rows keep them', () => {
    const checked: WizardState = { ...onScreen, health: withHealthRow(undefined, ORG, row('healthy')) };
    const recorded = applyHostEvent(
      checked,
      hostEventSchema.parse({
        type: 'coverage-recorded',
        profile: 'mgmt',
        organizationId: ORG,
        coverage,
        series,
      }),
    );
    assert.deepEqual(recorded.health?.series, series);
    assert.equal(recorded.health?.coverage?.organizationId, ORG);
    const afterRow = withHealthRow(recorded.health, ORG, row('unhealthy'));
    assert.deepEqual(afterRow.series, series, 'a live row does not drop the series');
    assert.equal(afterRow.summary.unhealthy, 1);
    const otherOrg = withHealthRow(recorded.health, 'o-zzzzzzzzzz', row('healthy'));
    assert.equal(otherOrg.series, undefined, "another Organization's table starts without this one's series");
    const elsewhere = applyHostEvent(
      checked,
      hostEventSchema.parse({
        type: 'coverage-recorded',
        profile: 'mgmt',
        organizationId: 'o-zzzzzzzzzz',
        coverage: { ...coverage, organizationId: 'o-zzzzzzzzzz' },
        series,
      }),
    );
    assert.equal(elsewhere, checked);
  });
});
