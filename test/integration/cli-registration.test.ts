// Issue 12's registration, end to end through the real CLI against moto and the sandbox platform. Every assertion
// is on what the sandbox received and holds, on the roles moto holds in each member, and on the journal — not on
// orgconnect's word: a 50-account deploy registers each connection exactly once, Billing first, two members
// whose first POST gets a 503 are registered after a retry; an unchanged rerun sends nothing; a refused
// registration is sent again by `orgconnect register`; kill -9 between stack completion and registration, then
// resume, registers every account, none twice unless its outcome was never journaled.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import { CHECK_IDS } from '../../main/core/health/check-result.js';
import { parseJournalText } from '../../main/core/onboarding/journal.js';
import { foldRun } from '../../main/core/onboarding/run-state.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { streamOrgconnect } from '../support/cli-stream.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';

const EXTERNAL_ID = 'cz-register-external-7c1d';

interface Line {
  event: string;
  runId?: string;
  accountId?: string;
  kind?: 'billing' | 'resource';
  state?: string;
  registration?: { status: string; httpStatus?: number; code?: string };
  counts?: Record<string, number>;
}

function parseLines(stdout: string): Line[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Line);
}

/** The test env with registration on, pointed at the sandbox platform. */
function registeringEnv(base: NodeJS.ProcessEnv, platform: SandboxPlatform): NodeJS.ProcessEnv {
  const { ORGCONNECT_NO_REGISTER: _off, ...env } = base;
  return { ...env, ORGCONNECT_PLATFORM_URL: platform.linkUrl };
}

/** The role as IAM in that account reports it: the member's own credentials, or the management profile's. */
async function roleArnIn(moto: MotoServer, accountId: string, roleName: string, management: string) {
  const credentials =
    accountId === management
      ? MOTO_DEFAULT_CREDENTIALS
      : await assumeRoleCredentials(moto.url, `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`);
  const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials });
  return (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.Arn;
}

function journalOf(dataDir: string, runId: string) {
  return readFileSync(path.join(dataDir, 'runs', `${runId}.jsonl`), 'utf8');
}

