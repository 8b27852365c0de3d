// kill -9 in the middle of a real deploy (a child process against moto), then resume in this process: every
// account ends with exactly one stack, made by exactly one CreateStack request (counted by moto's own request
// recorder, across both processes), and the journal folds to a complete run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { createAccountCredentials } from '../../main/core/onboarding/account-credentials.js';
import { journalPath, parseJournalText, readJournal } from '../../main/core/onboarding/journal.js';
import { isTerminalState } from '../../main/core/onboarding/run-events.js';
import { runSecretsPath } from '../../main/core/onboarding/run-secrets.js';
import { foldRun } from '../../main/core/onboarding/run-state.js';
import { resumeRun } from '../../main/core/onboarding/runner.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  ACCOUNT_TAG,
  MANAGEMENT_KEYS,
  REGION,
  motoCloudFormation,
  planItems,
  seedOrganization,
  templateFor,
} from './runner-moto-org.js';

const RUN_ID = 'crash-run';
const EXTERNAL_ID = 'orgconnect-ext-crash-9e8d7c6b';
let tmp: string;
let moto: MotoServer;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'orgconnect-crash-'));
  // moto's request recorder writes here (inherited by the moto process); it counts requests from both processes.
  process.env['MOTO_RECORDER_FILEPATH'] = path.join(tmp, 'moto-requests.jsonl');
  moto = await startMoto();
});

