// Issue 3's "done when", end to end through the real CLI against moto: plan, then `deploy --yes --json` connects
// a 200-account Organization with Billing first; each member's role is verified with IAM *in that member* using
// the member's own credentials; a second deploy changes nothing; `kill -9` mid-run and `resume` finish a run with
// no account deployed twice and none forgotten.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import pLimit from 'p-limit';
import { startMoto, type MotoServer } from '../support/moto.js';
import { assumeRoleCredentials, seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig, type TestAwsFiles } from '../support/aws-test-config.js';
import { assertBuilt, ORGCONNECT_BIN, runOrgconnect } from '../support/run-cli.js';

const EXTERNAL_ID = 'cz-test-external-id-4f2a';
const PLATFORM = '061190967865';

interface EventLine {
  event: 'run-started' | 'account' | 'run-finished';
  runId: string;
  accountId?: string;
  kind?: 'billing' | 'resource';
  state?: string;
  outcome?: string;
  code?: string;
  reason?: string;
  counts?: Record<string, number>;
  status?: string;
}

function parseLines(stdout: string): EventLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as EventLine); // throws on any non-JSON line: --json prints nothing else
}

async function memberRole(moto: MotoServer, accountId: string, roleName: string) {
  const credentials = await assumeRoleCredentials(
    moto.url,
    `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
  );
  const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials });
  const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  const roles = await iam.send(new ListRolesCommand({}));
  return { role: role.Role, roleNames: (roles.Roles ?? []).map((r) => r.RoleName ?? '') };
}

async function createStackRequests(moto: MotoServer): Promise<number> {
  const text = await (await fetch(`${moto.url}/moto-api/recorder/download-recording`)).text();
  let count = 0;
  // moto's threaded server can append two records without a newline between them when requests finish
  // together; a record is one JSON object, and request bodies (form-encoded) carry no raw braces.
  for (const line of text.split(/\n|(?<=\})(?=\{")/).filter(Boolean)) {
    const entry = JSON.parse(line) as { body?: string; body_encoded?: boolean };
    const body = entry.body_encoded
      ? Buffer.from(entry.body ?? '', 'base64').toString('utf8')
      : (entry.body ?? '');
    if (new URLSearchParams(body).get('Action') === 'CreateStack') count += 1;
  }
  return count;
}

describe('orgconnect deploy against a 200-account emulated Organization', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let files: TestAwsFiles;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 200, depth: 3, suspended: 1 });
    files = writeTestAwsConfig(moto.url);
    env = { ...files.env, ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')) };
  });
  after(async () => moto?.stop());

  const active = () => seeded.accounts.filter((a) => a.status === 'ACTIVE');

  test('plan --json: Billing for the management account, Resource for members, suspended shown blocked; nothing written', async () => {
    const result = await runOrgconnect(
      ['plan', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--json'],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const plan = JSON.parse(result.stdout) as {
      platform: unknown;
      counts: Record<string, number>;
      items: { accountId: string; kind: string; action: string; code?: string; connectionName: string }[];
    };
    assert.deepEqual(plan.platform, {
      id: 'cloudzero',
      version: '2026-06-16',
      trustedAccountIds: ['061190967865', '559846027439'],
      rolePath: '/cloudzero/',
    });
    assert.equal(plan.counts['billing'], 1);
    assert.equal(plan.counts['create'], active().length);
    const suspended = plan.items.filter((i) => i.action === 'blocked');
    assert.deepEqual(
      suspended.map((i) => i.accountId),
      seeded.suspendedIds,
    );
    assert.equal(suspended[0]?.code, 'ACCOUNT_SUSPENDED');
    assert.equal(plan.items.find((i) => i.kind === 'billing')?.accountId, seeded.managementAccountId);
    for (const item of plan.items) assert.match(item.connectionName, /^[a-z0-9-]+$/);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(EXTERNAL_ID));
    const cfn = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    assert.equal(
      (await cfn.send(new ListStacksCommand({}))).StackSummaries?.length ?? 0,
      0,
      'plan wrote nothing',
    );
  });

  test('a custom platform without its accounts, or CloudZero with a foreign account, is a usage error', async () => {
    const custom = await runOrgconnect(
      ['plan', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--platform', 'custom', '--json'],
      env,
    );
    assert.notEqual(custom.code, 0);
    assert.match(custom.stdout + custom.stderr, /USAGE_PLATFORM_ACCOUNT_MISSING|needs the AWS account/);
    const foreign = await runOrgconnect(
      ['plan', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--platform-account', '111122223333'],
      env,
    );
    assert.notEqual(foreign.code, 0);
    assert.match(foreign.stdout + foreign.stderr, /--platform custom/);
  });

  test('deploy --yes --json connects every active account, Billing first, and exits 0', async () => {
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
      env,
      { timeoutMs: 300_000 },
    );
    const lines = parseLines(result.stdout);
    const failures = lines.filter((l) => l.state === 'failed' || l.state === 'cancelled');
    assert.equal(result.code, 0, `${result.stderr.slice(-2000)}\n${JSON.stringify(failures.slice(0, 5))}`);
    assert.equal(lines[0]?.event, 'run-started');
    assert.equal(lines.at(-1)?.event, 'run-finished');
    const finished = lines.at(-1);
    assert.equal(finished?.status, 'completed');
    assert.equal(finished?.counts?.['connected'], active().length);
    assert.equal(finished?.counts?.['failed'], 0);

    const billingConnected = lines.findIndex((l) => l.kind === 'billing' && l.state === 'connected');
    const firstResource = lines.findIndex((l) => l.kind === 'resource');
    assert.ok(
      billingConnected > 0 && billingConnected < firstResource,
      'Billing completes before any Resource starts',
    );
    const connected = new Set(lines.filter((l) => l.state === 'connected').map((l) => l.accountId));
    for (const account of active()) assert.ok(connected.has(account.id), `${account.id} connected`);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(EXTERNAL_ID));
    console.log(`deploy of ${active().length} accounts took ${Math.round(result.ms)} ms`);
  });

  test('each member holds the Resource role (checked with that member’s credentials), the management account the Billing role', async () => {
    const limit = pLimit(8);
    const members = active().filter((a) => a.id !== seeded.managementAccountId);
    await Promise.all(
      members.map((account) =>
        limit(async () => {
          const { role, roleNames } = await memberRole(moto, account.id, 'orgconnect-platform-resource');
          assert.equal(role?.Arn, `arn:aws:iam::${account.id}:role/cloudzero/orgconnect-platform-resource`);
          const trust = JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? '{}')) as {
            Statement: { Principal: { AWS: string }; Condition: Record<string, Record<string, string>> }[];
          };
          assert.equal(trust.Statement.length, 1);
          assert.match(String(trust.Statement[0]?.Principal.AWS), new RegExp(`${PLATFORM}`));
          assert.equal(trust.Statement[0]?.Condition['StringEquals']?.['sts:ExternalId'], EXTERNAL_ID);
          // nothing else was created: only moto's access role and ours
          assert.deepEqual(roleNames.sort(), [
            'OrganizationAccountAccessRole',
            'orgconnect-platform-resource',
          ]);
        }),
      ),
    );
    const billing = await memberRole(moto, seeded.managementAccountId, 'orgconnect-platform-billing').catch(
      async () => {
        const iam = new IAMClient({
          region: 'us-east-1',
          endpoint: moto.url,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        });
        return {
          role: (await iam.send(new GetRoleCommand({ RoleName: 'orgconnect-platform-billing' }))).Role,
          roleNames: [],
        };
      },
    );
    assert.equal(billing.role?.RoleName, 'orgconnect-platform-billing');
  });

  test('a second deploy finds everything connected and writes nothing', async () => {
    const plan = await runOrgconnect(
      ['plan', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--json'],
      env,
    );
    const counts = (JSON.parse(plan.stdout) as { counts: Record<string, number> }).counts;
    assert.equal(counts['skip'], active().length);
    assert.equal(counts['create'], 0);
  });

  test('runs --json lists the finished run', async () => {
    const result = await runOrgconnect(['runs', '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout) as {
      runs: { runId: string; status: string; counts: Record<string, number> }[];
    };
    assert.equal(body.runs[0]?.status, 'finished');
    assert.equal(body.runs[0]?.counts['connected'], active().length);
  });

  test('usage errors exit 1: missing or malformed External ID, deploy without --yes and no terminal', async () => {
    const missing = await runOrgconnect(['plan', '--profile', 'emulator'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /External ID is required/);
    const bad = await runOrgconnect(['plan', '--profile', 'emulator', '--external-id', 'has space'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /External ID may contain only/);
  });
});

describe('kill -9 in the middle of a deploy, then resume', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 120, depth: 2, seed: 7 });
    env = {
      ...writeTestAwsConfig(moto.url).env,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')),
    };
    await fetch(`${moto.url}/moto-api/recorder/reset-recording`, { method: 'POST' });
    await fetch(`${moto.url}/moto-api/recorder/start-recording`, { method: 'POST' });
  });
  after(async () => moto?.stop());

  test('resume finishes the run: every account connected once, no duplicate CreateStack, none missing', async () => {
    assertBuilt();
    const child = spawn(
      process.execPath,
      [
        ORGCONNECT_BIN,
        'deploy',
        '--profile',
        'emulator',
        '--external-id',
        EXTERNAL_ID,
        '--yes',
        '--json',
        '--concurrency',
        '4',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let runId = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const lines = stdout.split('\n').filter((l) => l.endsWith('}'));
        runId ||= (JSON.parse(lines[0] ?? '{}') as { runId?: string }).runId ?? '';
        if (lines.filter((l) => l.includes('"state":"connected"')).length >= 30) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('close', () => resolve());
      child.on('error', reject);
    });
    await new Promise((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('close', resolve),
    );
    assert.equal(child.signalCode, 'SIGKILL', 'the deploy was killed mid-run');
    assert.ok(runId, 'run id printed first');
    const before = parseLines(
      stdout
        .split('\n')
        .filter((l) => l.endsWith('}'))
        .join('\n'),
    );
    assert.ok(!before.some((l) => l.event === 'run-finished'), 'killed before the end');

    const resumed = await runOrgconnect(['resume', runId, '--json'], env, { timeoutMs: 300_000 });
    assert.equal(resumed.code, 0, resumed.stderr.slice(-2000));
    const lines = parseLines(resumed.stdout);
    const finished = lines.at(-1);
    assert.equal(finished?.event, 'run-finished');
    assert.equal(finished?.counts?.['connected'], seeded.accounts.length);

    // Exactly one CreateStack per account across both processes: none twice, none missing.
    assert.equal(await createStackRequests(moto), seeded.accounts.length);
    const limit = pLimit(8);
    await Promise.all(
      seeded.memberAccountIds.map((id) =>
        limit(async () => {
          const { role } = await memberRole(moto, id, 'orgconnect-platform-resource');
          assert.ok(role, `role in ${id}`);
        }),
      ),
    );
  });
});
