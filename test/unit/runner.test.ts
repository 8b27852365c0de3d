import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAccountCredentials, type StsSender } from '../../main/core/onboarding/account-credentials.js';
import { OrgConnectError } from '../../main/core/errors.js';
import { createVirtualClock, type VirtualClock } from '../../main/core/clock.js';
import { journalPath, readJournal, type JournalFile } from '../../main/core/onboarding/journal.js';
import type { DeployItem, RunEvent } from '../../main/core/onboarding/run-events.js';
import { runSecretsPath } from '../../main/core/onboarding/run-secrets.js';
import { foldRun } from '../../main/core/onboarding/run-state.js';
import {
  resumeRun,
  startRun,
  type DeployRun,
  type StartRunOptions,
} from '../../main/core/onboarding/runner.js';
import { FakeCloudFormation, FakeSts, throttling, type ScriptStep } from '../support/fake-cloudformation.js';

const MGMT = '100000000000';
const EXTERNAL_ID = 'ext-3b9f1c7d2e5a8f40-do-not-leak';
const TEMPLATE = 'Resources:\n  PlatformRole:\n    Type: AWS::IAM::Role\n';

interface Harness {
  clock: VirtualClock;
  dataDir: string;
  sts: FakeSts;
  fakes: Map<string, FakeCloudFormation>;
  /** Every CloudFormation call in order, as "account:Command". */
  log: string[];
  events: RunEvent[];
  members: string[];
  items: DeployItem[];
  options: Omit<StartRunOptions, 'items'> & { items: DeployItem[] };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function harness(memberCount: number, concurrency = 3): Promise<Harness> {
  const clock = createVirtualClock();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'orgconnect-runner-'));
  dirs.push(dataDir);
  const sts = new FakeSts(MGMT, clock);
  const credentials = createAccountCredentials({
    managementCredentials: async () => ({ accessKeyId: 'AKIAMANAGEMENT', secretAccessKey: 'm' }),
    managementAccountId: MGMT,
    region: 'us-east-1',
    sts: sts.client() as StsSender,
    clock,
  });
  const members = Array.from({ length: memberCount }, (_, i) => String(200000000001 + i));
  const log: string[] = [];
  const fakes = new Map<string, FakeCloudFormation>();
  for (const accountId of [MGMT, ...members]) {
    const fake = new FakeCloudFormation(accountId, clock);
    fake.beforeSend = (command) => void log.push(`${accountId}:${command}`);
    fakes.set(accountId, fake);
  }
  const items: DeployItem[] = [
    {
      accountId: MGMT,
      accountName: 'management',
      ouPath: 'Root',
      kind: 'billing',
      connectionName: 'management',
      stackName: 'orgconnect-billing',
      action: 'create',
    },
    ...members.map((accountId, i): DeployItem => ({
      accountId,
      accountName: `member-${i}`,
      ouPath: 'Root/Workloads',
      kind: 'resource',
      connectionName: `member-${i}`,
      stackName: 'orgconnect-resource',
      action: 'create',
    })),
  ];
  const events: RunEvent[] = [];
  return {
    clock,
    dataDir,
    sts,
    fakes,
    log,
    events,
    members,
    items,
    options: {
      runId: 'run-test',
      dataDir,
      items,
      settings: {
        platformAccountId: '061190967865',
        externalId: EXTERNAL_ID,
        accessRoleName: 'OrganizationAccountAccessRole',
        region: 'us-east-1',
      },
      managementAccountId: MGMT,
      profile: 'mgmt',
      credentialsFor: credentials.credentialsFor,
      cloudFormationFor: (accountId, provider) => {
        const fake = fakes.get(accountId);
        if (!fake) throw new Error(`no fake for ${accountId}`);
        return fake.client(provider);
      },
      templateFor: (item, secrets) => ({
        templateBody: TEMPLATE,
        parameters: { ExternalId: secrets.externalId, RoleName: `platform-${item.kind}` },
        tags: { 'orgconnect:connection-name': item.connectionName },
      }),
      clock,
      concurrency,
      onEvent: (event) => void events.push(event),
    },
  };
}

const fake = (h: Harness, accountId: string): FakeCloudFormation =>
  h.fakes.get(accountId) as FakeCloudFormation;
