import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAccountCredentials, type StsSender } from '../../main/core/onboarding/account-credentials.js';
import { createVirtualClock, type VirtualClock } from '../../main/core/clock.js';
import { readJournal } from '../../main/core/onboarding/journal.js';
import type { RunEvent } from '../../main/core/onboarding/run-events.js';
import {
  disconnectSecrets,
  resumeDisconnect,
  startDisconnect,
  type DeregisterOutcome,
  type DisconnectedConnection,
  type StartDisconnectOptions,
} from '../../main/core/onboarding/disconnect-run.js';
import type { DisconnectItem } from '../../main/core/onboarding/disconnect-plan.js';
import { readRunState } from '../../main/core/onboarding/journal.js';
import { FakeCloudFormation, FakeSts } from '../support/fake-cloudformation.js';

const MGMT = '100000000000';
const EXTERNAL_ID = 'ext-disconnect-5d1a-do-not-leak';
const OURS = (kind: string) => ({ 'orgconnect:kind': kind, 'orgconnect:template-sha256': 'ab'.repeat(32) });

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

interface Harness {
  clock: VirtualClock;
  fakes: Map<string, FakeCloudFormation>;
  members: string[];
  deregistered: DisconnectedConnection[];
  answers: Map<string, DeregisterOutcome[]>;
  events: RunEvent[];
  options: StartDisconnectOptions;
}

async function harness(memberCount: number, options: { keepStacks?: boolean } = {}): Promise<Harness> {
  const clock = createVirtualClock();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'orgconnect-disconnect-'));
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
  const fakes = new Map<string, FakeCloudFormation>();
  for (const accountId of [MGMT, ...members]) {
    const fake = new FakeCloudFormation(accountId, clock);
    const kind = accountId === MGMT ? 'billing' : 'resource';
    fake.seed({
      stackName: `orgconnect-${kind}`,
      status: 'CREATE_COMPLETE',
      tags: OURS(kind),
      parameters: { RoleName: `orgconnect-platform-${kind}` },
    });
    fakes.set(accountId, fake);
  }
  const item = (accountId: string, kind: 'billing' | 'resource'): DisconnectItem => ({
    accountId,
    accountName: accountId === MGMT ? 'management' : `member-${accountId.slice(-1)}`,
    ouPath: 'Root',
    kind,
    connectionName: accountId === MGMT ? 'management' : `member-${accountId.slice(-1)}`,
    stackName: `orgconnect-${kind}`,
    action: options.keepStacks ? 'deregister' : 'delete',
    roleArn: `arn:aws:iam::${accountId}:role/orgconnect-platform-${kind}`,
  });
  const deregistered: DisconnectedConnection[] = [];
  const answers = new Map<string, DeregisterOutcome[]>();
  const events: RunEvent[] = [];
  return {
    clock,
    fakes,
    members,
    deregistered,
    answers,
    events,
    options: {
      runId: 'disconnect-test',
      dataDir,
      items: [...members.map((id) => item(id, 'resource')), item(MGMT, 'billing')],
      settings: {
        platformAccountId: '061190967865',
        externalId: EXTERNAL_ID,
        accessRoleName: 'OrganizationAccountAccessRole',
        region: 'us-east-1',
        keepStacks: options.keepStacks === true,
      },
      managementAccountId: MGMT,
      profile: 'mgmt',
      concurrency: 2,
      clock,
      credentialsFor: credentials.credentialsFor,
      cloudFormationFor: (accountId, provider) => {
        const fake = fakes.get(accountId);
        if (!fake) throw new Error(`no fake for ${accountId}`);
        return fake.client(provider);
      },
      deregister: async (connection) => {
        deregistered.push(connection);
        return answers.get(connection.accountId)?.shift() ?? { status: 'deregistered' };
      },
      onEvent: (event) => void events.push(event),
    },
  };
}