after(async () => {
  await moto?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/**
 * CreateStack requests moto received, per account (from the test-only account tag). Mid-run (`partial`), moto may be
 * writing a record while it is read: a record that does not parse yet is skipped. Once moto is idle every record
 * must parse.
 */
async function recordedCreates(options: { partial?: boolean } = {}): Promise<Map<string, number>> {
  const text = await (await fetch(`${moto.url}/moto-api/recorder/download-recording`)).text();
  const counts = new Map<string, number>();
  // Two records can arrive without a newline between them when moto finishes requests together.
  for (const line of text.split(/\n|(?<=\})(?=\{")/).filter(Boolean)) {
    let entry: { body?: string; body_encoded?: boolean };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch (error) {
      if (options.partial) continue;
      throw error;
    }
    const body = entry.body_encoded
      ? Buffer.from(entry.body ?? '', 'base64').toString('utf8')
      : (entry.body ?? '');
    const form = new URLSearchParams(body);
    if (form.get('Action') !== 'CreateStack') continue;
    for (const [key, value] of form) {
      const match = /^Tags\.member\.(\d+)\.Key$/.exec(key);
      if (match && value === ACCOUNT_TAG) {
        const accountId = form.get(`Tags.member.${match[1]}.Value`) ?? '?';
        counts.set(accountId, (counts.get(accountId) ?? 0) + 1);
      }
    }
  }
  return counts;
}

test('kill -9 mid-run, resume: no account deployed twice, none forgotten', async () => {
  const { managementAccountId, members } = await seedOrganization(moto.url, 12);
  const items = planItems(managementAccountId, members);
  const dataDir = path.join(tmp, 'data');
  await fetch(`${moto.url}/moto-api/recorder/reset-recording`, { method: 'POST' });
  await fetch(`${moto.url}/moto-api/recorder/start-recording`, { method: 'POST' });

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'runner-crash-child.ts')],
    {
      env: {
        ...process.env,
        CRASH_CHILD_INPUT: JSON.stringify({
          motoUrl: moto.url,
          dataDir,
          runId: RUN_ID,
          managementAccountId,
          items,
          externalId: EXTERNAL_ID,
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let childOutput = '';
  child.stdout.on('data', (chunk: Buffer) => (childOutput += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (childOutput += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );

  // Kill once some accounts are connected and moto has received a CreateStack whose account is not yet recorded
  // connected: the worst moment, a stack that exists while the journal still says "deploying".
  const file = journalPath(dataDir, RUN_ID);
  const deadline = Date.now() + 60_000;
  for (;;) {
    // Requests first, journal second: an account seen created and then still not connected is in the window.
    const created = [...(await recordedCreates({ partial: true })).keys()];
    const journal = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const connected = new Set(
      parseJournalText(journal)
        .events.filter((event) => event.type === 'account-state' && event.state === 'connected')
        .map((event) => (event.type === 'account-state' ? event.accountId : '')),
    );
    if (connected.size >= 3 && created.some((accountId) => !connected.has(accountId))) break;
    if (child.exitCode !== null) assert.fail(`the child exited before it could be killed: ${childOutput}`);
    if (Date.now() > deadline) assert.fail(`the child made no progress: ${childOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  assert.doesNotMatch(childOutput, /finished/);

  const atCrash = foldRun((await readJournal(dataDir, RUN_ID)).events);
  assert.notEqual(atCrash.status, 'finished');
  const unfinished = atCrash.accounts.filter((account) => !isTerminalState(account.state));
  assert.ok(unfinished.length > 0, 'the crash left accounts to resume');
  assert.ok(existsSync(runSecretsPath(dataDir, RUN_ID)), 'the External ID survived for the resume');

  // Which unfinished accounts already had their stack when the process died (the case resume must not redo).
  const credentials = createAccountCredentials({
    managementCredentials: async () => MANAGEMENT_KEYS,
    managementAccountId,
    region: REGION,
    stsEndpoint: moto.url,
  });
  const stacksIn = async (accountId: string): Promise<string[]> => {
    const cfn = new CloudFormationClient({
      region: REGION,
      endpoint: moto.url,
      credentials: credentials.providerFor(accountId),
    });
    const summaries = (await cfn.send(new ListStacksCommand({}))).StackSummaries ?? [];
    return summaries.map((summary) => `${summary.StackName}:${summary.StackStatus}`);
  };
  const createdBeforeResume = new Set<string>();
  for (const account of unfinished)
    if ((await stacksIn(account.accountId)).length > 0) createdBeforeResume.add(account.accountId);

  const createsInResume = new Map<string, number>();
  const resumed = await resumeRun({
    runId: RUN_ID,
    dataDir,
    credentialsFor: credentials.credentialsFor,
    cloudFormationFor: (accountId, provider) =>
      motoCloudFormation(moto.url, provider, {
        onSend: (command) => {
          if (command === 'CreateStack')
            createsInResume.set(accountId, (createsInResume.get(accountId) ?? 0) + 1);
        },
      }),
    templateFor,
    deploy: { poll: { baseMs: 50, capMs: 200 } },
  });
  const final = await resumed.start();
  await resumed.close();

  assert.equal(final.status, 'finished');
  assert.equal(
    final.counts.connected,
    13,
    JSON.stringify(final.accounts.filter((a) => a.state !== 'connected')),
  );
  assert.deepEqual(foldRun((await readJournal(dataDir, RUN_ID)).events), final);
  assert.ok(!existsSync(runSecretsPath(dataDir, RUN_ID)), 'secrets deleted once the run finished');

  const creates = await recordedCreates();
  for (const item of items) {
    const expected = item.kind === 'billing' ? 'orgconnect-billing' : 'orgconnect-resource';
    assert.deepEqual(
      await stacksIn(item.accountId),
      [`${expected}:CREATE_COMPLETE`],
      `one stack in ${item.accountId}`,
    );
    assert.equal(creates.get(item.accountId), 1, `one CreateStack request for ${item.accountId}`);
  }
  // Stacks created before the crash were adopted, not recreated; the resume created only the missing ones.
  for (const accountId of createdBeforeResume) {
    assert.equal(createsInResume.get(accountId), undefined, `${accountId} was not created again`);
    assert.equal(final.accounts.find((a) => a.accountId === accountId)?.outcome, 'unchanged');
  }
  const neverStarted = unfinished
    .filter((a) => !createdBeforeResume.has(a.accountId))
    .map((a) => a.accountId);
  for (const accountId of neverStarted) assert.equal(createsInResume.get(accountId), 1);
  assert.ok(
    createdBeforeResume.size > 0,
    'the kill landed between a stack being created and being recorded (the case under test)',
  );
});