const states = (run: DeployRun): Record<string, string> =>
  Object.fromEntries(run.snapshot.accounts.map((account) => [account.accountId, account.state]));
const creates = (h: Harness): Record<string, number> =>
  Object.fromEntries([...h.fakes].map(([accountId, f]) => [accountId, f.count('CreateStack')]));
const slowCreate: ScriptStep[] = [
  'CREATE_IN_PROGRESS',
  { status: 'CREATE_IN_PROGRESS', forMs: 60_000 },
  'CREATE_COMPLETE',
];

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100_000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('DeployRun', () => {
  test('deploys billing first, then members with bounded concurrency; journal and fold agree; no secret on disk after', async () => {
    const h = await harness(7, 3);
    for (const accountId of h.members) fake(h, accountId).script('orgconnect-resource', 'create', slowCreate);
    let inFlight = 0;
    let maxInFlight = 0;
    const run = await startRun({
      ...h.options,
      onEvent: (event) => {
        h.events.push(event);
        if (event.type !== 'account-state') return;
        if (event.state === 'deploying') maxInFlight = Math.max(maxInFlight, ++inFlight);
        else inFlight--;
      },
    });
    assert.ok(
      (await readFile(runSecretsPath(h.dataDir, 'run-test'), 'utf8')).includes(EXTERNAL_ID),
      'the secrets file holds it while running',
    );
    const final = await run.start();

    assert.equal(final.status, 'finished');
    assert.equal(final.finishedStatus, 'completed');
    assert.deepEqual(final.counts, {
      total: 8,
      pending: 0,
      deploying: 0,
      registering: 0,
      connected: 8,
      skipped: 0,
      failed: 0,
      cancelled: 0,
      unknown: 0,
    });
    // Billing completed before any member was touched.
    const lastBilling = h.log.map((entry) => entry.startsWith(MGMT)).lastIndexOf(true);
    const firstMember = h.log.findIndex((entry) => !entry.startsWith(MGMT));
    assert.ok(lastBilling < firstMember, h.log.join(' '));
    assert.equal(maxInFlight, 3);
    assert.deepEqual(
      Object.values(creates(h)),
      Array.from({ length: 8 }, () => 1),
    );
    const member = final.accounts.find((account) => account.accountId === h.members[0]);
    assert.equal(member?.roleArn, `arn:aws:iam::${h.members[0]}:role/platform-resource`);
    assert.equal(member?.outcome, 'created');
    // The External ID went to CloudFormation, and nowhere on disk once the run finished.
    assert.equal(fake(h, MGMT).live('orgconnect-billing')?.parameters['ExternalId'], EXTERNAL_ID);
    const journalText = await readFile(journalPath(h.dataDir, 'run-test'), 'utf8');
    assert.ok(!journalText.includes(EXTERNAL_ID));
    assert.deepEqual(await readdir(path.join(h.dataDir, 'secrets')), []);
    // What listeners heard is exactly what the journal holds, and both fold to the returned state.
    const journal = await readJournal(h.dataDir, 'run-test');
    assert.deepEqual(journal.events, h.events);
    assert.deepEqual(foldRun(journal.events), final);
    await run.close();
  });

  test('a failed billing stack cancels the members untouched; retryFailed replaces it and then runs them', async () => {
    const h = await harness(3);
    fake(h, MGMT).script(
      'orgconnect-billing',
      'create',
      ['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE'],
      {
        logicalId: 'PlatformRole',
        reason: 'Encountered a permissions error performing a tagging operation',
      },
    );
    const run = await startRun(h.options);
    const first = await run.start();
    assert.equal(first.accounts[0]?.state, 'failed');
    assert.equal(first.accounts[0]?.stateCode, 'STACK_CREATE_FAILED');
    assert.match(first.accounts[0]?.stateReason ?? '', /PlatformRole.*tagging operation/);
    for (const account of first.accounts.slice(1)) {
      assert.equal(account.state, 'cancelled');
      assert.equal(account.stateCode, 'BILLING_FAILED');
      assert.match(account.stateReason ?? '', /billing connection failed/);
    }
    assert.ok(
      h.log.every((entry) => entry.startsWith(MGMT)),
      'no member account was touched',
    );

    const retried = await run.retryFailed();
    assert.equal(retried.counts.connected, 4);
    assert.equal(retried.accounts[0]?.attempt, 2);
    assert.deepEqual(
      fake(h, MGMT)
        .calls.filter((call) => call.command !== 'DescribeStacks' && call.command !== 'DescribeStackEvents')
        .map((call) => call.command),
      ['CreateStack', 'DeleteStack', 'CreateStack'],
    );
    const resumes = h.events.filter((event) => event.type === 'run-resumed');
    assert.deepEqual(
      resumes.map((event) => event.type === 'run-resumed' && event.reason),
      ['retry-failed'],
    );
    await run.close();
  });

  test('one member failing does not stop the others; retryFailed touches only it', async () => {
    const h = await harness(4);
    const [bad, ...good] = h.members as [string, ...string[]];
    fake(h, bad).failNext('CreateStack', ...Array.from({ length: 10 }, throttling));
    const run = await startRun(h.options);
    const first = await run.start();
    assert.equal(states(run)[bad], 'failed');
    assert.equal(first.accounts.find((a) => a.accountId === bad)?.stateCode, 'AWS_THROTTLED');
    for (const accountId of good) assert.equal(states(run)[accountId], 'connected');
    assert.equal(fake(h, bad).count('CreateStack'), 6, 'the retry cap');

    const callsBefore = Object.fromEntries([...h.fakes].map(([id, f]) => [id, f.calls.length]));
    const retried = await run.retryFailed();
    assert.equal(retried.counts.connected, 5);
    for (const accountId of [MGMT, ...good])
      assert.equal(fake(h, accountId).calls.length, callsBefore[accountId], `${accountId} untouched`);
    await run.close();
  });

  test('a missing access role fails that account with ACCESS_ROLE_MISSING before any CloudFormation call', async () => {
    const h = await harness(3);
    const missing = h.members[1] as string;
    h.sts.missingRole.add(missing);
    const run = await startRun(h.options);
    const final = await run.start();
    const account = final.accounts.find((a) => a.accountId === missing);
    assert.equal(account?.state, 'failed');
    assert.equal(account?.stateCode, 'ACCESS_ROLE_MISSING');
    assert.match(account?.stateFix ?? '', /OrganizationAccountAccessRole/);
    assert.equal(fake(h, missing).calls.length, 0);
    assert.equal(final.counts.connected, 3);
    await run.close();
  });

  test('pause starts no new account (in-flight ones finish); resume goes on', async () => {
    const h = await harness(6, 2);
    for (const accountId of h.members) fake(h, accountId).script('orgconnect-resource', 'create', slowCreate);
    const run = await startRun(h.options);
    let paused = false;
    run.onEvent((event) => {
      if (
        !paused &&
        event.type === 'account-state' &&
        event.kind === 'resource' &&
        event.state === 'deploying'
      ) {
        paused = true;
        void run.pause();
      }
    });
    const done = run.start();
    await waitFor(() => run.snapshot.status === 'paused', 'pause');
    // Let virtual time run far past every deploy: in-flight finish, nothing new starts.
    // In-flight deploys finish at their own pace (journal fsyncs are real I/O, slow on a loaded CI machine).
    await waitFor(
      () => run.snapshot.counts.deploying === 0 && run.snapshot.counts.connected >= 2,
      'in-flight to finish',
    );
    // Then let virtual time run far past every deploy: nothing new may start while paused.
    for (let i = 0; i < 200; i++) await h.clock.sleep(15_000);
    const whilePaused = run.snapshot.counts;
    assert.equal(whilePaused.deploying, 0);
    assert.ok(whilePaused.connected <= 3, JSON.stringify(whilePaused)); // billing + at most 2 in flight
    assert.ok(whilePaused.pending >= 4, JSON.stringify(whilePaused));
    await run.resume();
    const final = await done;
    assert.equal(final.counts.connected, 7);
    assert.deepEqual(
      h.events.filter((e) => e.type === 'run-paused' || e.type === 'run-resumed').map((e) => e.type),
      ['run-paused', 'run-resumed'],
    );
    await run.close();
  });

  test('an expired management session pauses the run (no account fails); after sign-in, resume connects the rest once', async () => {
    const h = await harness(6, 2);
    for (const accountId of h.members) fake(h, accountId).script('orgconnect-resource', 'create', slowCreate);
    let signedIn = true;
    let expired = false;
    // The management profile's session, as an SSO profile's provider behaves once its token is gone. The STS
    // client resolves it before each AssumeRole, as the SDK does; members not yet assumed then need it.
    const managementSession = async () => {
      if (!signedIn)
        throw new OrgConnectError(
          'SSO_LOGIN_REQUIRED',
          'Your IAM Identity Center session for corp has expired.',
          {
            fix: 'Run: orgconnect login --profile mgmt',
          },
        );
      return { accessKeyId: 'AKIAMANAGEMENT', secretAccessKey: 'm' };
    };
    const fakeSts = h.sts.client() as StsSender;
    const sts = {
      send: async (command: Parameters<StsSender['send']>[0]) => {
        await managementSession();
        return fakeSts.send(command);
      },
    } as StsSender;
    const credentials = createAccountCredentials({
      managementCredentials: managementSession,
      managementAccountId: MGMT,
      region: 'us-east-1',
      sts,
      clock: h.clock,
    });
    const run = await startRun({ ...h.options, credentialsFor: credentials.credentialsFor });
    run.onEvent((event) => {
      // The session expires once, when the first member has connected.
      if (
        !expired &&
        event.type === 'account-state' &&
        event.kind === 'resource' &&
        event.state === 'connected'
      ) {
        expired = true;
        signedIn = false;
      }
    });
    const done = run.start();
    await waitFor(() => run.snapshot.status === 'paused', 'the sign-in pause');
    await waitFor(() => run.snapshot.counts.deploying === 0, 'in-flight accounts to settle');
    const paused = run.snapshot;
    assert.equal(paused.pausedFor?.reason, 'sign-in-required');
    assert.equal(paused.pausedFor?.code, 'SSO_LOGIN_REQUIRED');
    assert.equal(paused.counts.failed, 0, JSON.stringify(paused.counts));
    const waiting = paused.accounts.filter((a) => a.state === 'unknown');
    assert.ok(waiting.length >= 1, 'the accounts that hit the expired session wait');
    for (const account of waiting) {
      assert.equal(account.stateCode, 'SSO_LOGIN_REQUIRED');
      assert.match(account.stateReason ?? '', /^waiting for a sign-in: /);
    }
    // Virtual time runs on; nothing starts or fails while nobody has signed in.
    for (let i = 0; i < 50; i++) await h.clock.sleep(15_000);
    assert.deepEqual(run.snapshot.counts, paused.counts);

    signedIn = true;
    await run.resume();
    const final = await done;
    assert.equal(final.counts.connected, 7, JSON.stringify(final.counts));
    assert.equal(final.pausedFor, undefined);
    for (const [accountId, count] of Object.entries(creates(h)))
      assert.equal(count, 1, `${accountId} created once`);
    const journal = await readJournal(h.dataDir, 'run-test');
    const pauses = journal.events.filter((e) => e.type === 'run-paused');
    assert.equal(pauses.length, 1);
    assert.equal(pauses[0]?.type === 'run-paused' && pauses[0].reason, 'sign-in-required');
    await run.close();
  });

  test('a pause that outlives the pass does not block retryFailed', { timeout: 10_000 }, async () => {
    const h = await harness(1, 1);
    const member = h.members[0] as string;
    fake(h, member).failNext('CreateStack', ...Array.from({ length: 6 }, throttling));
    const run = await startRun(h.options);
    run.onEvent((event) => {
      if (event.type === 'account-state' && event.kind === 'resource' && event.state === 'deploying')
        void run.pause();
    });
    const first = await run.start();
    assert.equal(first.accounts[1]?.state, 'failed');
    const retried = await run.retryFailed();
    assert.equal(retried.accounts[1]?.state, 'connected');
    await run.close();
  });

  test('cancel: in-flight accounts finish, the rest are cancelled, the run finishes cancelled', async () => {
    const h = await harness(6, 2);
    for (const accountId of h.members) fake(h, accountId).script('orgconnect-resource', 'create', slowCreate);
    const run = await startRun(h.options);
    let cancelled = false;
    run.onEvent((event) => {
      if (
        !cancelled &&
        event.type === 'account-state' &&
        event.kind === 'resource' &&
        event.state === 'deploying'
      ) {
        cancelled = true;
        void run.cancel();
      }
    });
    const final = await run.start();
    assert.equal(final.finishedStatus, 'cancelled');
    const connected = final.accounts.filter((a) => a.state === 'connected');
    const cancelledAccounts = final.accounts.filter((a) => a.state === 'cancelled');
    assert.ok(connected.length >= 2 && connected.length <= 3, `connected ${connected.length}`);
    assert.equal(connected.length + cancelledAccounts.length, 7);
    assert.ok(cancelledAccounts.every((a) => a.stateCode === 'RUN_CANCELLED'));
    for (const account of cancelledAccounts) assert.equal(fake(h, account.accountId).calls.length, 0);
    await run.close();
  });

  test('stop mid-deploy records in-flight accounts unknown; resume reconciles without deploying anything twice', async () => {
    const h = await harness(5, 2);
    // The wait must outlast everything stop() awaits in real time (journal fsyncs under CPU load) while the virtual
    // clock's polls run at full speed: a day of polls (~17,000) cannot finish first; ten minutes (~120) sometimes did.
    const long: ScriptStep[] = [
      'CREATE_IN_PROGRESS',
      { status: 'CREATE_IN_PROGRESS', forMs: 24 * 3600_000 },
      'CREATE_COMPLETE',
    ];
    const deploy = { poll: { timeoutMs: 48 * 3600_000 } };
    for (const accountId of h.members) fake(h, accountId).script('orgconnect-resource', 'create', long);
    const run = await startRun({ ...h.options, deploy });
    const done = run.start();
    await waitFor(
      () => h.members.filter((id) => fake(h, id).count('CreateStack') === 1).length === 2,
      'two member creates',
    );
    const stopped = await run.stop();
    await done;
    assert.equal(stopped.counts.unknown, 2);
    assert.equal(stopped.counts.pending, 3);
    assert.notEqual(stopped.status, 'finished');
    assert.ok(
      stopped.accounts.filter((a) => a.state === 'unknown').every((a) => a.stateCode === 'RUN_STOPPED'),
    );
    assert.ok(
      (await readFile(runSecretsPath(h.dataDir, 'run-test'), 'utf8')).length > 0,
      'secrets kept for resume',
    );
    await run.close();

    // A new process (same AWS, a fresh engine) picks the run up from the journal.
    const resumed = await resumeRun({ ...h.options, deploy, runId: 'run-test' });
    const final = await resumed.start();
    assert.equal(final.counts.connected, 6);
    assert.deepEqual(Object.values(creates(h)), [1, 1, 1, 1, 1, 1], 'exactly one CreateStack per account');
    const reconciled = final.accounts.filter((a) => a.attempt === 2);
    assert.equal(reconciled.length, 2);
    assert.ok(reconciled.every((a) => a.outcome === 'unchanged'));
    assert.deepEqual(foldRun((await readJournal(h.dataDir, 'run-test')).events), final);
    await resumed.close();
  });

  test('credentials that expire during a two-hour wait are refreshed; no call is signed with expired keys', async () => {
    const h = await harness(1, 1);
    const member = h.members[0] as string;
    fake(h, member).script('orgconnect-resource', 'create', [
      'CREATE_IN_PROGRESS',
      { status: 'CREATE_IN_PROGRESS', forMs: 2 * 3600_000 },
      'CREATE_COMPLETE',
    ]);
    const run = await startRun({ ...h.options, deploy: { poll: { timeoutMs: 3 * 3600_000 } } });
    const final = await run.start();
    assert.equal(final.counts.connected, 2);
    const keys = new Set(fake(h, member).calls.map((call) => call.accessKeyId));
    assert.ok(keys.size >= 3, `used ${keys.size} key generations over 2 hours`);
    assert.ok(h.sts.assumed.filter((id) => id === member).length >= 3);
    await run.close();
  });

  test('skip and blocked items are recorded without touching AWS; retryFailed does try a blocked one', async () => {
    const h = await harness(2);
    const [skip, blocked] = h.members as [string, string];
    const items = h.items.map((item) =>
      item.accountId === skip
        ? { ...item, action: 'skip' as const, reason: 'already connected' }
        : item.accountId === blocked
          ? {
              ...item,
              action: 'blocked' as const,
              code: 'ACCESS_ROLE_MISSING',
              reason: 'preflight could not assume',
              fix: 'create the role',
            }
          : item,
    );
    const run = await startRun({ ...h.options, items });
    const final = await run.start();
    assert.deepEqual(states(run), { [MGMT]: 'connected', [skip]: 'skipped', [blocked]: 'failed' });
    assert.equal(final.accounts[2]?.stateCode, 'ACCESS_ROLE_MISSING');
    assert.equal(fake(h, skip).calls.length + fake(h, blocked).calls.length, 0);
    await run.retryFailed();
    assert.equal(states(run)[blocked], 'connected');
    assert.equal(fake(h, skip).calls.length, 0);
    await run.close();
  });

  test('resume needs the External ID: missing secrets file → RUN_SECRET_MISSING; a wrong one → RUN_SECRET_MISMATCH', async () => {
    const h = await harness(2);
    const run = await startRun(h.options);
    await run.close(); // never started: like a crash right after planning
    await rm(runSecretsPath(h.dataDir, 'run-test'));
    await assert.rejects(resumeRun({ ...h.options, runId: 'run-test' }), { code: 'RUN_SECRET_MISSING' });
    await assert.rejects(
      resumeRun({ ...h.options, runId: 'run-test', externalId: 'not-it' }),
      (error: { code?: string; fix?: string }) => {
        assert.equal(error.code, 'RUN_SECRET_MISMATCH');
        assert.match(error.fix ?? '', /leak"/);
        return true;
      },
    );
    const resumed = await resumeRun({ ...h.options, runId: 'run-test', externalId: EXTERNAL_ID });
    assert.equal((await resumed.start()).counts.connected, 3);
    assert.equal(fake(h, MGMT).live('orgconnect-billing')?.parameters['ExternalId'], EXTERNAL_ID);
    await resumed.close();
  });

  test('an unwritable data directory fails before anything touches AWS', async () => {
    const h = await harness(1);
    const blocker = path.join(h.dataDir, 'file');
    await writeFile(blocker, '');
    await assert.rejects(startRun({ ...h.options, dataDir: path.join(blocker, 'home') }), {
      code: 'DATA_DIR_UNWRITABLE',
    });
    assert.deepEqual(h.log, []);
    assert.deepEqual(h.sts.assumed, []);
  });

  test('a journal that stops accepting writes stops the run with JOURNAL_WRITE_FAILED', async () => {
    const h = await harness(4, 2);
    let writes = 0;
    const openFile = async (filePath: string, flags: 'create' | 'append'): Promise<JournalFile> => {
      const handle = await open(filePath, flags === 'create' ? 'wx' : 'a');
      return {
        write: async (data) => {
          // run-started + 5 planned + billing deploying/connected + 2 member deploying, then the disk is full.
          if (++writes > 10)
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          return handle.write(data);
        },
        datasync: () => handle.datasync(),
        close: () => handle.close(),
      };
    };
    const run = await startRun({ ...h.options, journal: { openFile } });
    await assert.rejects(run.start(), { code: 'JOURNAL_WRITE_FAILED' });
    const touched = h.members.filter((id) => fake(h, id).calls.length > 0);
    assert.ok(touched.length <= 2, `only the in-flight members were touched (${touched.length})`);
    assert.equal(foldRun((await readJournal(h.dataDir, 'run-test')).events).counts.connected, 1);
    await run.close();
  });

  test('control calls are refused or harmless at the wrong time', async () => {
    const h = await harness(1);
    const run = await startRun(h.options);
    await run.pause(); // nothing running: no-op
    await run.cancel();
    assert.ok(!h.events.some((e) => e.type === 'run-paused' || e.type === 'run-cancel-requested'));
    const done = run.start();
    assert.throws(() => run.start(), { code: 'RUN_BUSY' });
    await done;
    assert.equal((await run.start()).status, 'finished', 'starting a finished run does nothing');
    await run.close();
  });
});
