// Issue 17's coverage "done when", through the real CLI against moto: after a deploy, 3 accounts join the
// Organization and 1 connected member is closed (moto: SUSPENDED). `health --json` then reports exactly 3 new
// not-connected accounts and 1 connected-but-closed, the share connected over the active accounts, and a daily
// point in the coverage series; CSV and XLSX reports, read back, list every account with its status.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  ListAccountsCommand,
} from '@aws-sdk/client-organizations';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  MOTO_DEFAULT_CREDENTIALS,
  motoOrganizationsClient,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { streamOrgconnect } from '../support/cli-stream.js';
import { coverageSchema } from '../../main/core/health/coverage-schema.js';
import type { Coverage } from '../../main/core/health/coverage.js';

const EXTERNAL_ID = 'cz-coverage-external-id-4b7a';
const SKIP = ['--skip', 'stack-drift,regions-sts,cur'];

async function readCsv(text: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  const sheet = await workbook.csv.read(Readable.from([text.replace(/^\uFEFF/, '')]), {
    parserOptions: { delimiter: ',' },
    map: (value: string) => value,
  });
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

describe('coverage after the Organization changed under a deploy', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let outDir: string;
  const joined: string[] = [];
  let closed = '';
  let coverage: Coverage;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 4, depth: 1, seed: 5 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-data-'));
    env = { ...writeTestAwsConfig(moto.url).env, ORGCONNECT_HOME: dataDir };
    outDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-reports-'));
    const deploy = await runOrgconnect(
      ['deploy', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--yes', '--json'],
      env,
    );
    assert.equal(deploy.code, 0, deploy.stderr);
    // JoinedTimestamp has second resolution in moto: let a second pass so "after the deploy" is unambiguous.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const organizations = motoOrganizationsClient(moto.url, MOTO_DEFAULT_CREDENTIALS);
    for (let i = 0; i < 3; i += 1) {
      const created = await organizations.send(
        new CreateAccountCommand({ AccountName: `joined-${i}`, Email: `joined-${i}@example.com` }),
      );
      const id = created.CreateAccountStatus?.AccountId;
      assert.ok(id);
      joined.push(id);
    }
    closed = seeded.memberAccountIds[0] ?? '';
    await organizations.send(new CloseAccountCommand({ AccountId: closed }));
    const all = (await organizations.send(new ListAccountsCommand({}))).Accounts ?? [];
    assert.equal(all.find((a) => a.Id === closed)?.Status, 'SUSPENDED', 'moto closes to SUSPENDED');

    const result = await runOrgconnect(['health', '--profile', 'emulator', '--json', ...SKIP], env);
    assert.ok(result.code === 0 || result.code === 3, result.stderr);
    coverage = coverageSchema.parse(
      (JSON.parse(result.stdout) as { coverage: unknown }).coverage,
    ) as Coverage;
  });
  after(async () => moto?.stop());

  test('health --json: exactly the 3 joined accounts are new and not connected, the closed one connected-but-closed', () => {
    const newNotConnected = coverage.accounts.filter((a) => a.status === 'not-connected' && a.isNew);
    assert.deepEqual(newNotConnected.map((a) => a.accountId).sort(), [...joined].sort());
    assert.ok(newNotConnected.every((a) => a.reason === 'never-deployed' && a.fix));
    assert.equal(coverage.summary.newNotConnected, 3);
    const closedOnes = coverage.accounts.filter((a) => a.status === 'connected-account-closed');
    assert.deepEqual(
      closedOnes.map((a) => a.accountId),
      [closed],
    );
    assert.equal(closedOnes[0]?.accountState, 'SUSPENDED');
    assert.equal(coverage.summary.counts['not-connected'], 3);
    assert.equal(coverage.summary.counts['connected-account-left'], 0);
    // Seeded 4 members + management = 5; one closed, three joined: 7 active, of which the 4 not closed are connected.
    assert.equal(coverage.summary.activeAccounts, 7);
    assert.equal(coverage.summary.connectedActive, 4);
    assert.equal(coverage.summary.share, 4 / 7);
  });

  test('the round left one point for today in <dataDir>/coverage/<orgId>.jsonl', () => {
    const lines = readFileSync(path.join(dataDir, 'coverage', `${seeded.organizationId}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { day: string; activeAccounts: number; share: number });
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.day, new Date().toISOString().slice(0, 10));
    assert.equal(lines[0]?.activeAccounts, 7);
    assert.equal(lines[0]?.share, 4 / 7);
  });

  test('report --format csv lists every account of the Organization with its status', async () => {
    const out = path.join(outDir, 'accounts.csv');
    const result = await runOrgconnect(['report', '--format', 'csv', '--out', out], env);
    assert.equal(result.code, 0, result.stderr);
    const [header = [], ...rows] = await readCsv(readFileSync(out, 'utf8'));
    const id = header.indexOf('Account ID');
    const status = header.indexOf('Status');
    assert.ok(id >= 0 && status >= 0, header.join(','));
    const byAccount = new Map(rows.map((row) => [row[id], row[status]]));
    assert.equal(byAccount.size, seeded.accounts.length + joined.length, 'one row per account');
    for (const account of joined) assert.equal(byAccount.get(account), 'Not connected');
    assert.equal(byAccount.get(closed), 'Connected, account closed');
    assert.equal(byAccount.get(seeded.managementAccountId), 'Connected');
  });

  test('report --format xlsx (with a fresh discovery): Summary with the share, a Not connected sheet with reasons', async () => {
    const out = path.join(outDir, 'accounts.xlsx');
    const result = await runOrgconnect(
      ['report', '--format', 'xlsx', '--profile', 'emulator', '--out', out],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const summary = workbook.getWorksheet('Summary');
    const items = new Map<string, unknown>();
    const byFirstCell = new Map<string, ExcelJS.Row>();
    summary?.eachRow((row) => {
      items.set(String(row.getCell(1).value), row.getCell(2).value);
      byFirstCell.set(String(row.getCell(1).value), row);
    });
    assert.equal(items.get('Organization'), seeded.organizationId);
    assert.equal(items.get('Active accounts in the Organization'), 7);
    assert.equal(items.get('Share of the Organization connected'), 4 / 7);
    assert.equal(items.get('… of them new since the last look'), 3);
    // The series row of today: the 5 connections (Billing + 4 Resource) by health, and the share.
    const today = byFirstCell.get(new Date().toISOString().slice(0, 10));
    assert.ok(today, 'the Summary carries the series');
    const byHealth = [2, 3, 4, 5].map((c) => Number(today.getCell(c).value));
    assert.equal(
      byHealth.reduce((a, b) => a + b, 0),
      5,
      JSON.stringify(byHealth),
    );
    assert.equal(today.getCell(8).value, 4 / 7);

    const notConnected = workbook.getWorksheet('Not connected');
    assert.ok(notConnected);
    const header = (notConnected.getRow(1).values as unknown[]).map(String);
    const rows = [];
    for (let r = 2; r <= notConnected.rowCount; r += 1) {
      const row = notConnected.getRow(r);
      rows.push({
        id: String(row.getCell(header.indexOf('Account ID')).value),
        reason: String(row.getCell(header.indexOf('Reason')).value ?? ''),
        fix: String(row.getCell(header.indexOf('Fix')).value ?? ''),
        isNew: String(row.getCell(header.indexOf('New since last look')).value),
      });
    }
    assert.deepEqual(rows.map((r) => r.id).sort(), [...joined, closed].sort());
    for (const row of rows.filter((r) => joined.includes(r.id))) {
      assert.equal(row.reason, 'never-deployed');
      assert.equal(row.isNew, 'yes');
      assert.match(row.fix, /orgconnect deploy --select/);
    }
    const connections = workbook.getWorksheet('Connections');
    assert.equal((connections?.rowCount ?? 0) - 1, seeded.accounts.length + joined.length);
  });

  test("health --watch writes the day's point each round, from a fresh discovery (one more account joined)", async () => {
    const organizations = motoOrganizationsClient(moto.url, MOTO_DEFAULT_CREDENTIALS);
    await organizations.send(
      new CreateAccountCommand({ AccountName: 'joined-late', Email: 'late@example.com' }),
    );
    const latestFile = path.join(dataDir, 'coverage', `${seeded.organizationId}.latest.json`);
    const latest = () => JSON.parse(readFileSync(latestFile, 'utf8')) as Coverage;
    assert.equal(latest().summary.activeAccounts, 7, 'before the watch: as the last health run saw it');
    const watch = streamOrgconnect(
      ['health', '--profile', 'emulator', '--watch', '--interval', '600', '--json', ...SKIP],
      env,
      () => undefined,
    );
    try {
      const deadline = Date.now() + 90_000;
      while (latest().summary.activeAccounts !== 8 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      watch.child.kill('SIGTERM');
      await watch.done;
    }
    assert.equal(latest().summary.activeAccounts, 8);
    assert.equal(latest().summary.newNotConnected, 4);
    const points = readFileSync(path.join(dataDir, 'coverage', `${seeded.organizationId}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { activeAccounts: number; share: number });
    assert.equal(points.length, 1, "still one point for today: the day's last round wins");
    assert.equal(points[0]?.activeAccounts, 8);
    assert.equal(points[0]?.share, 4 / 8);
  });
});
