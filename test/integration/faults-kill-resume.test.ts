// Fault matrix: `kill -9` at 10 seeded points of one 200-account run, each followed by `orgconnect resume` (which
// is itself killed at the next point), then a last resume that finishes. Checked against what moto holds and
// what the proxy saw: every account ends with exactly one stack, created by exactly one CreateStack that moto
// executed — no account deployed twice, none forgotten.
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
import { mulberry32, startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

const EXTERNAL_ID = 'cz-kill-resume-external-9';
const KILLS = 10;

interface EventLine {
  event: string;
  runId?: string;
  accountId?: string;
  state?: string;
  counts?: Record<string, number>;
  status?: string;
}

describe('kill -9 at 10 seeded points of a 200-account run, resumed each time', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 199, depth: 2, seed: 13 });
    // A little latency on the writes and polls keeps several stacks in flight at every kill.
    proxy = await startFaultProxy({
      target: moto.url,
      latencyMs: { CreateStack: 40, DescribeStacks: 10 },
    });
    env = {
      ...writeTestAwsConfig(proxy.url).env,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')),
    };
  });
  after(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  test('every account ends with exactly one stack, created once', async () => {
    const started = performance.now();
    const random = mulberry32(424242);
    const total = seeded.accounts.length;
    // Ten distinct kill points, as counts of accounts connected so far (over the whole run, all processes).
    const points = new Set<number>();
    while (points.size < KILLS) points.add(2 + Math.floor(random() * (total - 6)));
    const killAt = [...points].sort((a, b) => a - b);

    const connected = new Set<string>();
    let runId = '';
    let kills = 0;
    let finished: EventLine | undefined;
    for (let cycle = 0; cycle <= KILLS; cycle++) {
      const target = killAt[cycle];
      const args =
        cycle === 0
          ? [
              'deploy',
              '--profile',
              'emulator',
              '--external-id',
              EXTERNAL_ID,
              '--yes',
              '--json',
              '--concurrency',
              '8',
            ]
          : ['resume', runId, '--json'];
      const run = streamOrgconnect(args, env, (line, child) => {
        const event = JSON.parse(line) as EventLine;
        if (event.event === 'run-started' && event.runId) runId ||= event.runId;
        if (event.state === 'connected' && event.accountId) connected.add(event.accountId);
        if (event.event === 'run-finished') finished = event;
        if (target !== undefined && connected.size >= target && child.exitCode === null)
          child.kill('SIGKILL');
      });
      const result = await run.done;
      if (result.signal === 'SIGKILL') {
        kills += 1;
        continue;
      }
      // The last cycle (or a resume that finished before its kill point was reached) must end cleanly.
      assert.equal(result.code, 0, result.stderr.slice(-1500));
      if (cycle < KILLS) assert.ok(finished, 'a resume that was not killed finished the run');
      break;
    }
    assert.ok(kills >= KILLS - 1, `killed ${kills} times at ${killAt.join(', ')}`);
    assert.equal(finished?.event, 'run-finished');
    assert.equal(finished?.status, 'completed');
    assert.equal(finished?.counts?.['connected'], total);
    // A kill can land after an account's "connected" was journaled but before its line reached stdout; the journal
    // (which run-finished counts from) is the truth, so the printed set may miss at most one account per kill.
    assert.ok(connected.size >= total - kills, `${connected.size} connected lines`);

    // What the proxy saw: one CreateStack per account that moto executed (killed clients included).
    const created = new Map<string, number>();
    for (const r of proxy.requests) {
      if (r.operation === 'CreateStack' && r.upstreamStatus === 200 && r.accountId) {
        created.set(r.accountId, (created.get(r.accountId) ?? 0) + 1);
      }
    }
    const duplicates = [...created.entries()].filter(([, n]) => n > 1).map(([id]) => id);
    const lost = seeded.accounts.filter((a) => !created.has(a.id)).map((a) => a.id);
    assert.deepEqual(duplicates, [], 'no account deployed twice');
    assert.deepEqual(lost, [], 'no account forgotten');

    // What moto holds: exactly one stack per account, complete, nothing deleted.
    const limit = pLimit(8);
    await Promise.all(
      seeded.accounts.map((account) =>
        limit(async () => {
          const credentials =
            account.id === seeded.managementAccountId
              ? MOTO_DEFAULT_CREDENTIALS
              : await assumeRoleCredentials(
                  moto.url,
                  `arn:aws:iam::${account.id}:role/OrganizationAccountAccessRole`,
                );
          const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: moto.url, credentials });
          const stacks = (await cfn.send(new ListStacksCommand({}))).StackSummaries ?? [];
          assert.deepEqual(
            stacks.map((s) => s.StackStatus),
            ['CREATE_COMPLETE'],
            account.id,
          );
        }),
      ),
    );
    console.log(
      `kill -9 points (accounts connected): ${killAt.join(', ')}; kills: ${kills}; accounts connected: ${finished?.counts?.['connected']} (${connected.size} printed before kills), duplicates: 0, lost: 0, wall: ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});
