// Issue 4's "done when", through the real CLI against moto: after `deploy`, `health --json` is all green with
// every check on (what moto cannot answer — drift, Regions, CUR — is unknown, marked not available here); deleting one role
// and editing another's trust policy turns exactly those two red with the right reasons; `report --format xlsx`
// opens with its three sheets and the right rows, and CSV/JSON reports hold no unmasked External ID.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';

const EXTERNAL_ID = 'cz-health-external-id-9c1d';

interface HealthBody {
  summary: Record<string, number>;
  connections: {
    accountId: string;
    kind: string;
    overall: string;
    checks: { id: string; status: string; summary: string; fix?: string; notAvailableHere?: boolean }[];
  }[];
}

describe('orgconnect health and report after a deploy', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;
  let outDir: string;
  let platform: SandboxPlatform;

  const iamIn = async (accountId: string) => {
    const credentials =
      accountId === seeded.managementAccountId
        ? MOTO_DEFAULT_CREDENTIALS
        : await assumeRoleCredentials(
            moto.url,
            `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
          );
    return new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials });
  };

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 10, depth: 2, seed: 3 });
    // Registered with the sandbox platform, so platform-registration passes as it would for a real user.
    platform = await startSandboxPlatform();
    const { ORGCONNECT_NO_REGISTER: _off, ...awsEnv } = writeTestAwsConfig(moto.url).env;
    env = {
      ...awsEnv,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')),
      ORGCONNECT_PLATFORM_URL: platform.linkUrl,
    };
    outDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-reports-'));
    const deploy = await runOrgconnect(
      ['deploy', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--yes', '--json'],
      env,
    );
    assert.equal(deploy.code, 0, deploy.stderr);
  });
  after(async () => {
    await platform?.stop();
    await moto?.stop();
  });

  test('health --json is all green right after deploy, every check on: what moto cannot answer is unknown, not available here', async () => {
    const result = await runOrgconnect(['health', '--profile', 'emulator', '--json'], env);
    const body = JSON.parse(result.stdout) as HealthBody;
    const notHealthy = body.connections.filter((c) => c.overall !== 'healthy');
    assert.equal(result.code, 0, JSON.stringify(notHealthy.slice(0, 2), null, 1));
    assert.equal(body.summary['total'], seeded.accounts.length);
    assert.equal(body.summary['healthy'], seeded.accounts.length);
    for (const connection of body.connections) {
      const notAvailable = connection.checks
        .filter((c) => c.status === 'unknown' && c.notAvailableHere === true)
        .map((c) => c.id)
        .sort();
      assert.deepEqual(
        notAvailable,
        connection.kind === 'billing'
          ? ['cur', 'regions-sts', 'stack-drift']
          : ['regions-sts', 'stack-drift'],
      );
      assert.ok(connection.checks.every((c) => c.status !== 'skipped'));
      assert.ok(connection.checks.some((c) => c.id === 'role-trust' && c.status === 'pass'));
      assert.ok(connection.checks.some((c) => c.id === 'platform-registration' && c.status === 'pass'));
    }
    assert.equal(platform.connections().length, seeded.accounts.length);
    assert.doesNotMatch(result.stdout, new RegExp(EXTERNAL_ID));
  });

  test('one role deleted and one trust policy edited: exactly those two are unhealthy, with the reasons', async () => {
    const [deleted, edited] = seeded.memberAccountIds;
    assert.ok(deleted && edited);
    const role = 'orgconnect-platform-resource';
    const iam = await iamIn(deleted);
    for (const arn of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role })))
      .AttachedPolicies ?? []) {
      await iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: arn.PolicyArn }));
    }
    for (const name of (await iam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames ?? []) {
      await iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: name }));
    }
    await iam.send(new DeleteRoleCommand({ RoleName: role }));
    await (
      await iamIn(edited)
    ).send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: role,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::999999999999:root' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
            },
          ],
        }),
      }),
    );

    const result = await runOrgconnect(['health', '--profile', 'emulator', '--json'], env);
    assert.equal(result.code, 3);
    const body = JSON.parse(result.stdout) as HealthBody;
    const unhealthy = body.connections.filter((c) => c.overall !== 'healthy');
    assert.deepEqual(unhealthy.map((c) => c.accountId).sort(), [deleted, edited].sort());
    const failing = (accountId: string) =>
      body.connections.find((c) => c.accountId === accountId)?.checks.filter((c) => c.status === 'fail') ??
      [];
    assert.ok(
      failing(deleted).some((c) => c.id === 'role-exists'),
      JSON.stringify(failing(deleted)),
    );
    const trust = failing(edited).find((c) => c.id === 'role-trust');
    assert.match(trust?.summary ?? '', /999999999999/);
    assert.ok(trust?.fix, 'a fix is given');

    const human = await runOrgconnect(['health', '--profile', 'emulator'], env);
    assert.equal(human.code, 3);
    assert.match(human.stdout, /role-exists/);
    assert.match(human.stdout, /\d+\/\d+ healthy/);
  });

  test('report --format xlsx: Summary, Connections, Not connected and Problems sheets with the right rows', async () => {
    const out = path.join(outDir, 'connections.xlsx');
    const result = await runOrgconnect(['report', '--format', 'xlsx', '--out', out], env);
    assert.equal(result.code, 0, result.stderr);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    assert.deepEqual(
      workbook.worksheets.map((sheet) => sheet.name),
      ['Summary', 'Connections', 'Not connected', 'Problems'],
    );
    const connections = workbook.getWorksheet('Connections');
    assert.equal(
      (connections?.rowCount ?? 0) - 1,
      seeded.accounts.length,
      'one row per connection plus the header',
    );
    const header = (connections?.getRow(1).values as unknown[]).slice(1).map(String);
    assert.ok(header.length >= 12);
    const rows = [];
    for (let r = 2; r <= (connections?.rowCount ?? 1); r += 1) {
      rows.push(
        Object.fromEntries(
          header.map((h, i) => [h, String(connections?.getRow(r).getCell(i + 1).value ?? '')]),
        ),
      );
    }
    const nameKey = header[0] ?? '';
    const arnKey = header[1] ?? '';
    assert.match(nameKey, /name/i);
    assert.match(arnKey, /arn/i);
    for (const row of rows) {
      assert.match(row[nameKey] ?? '', /^[a-z0-9-]+$/);
      assert.match(
        row[arnKey] ?? '',
        /^arn:aws:iam::\d{12}:role\/cloudzero\/orgconnect-platform-(billing|resource)$/,
      );
    }
    const problems = workbook.getWorksheet('Problems');
    const problemText = JSON.stringify(problems?.getSheetValues());
    assert.match(problemText, /role-exists/);
    assert.match(problemText, /role-trust/);
    assert.doesNotMatch(JSON.stringify(connections?.getSheetValues()), new RegExp(EXTERNAL_ID));
  });

  test('CSV and JSON reports mask the External ID to its last 4 characters', async () => {
    for (const format of ['csv', 'json'] as const) {
      const out = path.join(outDir, `connections.${format}`);
      const result = await runOrgconnect(['report', '--format', format, '--out', out], env);
      assert.equal(result.code, 0, result.stderr);
      const text = readFileSync(out, 'utf8');
      assert.doesNotMatch(text, new RegExp(EXTERNAL_ID));
      assert.match(text, /9c1d/);
    }
  });

  test('a report revealing the External ID (ORGCONNECT_REVEAL_EXTERNAL_ID) is 0600 under umask 022, even over a 0644 file', async () => {
    const previousUmask = process.umask(0o022);
    try {
      for (const format of ['csv', 'json'] as const) {
        const out = path.join(outDir, `revealed.${format}`);
        writeFileSync(out, 'old contents', { mode: 0o644 });
        chmodSync(out, 0o644);
        const result = await runOrgconnect(['report', '--format', format, '--out', out], {
          ...env,
          ORGCONNECT_REVEAL_EXTERNAL_ID: EXTERNAL_ID,
        });
        assert.equal(result.code, 0, result.stderr);
        assert.match(readFileSync(out, 'utf8'), new RegExp(EXTERNAL_ID));
        assert.equal(statSync(out).mode & 0o777, 0o600, format);
        assert.doesNotMatch(result.stderr, new RegExp(EXTERNAL_ID));
      }
      // A masked report is written the same way.
      const masked = path.join(outDir, 'masked.csv');
      assert.equal((await runOrgconnect(['report', '--format', 'csv', '--out', masked], env)).code, 0);
      assert.equal(statSync(masked).mode & 0o777, 0o600);
    } finally {
      process.umask(previousUmask);
    }
  });
});