const statesOf = (events: RunEvent[], accountId: string) =>
  events.flatMap((event) =>
    event.type === 'account-state' && event.accountId === accountId ? [event.state] : [],
  );

describe('DisconnectRun', () => {
  test('deletes every planned stack, deregisters exactly those connections, Billing last', async () => {
    const h = await harness(3);
    const run = await startDisconnect(h.options);
    const state = await run.start();
    await run.close();
    assert.equal(state.status, 'finished');
    assert.equal(state.counts.disconnected, 4);
    for (const [accountId, fake] of h.fakes) {
      assert.equal(fake.live(accountId === MGMT ? 'orgconnect-billing' : 'orgconnect-resource'), undefined);
      assert.equal(fake.count('DeleteStack'), 1, accountId);
      assert.deepEqual(statesOf(h.events, accountId), ['deleting', 'deregistering', 'disconnected']);
    }
    assert.deepEqual(
      h.deregistered.map((c) => c.accountId),
      [...h.deregistered.slice(0, 3).map((c) => c.accountId), MGMT],
      'Billing deregistered after every member',
    );
    assert.deepEqual(
      h.deregistered
        .map((c) => c.accountId)
        .slice(0, 3)
        .sort(),
      h.members,
    );
    assert.deepEqual(h.deregistered.at(-1), {
      accountId: MGMT,
      kind: 'billing',
      connectionName: 'management',
      roleArn: `arn:aws:iam::${MGMT}:role/orgconnect-platform-billing`,
    });
    const journal = JSON.stringify((await readJournal(h.options.dataDir, 'disconnect-test')).events);
    assert.doesNotMatch(journal, new RegExp(EXTERNAL_ID), 'no External ID in the journal');
    assert.match(journal, /"operation":"disconnect"/);
  });

  test('a failed deregistration fails that member and holds Billing back; retry deregisters only, then Billing goes', async () => {
    const h = await harness(2);
    const [first, second] = h.members as [string, string];
    h.answers.set(second, [{ status: 'failed', message: 'platform said 503' }]);
    const run = await startDisconnect(h.options);
    const state = await run.start();
    const failed = state.accounts.find((a) => a.accountId === second);
    assert.equal(failed?.state, 'failed');
    assert.equal(failed?.stateCode, 'DEREGISTER_FAILED');
    assert.match(
      failed?.stateReason ?? '',
      /the stack was deleted, but the platform did not deregister.*503/,
    );
    const billing = state.accounts.find((a) => a.kind === 'billing');
    assert.equal(billing?.state, 'cancelled');
    assert.equal(billing?.stateCode, 'MEMBERS_NOT_DISCONNECTED');
    assert.equal(h.fakes.get(MGMT)?.count('DeleteStack'), 0, 'Billing stack untouched');
    assert.equal(state.accounts.find((a) => a.accountId === first)?.state, 'disconnected');

    const retried = await run.retryFailed();
    await run.close();
    assert.equal(retried.counts.disconnected, 3);
    assert.equal(h.fakes.get(second)?.count('DeleteStack'), 1, 'the deleted stack is not deleted again');
    assert.deepEqual(
      h.deregistered.map((c) => c.accountId).filter((id) => id === second),
      [second, second],
    );
    assert.equal(h.fakes.get(MGMT)?.count('DeleteStack'), 1);
  });

  test('a stack without orgconnect’s tags is never deleted, even when it appears after the plan', async () => {
    const h = await harness(1);
    const member = h.members[0] as string;
    const fake = h.fakes.get(member) as FakeCloudFormation;
    const ours = fake.live('orgconnect-resource');
    if (ours) ours.tags = { team: 'someone-else' };
    const run = await startDisconnect(h.options);
    const state = await run.start();
    await run.close();
    const account = state.accounts.find((a) => a.accountId === member);
    assert.equal(account?.state, 'failed');
    assert.equal(account?.stateCode, 'STACK_NOT_ORGCONNECT');
    assert.equal(fake.count('DeleteStack'), 0);
    assert.equal(h.deregistered.length, 0);
  });

  test('keepStacks only deregisters', async () => {
    const h = await harness(2, { keepStacks: true });
    const run = await startDisconnect(h.options);
    const state = await run.start();
    await run.close();
    assert.equal(state.counts.disconnected, 3);
    for (const fake of h.fakes.values()) assert.equal(fake.count('DeleteStack'), 0);
    assert.equal(h.deregistered.length, 3);
    assert.deepEqual(statesOf(h.events, h.members[0] as string), ['deregistering', 'disconnected']);
  });

  test('a deregister-only account that cannot be reached is still deregistered, and says so; a delete is not', async () => {
    const h = await harness(2, { keepStacks: true });
    const [closed = '', open = ''] = h.members;
    const reachable = h.options.credentialsFor;
    const credentialsFor: typeof reachable = async (accountId) => {
      if (accountId === closed) throw new Error('AccessDenied: the account is suspended');
      return reachable(accountId);
    };
    const run = await startDisconnect({ ...h.options, credentialsFor });
    const state = await run.start();
    await run.close();
    assert.equal(state.counts.disconnected, 3);
    assert.deepEqual(
      h.deregistered.filter((c) => c.accountId === closed).map((c) => c.roleArn),
      [`arn:aws:iam::${closed}:role/orgconnect-platform-resource`],
      'deregistered with the role ARN the plan carried',
    );
    const account = state.accounts.find((a) => a.accountId === closed);
    assert.match(
      account?.stateReason ?? '',
      /could not be reached \(AccessDenied: the account is suspended\); deregistered anyway/,
    );
    assert.equal(state.accounts.find((a) => a.accountId === open)?.stateReason, undefined);

    const deleting = await harness(1);
    const [member = ''] = deleting.members;
    const denied: typeof reachable = async (accountId) => {
      if (accountId === member) throw new Error('AccessDenied: the account is suspended');
      return deleting.options.credentialsFor(accountId);
    };
    const deleteRun = await startDisconnect({ ...deleting.options, credentialsFor: denied });
    const after = await deleteRun.start();
    await deleteRun.close();
    assert.equal(after.accounts.find((a) => a.accountId === member)?.state, 'failed');
    assert.ok(
      !deleting.deregistered.some((c) => c.accountId === member),
      'a delete that could not start tells the platform nothing',
    );
  });

  test('stopped mid-delete, resumed in a new process: waits for the delete in flight, never deletes twice', async () => {
    const h = await harness(2);
    for (const id of h.members) {
      h.fakes
        .get(id)
        ?.script('orgconnect-resource', 'delete', [
          { status: 'DELETE_IN_PROGRESS', forMs: 120_000 },
          'DELETE_COMPLETE',
        ]);
    }
    const run = await startDisconnect(h.options);
    const pass = run.start();
    while (!h.events.some((e) => e.type === 'account-state' && e.state === 'deleting'))
      await h.clock.sleep(1000);
    const stopped = await run.stop();
    await pass;
    await run.close();
    assert.ok(
      stopped.accounts.some((a) => a.state === 'unknown'),
      'in-flight accounts recorded unknown',
    );
    assert.notEqual(stopped.status, 'finished');

    const state = await readRunState(h.options.dataDir, 'disconnect-test');
    const secrets = await disconnectSecrets(h.options.dataDir, state, undefined);
    const { items: _items, settings: _settings, runId: _runId, ...engine } = h.options;
    const resumed = await resumeDisconnect({ ...engine, runId: 'disconnect-test', secrets });
    const finished = await resumed.start();
    await resumed.close();
    assert.equal(finished.counts.disconnected, 3);
    for (const fake of h.fakes.values()) assert.equal(fake.count('DeleteStack'), 1);
    assert.deepEqual(h.deregistered.map((c) => c.accountId).sort(), [...h.members, MGMT].sort());
  });
});
