// The CLI's output for people: the live progress line's words and ETA, the non-terminal summary cadence,
// tables fitted to the terminal width (cut with …, --wide uncut), and health problems grouped once each.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { fitColumnWidths, formatTable, type CliIo } from '../../main/cli/output.js';
import { createRunProgress, etaMs, progressLine, type ProgressCounts } from '../../main/cli/run-progress.js';
import { healthReport, problemGroups } from '../../main/cli/health-output.js';
import type { RunState } from '../../main/core/onboarding/run-state.js';
import type { HealthRow } from '../../main/core/health/health-summary.js';

const counts = (partial: Partial<ProgressCounts>): ProgressCounts => ({
  total: 40,
  pending: 0,
  deploying: 0,
  connected: 0,
  skipped: 0,
  failed: 0,
  cancelled: 0,
  unknown: 0,
  ...partial,
});

describe('run progress', () => {
  test('the line: done/total, counts by state, elapsed and ETA at the pace so far', () => {
    const c = counts({ connected: 9, failed: 1, deploying: 4, pending: 26 });
    assert.equal(
      progressLine(c, 40_000),
      'Deploying 10/40 · 9 connected · 1 failed · 4 in progress · 26 pending · 0:40 elapsed · ETA 2:00',
    );
    assert.equal(etaMs(counts({ pending: 40 }), 5000), undefined, 'no ETA before anything finished');
    assert.match(progressLine(counts({ pending: 40 }), 5000), /ETA –$/);
  });

  test('without a terminal: a summary line at most every interval on stderr; failures on stdout at once', () => {
    let now = 0;
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isInteractive: false };
    const progress = createRunProgress(io, { now: () => now, intervalMs: 5000 });
    const state = (c: Partial<ProgressCounts>) => ({ counts: counts(c) }) as unknown as RunState;
    progress.update(state({ pending: 40 }));
    now = 1000;
    progress.update(state({ pending: 39, deploying: 1 }));
    progress.print('111111111111  resource  failed  ACCESS_ROLE_MISSING');
    now = 6000;
    progress.update(state({ pending: 30, deploying: 4, connected: 6 }));
    progress.finish();
    now = 20_000;
    progress.update(state({ connected: 40 }));
    assert.equal(err.length, 2, err.join(''));
    assert.match(err[1] ?? '', /^Deploying 6\/40 · 6 connected · 4 in progress · 30 pending · 0:06 elapsed/);
    assert.deepEqual(out, ['111111111111  resource  failed  ACCESS_ROLE_MISSING\n']);
  });
});

describe('tables fit the terminal', () => {
  const rows = [
    { id: '111122223333', name: 'payments-production-eu-west-1-primary', why: 'x'.repeat(120) },
    { id: '444455556666', name: 'dev', why: 'short' },
  ];
  const columns = [
    { header: 'ACCOUNT', value: (r: (typeof rows)[number]) => r.id },
    { header: 'NAME', value: (r: (typeof rows)[number]) => r.name },
    { header: 'WHY', value: (r: (typeof rows)[number]) => r.why },
  ];

  test('the widest columns give way first, never below the header or 8', () => {
    assert.deepEqual(fitColumnWidths([12, 37, 120], [8, 8, 8], 80), [12, 32, 32]);
    assert.deepEqual(fitColumnWidths([12, 37, 120], [8, 8, 8], 40), [12, 12, 12]);
    assert.deepEqual(fitColumnWidths([12, 37, 120], [8, 8, 8], 10), [8, 8, 8], 'down to the minimum');
    assert.deepEqual(fitColumnWidths([12, 37], [12, 37], 10), [12, 37], 'cannot shrink: left as is');
  });

  test('fitted: every line within the width, cut cells end in …; unlimited: every cell whole', () => {
    const fitted = formatTable(rows, columns, { maxWidth: 80 });
    for (const line of fitted.trimEnd().split('\n')) assert.ok(stringWidth(line) <= 80, line);
    assert.match(fitted, /x…/);
    assert.match(fitted, /^ACCOUNT\s+NAME\s+WHY$/m);
    const wide = formatTable(rows, columns);
    assert.ok(wide.includes('x'.repeat(120)));
    assert.ok(wide.includes('payments-production-eu-west-1-primary'));
    assert.doesNotMatch(wide, /…/);
  });
});

describe('health for people: problems grouped, each once', () => {
  const row = (accountId: string, checks: HealthRow['checks']): HealthRow => ({
    accountId,
    accountName: `acct-${accountId}`,
    kind: 'resource',
    connectionName: `acct-${accountId}`,
    roleArn: null,
    olderTemplate: false,
    overall: 'unhealthy',
    checkedAt: null,
    checks,
  });
  const shared = {
    id: 'role-policies' as const,
    status: 'fail' as const,
    summary: 'Managed policy ViewOnlyAccess is not attached.',
    fix: 'Deploy the connection again.',
  };
  const ids = Array.from({ length: 40 }, (_, i) => String(100000000000 + i));
  const rows = ids.map((id, i) =>
    row(id, [
      shared,
      {
        id: 'stack-drift',
        status: 'unknown',
        summary: 'DetectStackDrift: not available',
        notAvailableHere: true,
      },
      ...(i === 0
        ? [
            {
              id: 'role-trust' as const,
              status: 'fail' as const,
              summary: 'Trusts 999999999999.',
              fix: 'Redeploy.',
            },
          ]
        : []),
    ]),
  );
  const body = {
    summary: { total: 40, healthy: 0, degraded: 0, unhealthy: 40, unknown: 0 },
    connections: rows,
  };

  test('one group per check and reason, the accounts it hits, biggest first; not-available-here is no problem', () => {
    const groups = problemGroups(rows);
    assert.deepEqual(
      groups.map((g) => [g.check, g.accounts.length]),
      [
        ['role-policies', 40],
        ['role-trust', 1],
      ],
    );
  });

  test('the report: summary first, each problem once with its fix, no table unless --wide', () => {
    const text = healthReport(body, { wide: false, table: { maxWidth: 100 } });
    const lines = text.split('\n');
    assert.equal(lines[0], '0/40 healthy, 0 degraded, 40 unhealthy, 0 unknown.');
    assert.equal(
      text.match(/role-policies fails in 40 connections: Managed policy ViewOnlyAccess/g)?.length,
      1,
    );
    assert.equal(text.match(/Fix: Deploy the connection again\./g)?.length, 1);
    assert.match(text, /Accounts: 100000000000, .* and 32 more \(--wide lists all\)/);
    assert.match(text, /Not available at this endpoint.*stack-drift \(40\)/);
    assert.doesNotMatch(text, /^ACCOUNT\s+CONNECTION/m);
    const wide = healthReport(body, { wide: true, table: {} });
    assert.match(wide, /^ACCOUNT\s+CONNECTION\s+KIND\s+HEALTH\s+PLATFORM\s+PROBLEMS$/m);
    assert.ok(ids.every((id) => wide.includes(id)));
  });
});
