// Fault matrix, row 1: the real `orgconnect deploy` against a 200-account emulated Organization, through a proxy
// that — from the moment the run starts — throttles 30 % of the run's AWS calls (in each service's wire format)
// and fails 5 % with 5xx, some of them *after* moto executed the call, so a CreateStack whose answer was lost
// must not create twice. Every account must still connect, exactly once.
//
// Why faults start with the run and not with the plan: under 30 % throttling the SDK's adaptive retry slows each
// account's client to its minimum rate, and the preflight (8 accounts at a time, not --concurrency) then takes
// ~2 minutes for 200 accounts on this machine. Preflight under throttling is covered on its own in
// faults-preflight.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import pLimit from 'p-limit';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { streamOrgconnect } from '../support/cli-stream.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

const EXTERNAL_ID = 'cz-faults-external-id-77';

interface EventLine {
  event: string;
  runId: string;
  accountId?: string;
  state?: string;
  code?: string;
  counts?: Record<string, number>;
  status?: string;
}

function parseLines(stdout: string): EventLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as EventLine);
}

/** Every stack moto holds in `accountId` (deleted ones included: a replaced stack would show up here). */
async function stacksIn(moto: MotoServer, accountId: string, managementId: string) {
  const credentials =
    accountId === managementId
      ? MOTO_DEFAULT_CREDENTIALS
      : await assumeRoleCredentials(moto.url, `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`);
  const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: moto.url, credentials });
  return (await cfn.send(new ListStacksCommand({}))).StackSummaries ?? [];
}

describe('deploy under 30 % throttling and 5 % 5xx', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 199, depth: 2, seed: 11 });
    proxy = await startFaultProxy({ target: moto.url, seed: 2026 });
    env = {
      ...writeTestAwsConfig(proxy.url).env,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')),
    };
  });
  after(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  test('every account connects, each stack created once, faults really injected', async () => {
    const started = performance.now();
    let runStartedAt = 0;
    const run = streamOrgconnect(
      [
        'deploy',
        '--profile',
        'emulator',
        '--external-id',
        EXTERNAL_ID,
        '--yes',
        '--json',
        '--concurrency',
        '32',
      ],
      env,
      (line) => {
        if (runStartedAt > 0 || !line.includes('"run-started"')) return;
        runStartedAt = performance.now();
        proxy.resetLog();
        proxy.configure({
          rules: [
            {
              services: ['cloudformation'],
              operations: ['CreateStack'],
              throttle: 0.3,
              serverError: 0.03,
              lostResponse: 0.02,
            },
            { services: ['sts', 'cloudformation', 'iam'], throttle: 0.3, serverError: 0.05 },
          ],
        });
      },
    );
    const result = await run.done;
    const wall = (performance.now() - started) / 1000;
    const runWall = (performance.now() - runStartedAt) / 1000;
    const lines = parseLines(result.stdout);
    const failed = lines.filter((l) => l.state === 'failed');
    assert.equal(result.code, 0, `${result.stderr.slice(-1500)}\n${JSON.stringify(failed.slice(0, 3))}`);
    const finished = lines.at(-1);
    assert.equal(finished?.event, 'run-finished');
    assert.equal(finished?.counts?.['connected'], seeded.accounts.length);
    assert.equal(finished?.counts?.['failed'], 0);

    // Faults hit every kind configured, and the deploy's own calls.
    const { counts } = proxy;
    for (const kind of [
      'throttle-xml',
      'throttle-429',
      'server-500',
      'server-503',
      'lost-response',
    ] as const) {
      assert.ok(counts[kind] > 0, `${kind} injected (${JSON.stringify(counts)})`);
    }
    const faultedCreates = proxy.requests.filter((r) => r.operation === 'CreateStack' && r.fault).length;
    assert.ok(faultedCreates > 20, `CreateStack was faulted ${faultedCreates} times`);

    // Exactly one CreateStack that moto executed successfully per account: none twice, none lost.
    const created = new Map<string, number>();
    for (const r of proxy.requests) {
      if (r.operation === 'CreateStack' && r.upstreamStatus === 200 && r.accountId) {
        created.set(r.accountId, (created.get(r.accountId) ?? 0) + 1);
      }
    }
    const duplicates = [...created.values()].filter((n) => n > 1).length;
    const lost = seeded.accounts.filter((a) => !created.has(a.id)).length;
    assert.equal(duplicates, 0, 'no account got two stacks');
    assert.equal(lost, 0, 'no account was forgotten');

    // Retries are bounded: the run made a small multiple of the ~4 calls per account a fault-free run needs.
    const perAccount = proxy.requests.length / seeded.accounts.length;
    assert.ok(perAccount < 12, `${perAccount.toFixed(1)} requests per account`);

    // What moto holds: one orgconnect stack per account, complete, nothing deleted or replaced.
    const limit = pLimit(8);
    const stackCounts = await Promise.all(
      seeded.accounts.map((a) =>
        limit(async () => {
          const stacks = await stacksIn(moto, a.id, seeded.managementAccountId);
          assert.deepEqual(
            stacks.map((s) => s.StackStatus),
            ['CREATE_COMPLETE'],
            `${a.id}: ${JSON.stringify(stacks.map((s) => [s.StackName, s.StackStatus]))}`,
          );
          return stacks.length;
        }),
      ),
    );
    assert.equal(
      stackCounts.reduce((s, n) => s + n, 0),
      seeded.accounts.length,
    );
    console.log(
      `faults injected: ${proxy.totalFaults()}, accounts connected: ${finished?.counts?.['connected']}, duplicates: ${duplicates}, lost: ${lost}, wall: ${wall.toFixed(1)} s (run ${runWall.toFixed(1)} s)`,
    );
    console.log(`fault kinds: ${JSON.stringify(counts)}; requests: ${proxy.requests.length}`);
  });
});
