// Fault matrix: accounts the management account cannot enter, and a data directory that cannot be written.
// - 10 % of members answer AccessDenied to AssumeRole (as STS does when OrganizationAccountAccessRole is missing or
//   does not trust the management account), one answers RegionDisabledException: exactly those fail, with their
//   own codes, the rest connect, the journal agrees, and the CLI exits 3.
// - A data directory below a regular file (which fails even for root, unlike chmod) stops the deploy with one
//   clear line before anything is written to AWS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMoto, type MotoServer } from '../support/moto.js';
import { seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { mulberry32, startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

const EXTERNAL_ID = 'cz-access-faults-0042';

interface EventLine {
  event: string;
  accountId?: string;
  state?: string;
  code?: string;
  fix?: string;
  counts?: Record<string, number>;
}

interface JournalLine {
  type: string;
  accountId?: string;
  state?: string;
  code?: string;
}

describe('AccessDenied and RegionDisabled on AssumeRole into some accounts', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let seeded: SeededOrganization;
  let denied: string[];
  let regionOff: string;
  let files: ReturnType<typeof writeTestAwsConfig>;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 60, depth: 2, seed: 5 });
    const random = mulberry32(61);
    const members = [...seeded.memberAccountIds];
    const pick = (): string => members.splice(Math.floor(random() * members.length), 1)[0] ?? '';
    denied = Array.from({ length: 6 }, pick).sort();
    regionOff = pick();
    proxy = await startFaultProxy({
      target: moto.url,
      accessDeniedAccounts: denied,
      regionDisabledAccounts: [regionOff],
    });
    files = writeTestAwsConfig(proxy.url);
  });
  after(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  test('exactly those accounts fail with their codes, the rest connect, exit code 3', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-data-'));
    const result = await runOrgconnect(
      [
        'deploy',
        '--profile',
        'emulator',
        '--external-id',
        EXTERNAL_ID,
        '--yes',
        '--json',
        '--concurrency',
        '16',
      ],
      { ...files.env, ORGCONNECT_HOME: dataDir },
      { timeoutMs: 180_000 },
    );
    assert.equal(result.code, 3, result.stderr.slice(-1500));
    const lines = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as EventLine);
    const finished = lines.at(-1);
    assert.equal(finished?.event, 'run-finished');
    assert.equal(finished?.counts?.['failed'], denied.length + 1);
    assert.equal(finished?.counts?.['connected'], seeded.accounts.length - denied.length - 1);

    const failed = lines.filter((l) => l.state === 'failed');
    assert.deepEqual(failed.map((l) => l.accountId).sort(), [...denied, regionOff].sort());
    for (const line of failed) {
      if (line.accountId === regionOff) assert.equal(line.code, 'STS_REGION_DISABLED');
      else assert.equal(line.code, 'ACCESS_ROLE_MISSING', JSON.stringify(line));
      assert.ok(line.fix, `a fix is given for ${line.accountId}`);
    }
    // No CreateStack was ever sent for an account we could not enter (the deploy never guesses).
    const creates = proxy.requests.filter((r) => r.operation === 'CreateStack' && r.upstreamStatus === 200);
    assert.equal(creates.length, seeded.accounts.length - denied.length - 1);
    for (const id of [...denied, regionOff]) assert.ok(!creates.some((r) => r.accountId === id));
    assert.equal(proxy.counts['access-denied'] > 0 && proxy.counts['region-disabled'] > 0, true);

    // The journal says the same as the output.
    const runs = readdirSync(path.join(dataDir, 'runs')).filter((n) => n.endsWith('.jsonl'));
    assert.equal(runs.length, 1);
    const journal = readFileSync(path.join(dataDir, 'runs', runs[0] ?? ''), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as JournalLine);
    const lastState = new Map<string, JournalLine>();
    for (const event of journal)
      if (event.type === 'account-state' && event.accountId) lastState.set(event.accountId, event);
    const journalFailed = [...lastState.values()].filter((e) => e.state === 'failed');
    assert.deepEqual(journalFailed.map((e) => e.accountId).sort(), [...denied, regionOff].sort());
    assert.equal([...lastState.values()].filter((e) => e.state === 'connected').length, creates.length);
  });

  test('an unwritable data directory: one clear line, exit 2, nothing written to AWS', async () => {
    proxy.resetLog();
    const blocker = path.join(mkdtempSync(path.join(tmpdir(), 'orgconnect-file-')), 'not-a-dir');
    writeFileSync(blocker, 'a regular file: nothing can be created below it, not even by root');
    const result = await runOrgconnect(
      ['deploy', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--yes', '--json'],
      { ...files.env, ORGCONNECT_HOME: path.join(blocker, 'data') },
      { timeoutMs: 120_000 },
    );
    assert.equal(result.code, 2, result.stderr);
    const errorLines = result.stderr
      .split('\n')
      .filter(
        (l) =>
          l.trim().length > 0 &&
          !/NodeVersionSupportWarning|node >=22|a\.co\/|AWS services|trace-warnings|versions published|will require/.test(
            l,
          ),
      );
    assert.match(errorLines.join('\n'), /Cannot write to the data directory .*not-a-dir\/data/);
    assert.ok(errorLines.length <= 2, `a short message, not a stack trace:\n${errorLines.join('\n')}`);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(EXTERNAL_ID));
    const writes = proxy.requests.filter((r) => /^(Create|Update|Delete)/.test(r.operation));
    assert.deepEqual(writes, [], 'nothing was written to AWS');
    assert.ok(
      proxy.requests.some((r) => r.operation === 'DescribeStacks'),
      'the plan did read AWS',
    );
  });
});