describe('a 50-account deploy registers every connection with the platform', () => {
  let moto: MotoServer;
  let platform: SandboxPlatform;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let runId = '';
  const flaky: string[] = [];

  before(async () => {
    moto = await startMoto();
    platform = await startSandboxPlatform();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 49, depth: 2, seed: 5 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-register-'));
    env = { ...registeringEnv(writeTestAwsConfig(moto.url).env, platform), ORGCONNECT_HOME: dataDir };
    flaky.push(...seeded.memberAccountIds.slice(3, 5));
    for (const accountId of flaky) platform.inject({ kind: 'status', status: 503, accountId });
  });
  after(async () => {
    await platform?.stop();
    await moto?.stop();
  });

  test('plan says how many connections will be registered, and where', async () => {
    const plan = await runOrgconnect(
      ['plan', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--json'],
      env,
    );
    assert.equal(plan.code, 0, plan.stderr);
    const body = JSON.parse(plan.stdout) as { registration: { endpoint: string; connections: number } };
    assert.deepEqual(body.registration, { endpoint: platform.linkUrl, connections: 50 });
    assert.equal(platform.received.length, 0, 'planning sends nothing');
  });

  test('deploy: each connection registered exactly once, Billing first, the two 503s retried', async () => {
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
        '12',
      ],
      env,
      { timeoutMs: 300_000 },
    );
    assert.equal(result.code, 0, result.stderr.slice(-2000));
    const lines = parseLines(result.stdout);
    runId = lines[0]?.runId ?? '';
    assert.ok(!(result.stdout + result.stderr).includes(EXTERNAL_ID), 'the External ID is never printed');

    const accepted = platform.accepted();
    const ids = accepted.map((r) => r.accountId);
    assert.equal(accepted.length, 50, 'one accepted registration per connection');
    assert.equal(new Set(ids).size, 50, 'no connection registered twice');
    assert.equal(accepted[0]?.accountId, seeded.managementAccountId);
    assert.ok(
      accepted[0]?.message?.data.links.master_payer.role_arn,
      'the first registration is the Billing one',
    );
    const firstResourceAt = platform.received.findIndex((r) => r.accountId !== seeded.managementAccountId);
    const billingAt = platform.received.findIndex((r) => r.accountId === seeded.managementAccountId);
    assert.ok(billingAt < firstResourceAt, 'Billing is sent before any Resource');
    for (const accountId of flaky) {
      const answers = platform.received.filter((r) => r.accountId === accountId).map((r) => r.answer);
      assert.deepEqual(answers, [503, 200], `${accountId}: a 503, then accepted on the retry`);
    }
    const held = platform.connections();
    assert.equal(held.filter((c) => c.type === 'billing').length, 1);
    assert.equal(held.filter((c) => c.type === 'resource').length, 49);
    assert.ok(platform.received.every((r) => !r.hadAuthorizationHeader));

    // The JSON lines and the journal say the same as the platform: every account connected and registered.
    const connected = lines.filter((l) => l.event === 'account' && l.state === 'connected');
    assert.equal(connected.length, 50);
    assert.ok(
      connected.every((l) => l.registration?.status === 'registered' && l.registration.httpStatus === 200),
    );
    const journal = journalOf(dataDir, runId);
    assert.ok(!journal.includes(EXTERNAL_ID), 'the journal never holds the External ID');
    const state = foldRun(parseJournalText(journal).events);
    assert.ok(
      state.accounts.every((a) => a.state === 'connected' && a.registration?.status === 'registered'),
    );
    assert.equal(
      parseJournalText(journal).events.filter((e) => e.type === 'account-state' && e.state === 'registering')
        .length,
      50,
    );
  });

  test('each registered role ARN is the role IAM holds in that account', async () => {
    const limit = pLimit(8);
    await Promise.all(
      platform.connections().map((connection) =>
        limit(async () => {
          const roleName =
            connection.type === 'billing' ? 'orgconnect-platform-billing' : 'orgconnect-platform-resource';
          const arn = await roleArnIn(moto, connection.accountId, roleName, seeded.managementAccountId);
          assert.equal(connection.roleArn, arn, connection.accountId);
          assert.equal(connection.externalIdLast4, EXTERNAL_ID.slice(-4));
        }),
      ),
    );
  });

  test('an unchanged rerun sends nothing and exits 0', async () => {
    const before = platform.received.length;
    const result = await runOrgconnect(
      ['deploy', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--yes'],
      env,
      { timeoutMs: 300_000 },
    );
    assert.equal(result.code, 0, result.stderr.slice(-2000));
    assert.equal(platform.received.length, before, 'nothing was POSTed');
    assert.match(result.stdout, /0 connections will be registered/);
    assert.match(result.stdout, /All done: 50 deployed \(50 already connected\)/);
  });

  test('health: platform-registration passes for every connection', async () => {
    const others = CHECK_IDS.filter((id) => id !== 'platform-registration').join(',');
    const result = await runOrgconnect(['health', '--profile', 'emulator', '--json', '--skip', others], env, {
      timeoutMs: 300_000,
    });
    const body = JSON.parse(result.stdout) as {
      connections: { accountId: string; checks: { id: string; status: string }[] }[];
    };
    assert.equal(body.connections.length, 50);
    for (const connection of body.connections) {
      const check = connection.checks.find((c) => c.id === 'platform-registration');
      assert.equal(check?.status, 'pass', connection.accountId);
    }
  });
});

describe('a refused registration, then orgconnect register', () => {
  let moto: MotoServer;
  let platform: SandboxPlatform;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;

  before(async () => {
    moto = await startMoto();
    platform = await startSandboxPlatform();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 5, depth: 1, seed: 9 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-register-'));
    env = { ...registeringEnv(writeTestAwsConfig(moto.url).env, platform), ORGCONNECT_HOME: dataDir };
  });
  after(async () => {
    await platform?.stop();
    await moto?.stop();
  });

  test('a 403 is not retried, keeps the stack, fails only that registration; register sends only it', async () => {
    const refused = seeded.memberAccountIds[1] as string;
    platform.inject({ kind: 'status', status: 403, accountId: refused });
    const deploy = await runOrgconnect(
      ['deploy', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--yes'],
      env,
      { timeoutMs: 300_000 },
    );
    assert.equal(deploy.code, 3, 'not every connection is registered');
    assert.match(deploy.stdout, /6 deployed, 5 registered with the platform, 1 not registered/);
    assert.doesNotMatch(deploy.stdout, /All done/);
    assert.match(
      deploy.stdout,
      new RegExp(`${refused}\\s+resource\\s+connected\\s+NOT registered: .*HTTP 403`),
    );
    assert.equal(platform.received.filter((r) => r.accountId === refused).length, 1, 'a 4xx is not retried');
    assert.equal(platform.connections().length, 5);
    // The stack is still there: a registration failure never rolls back a good role.
    assert.ok(await roleArnIn(moto, refused, 'orgconnect-platform-resource', seeded.managementAccountId));

    const before = platform.received.length;
    const register = await runOrgconnect(['register', '--external-id', EXTERNAL_ID, '--json'], env, {
      timeoutMs: 120_000,
    });
    assert.equal(register.code, 0, register.stderr);
    const sent = platform.received.slice(before);
    assert.deepEqual(
      sent.map((r) => [r.accountId, r.answer]),
      [[refused, 200]],
      'only the refused connection is sent again',
    );
    assert.equal(platform.connections().length, 6);

    const again = await runOrgconnect(['register', '--json'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing-to-register/);
    const runId = readdirSync(path.join(dataDir, 'runs'))[0]?.replace('.jsonl', '') ?? '';
    const state = foldRun(parseJournalText(journalOf(dataDir, runId)).events);
    assert.equal(state.status, 'finished');
    assert.ok(state.accounts.every((a) => a.registration?.status === 'registered'));
  });
});

describe('kill -9 between stack completion and registration, then resume', () => {
  let moto: MotoServer;
  let platform: SandboxPlatform;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;

  before(async () => {
    moto = await startMoto();
    platform = await startSandboxPlatform();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 24, depth: 2, seed: 21 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-register-kill-'));
    env = { ...registeringEnv(writeTestAwsConfig(moto.url).env, platform), ORGCONNECT_HOME: dataDir };
  });
  after(async () => {
    await platform?.stop();
    await moto?.stop();
  });

  test('every account ends registered; none twice unless its outcome was never journaled', async () => {
    // Three members' POSTs are held unanswered: their stacks are complete and journaled `registering` when the
    // process dies.
    const held = seeded.memberAccountIds.slice(6, 9);
    for (const accountId of held) platform.inject({ kind: 'timeout', accountId });
    let runId = '';
    const killed = streamOrgconnect(
      [
        'deploy',
        '--profile',
        'emulator',
        '--external-id',
        EXTERNAL_ID,
        '--yes',
        '--json',
        '--concurrency',
        '6',
      ],
      env,
      (line) => {
        runId ||= (JSON.parse(line) as Line).runId ?? '';
      },
    );
    const deadline = Date.now() + 240_000;
    while (
      platform.received.filter((r) => r.answer === 'timeout').length < held.length &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    killed.child.kill('SIGKILL');
    const exit = await killed.done;
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(runId);

    const journalBefore = parseJournalText(journalOf(dataDir, runId)).events;
    const outcomeJournaled = new Set(
      journalBefore
        .filter((e) => e.type === 'account-state' && e.state === 'connected' && e.registration)
        .map((e) => (e.type === 'account-state' ? e.accountId : '')),
    );
    const stateBefore = foldRun(journalBefore);
    for (const accountId of held) {
      const account = stateBefore.accounts.find((a) => a.accountId === accountId);
      assert.equal(account?.state, 'registering', `${accountId} died between its stack and its registration`);
    }
    const acceptedBefore = platform.accepted().map((r) => r.accountId);

    const resumed = await runOrgconnect(['resume', runId, '--json'], env, { timeoutMs: 300_000 });
    assert.equal(resumed.code, 0, resumed.stderr.slice(-2000));

    const state = foldRun(parseJournalText(journalOf(dataDir, runId)).events);
    assert.equal(state.status, 'finished');
    assert.ok(
      state.accounts.every((a) => a.state === 'connected' && a.registration?.status === 'registered'),
    );
    const holds = platform.connections();
    assert.equal(holds.length, seeded.accounts.length, 'the platform holds every account');
    for (const account of seeded.accounts) {
      const accepted = platform.accepted().filter((r) => r.accountId === account.id).length;
      if (outcomeJournaled.has(account.id)) {
        assert.equal(accepted, 1, `${account.id}: its outcome was journaled, so it was not sent again`);
      } else {
        // Sent again only because the killed process never journaled what the platform said.
        assert.ok(accepted >= 1 && accepted <= 2, `${account.id}: ${accepted}`);
        if (accepted === 2) assert.ok(acceptedBefore.includes(account.id));
      }
    }
    for (const accountId of held) {
      assert.equal(platform.accepted().filter((r) => r.accountId === accountId).length, 1);
    }
  });
});
