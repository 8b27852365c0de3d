import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  assertRunId,
  createJournal,
  journalPath,
  listRuns,
  newRunId,
  openJournal,
  parseJournalText,
  readJournal,
  readRunState,
  type JournalFile,
} from '../../main/core/onboarding/journal.js';
import type { RunEvent } from '../../main/core/onboarding/run-events.js';
import { externalIdFingerprint } from '../../main/core/onboarding/run-secrets.js';

const EXTERNAL_ID = 'orgconnect-EXT-7f3a9c2e41d8-secret';
const AT = '2025-01-01T00:00:00.000Z';

function started(runId: string): RunEvent {
  return {
    type: 'run-started',
    at: AT,
    journalVersion: 1,
    runId,
    createdAt: AT,
    managementAccountId: '111111111111',
    profile: 'mgmt',
    settings: {
      platformAccountId: '061190967865',
      accessRoleName: 'OrganizationAccountAccessRole',
      region: 'us-east-1',
      concurrency: 8,
      ...externalIdFingerprint(EXTERNAL_ID),
    },
  };
}

const planned = (accountId: string): RunEvent => ({
  type: 'account-planned',
  at: AT,
  accountId,
  accountName: `acct-${accountId}`,
  ouPath: 'Root',
  kind: 'resource',
  connectionName: `acct-${accountId}`,
  stackName: 'orgconnect-resource',
  action: 'create',
});

const stateEvent = (accountId: string, state: 'deploying' | 'connected'): RunEvent => ({
  type: 'account-state',
  at: AT,
  accountId,
  kind: 'resource',
  state,
});

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'orgconnect-journal-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('journal', () => {
  test('appends JSON lines that read back as the same events', async () => {
    const journal = await createJournal(dataDir, 'run-1');
    const events = [
      started('run-1'),
      planned('222222222222'),
      stateEvent('222222222222', 'deploying'),
      stateEvent('222222222222', 'connected'),
    ];
    for (const event of events) await journal.append(event);
    await journal.close();
    const text = await readFile(journalPath(dataDir, 'run-1'), 'utf8');
    assert.equal(text.split('\n').length, 5);
    assert.ok(text.endsWith('\n'));
    const read = await readJournal(dataDir, 'run-1');
    assert.deepEqual(read.events, events);
    assert.equal(read.tornTail, false);
  });

  test('an append resolves only after the line was written and synced', async () => {
    const log: string[] = [];
    const openFile = async (filePath: string, flags: 'create' | 'append'): Promise<JournalFile> => {
      const handle = await open(filePath, flags === 'create' ? 'wx' : 'a');
      return {
        write: async (data) => {
          log.push(`write ${JSON.parse(data).type}`);
          return handle.write(data);
        },
        datasync: async () => {
          await handle.datasync();
          log.push('sync');
        },
        close: () => handle.close(),
      };
    };
    const journal = await createJournal(dataDir, 'run-2', { openFile });
    await journal.append(started('run-2'));
    log.push('resolved');
    // The first of two concurrent appends is written at once; the second waits for that sync, then has its own.
    await Promise.all([journal.append(planned('222222222222')), journal.append(planned('333333333333'))]);
    log.push('resolved');
    await journal.close();
    assert.deepEqual(log, [
      'write run-started',
      'sync',
      'resolved',
      'write account-planned',
      'sync',
      'write account-planned',
      'sync',
      'resolved',
    ]);
  });

  test('a torn last line is ignored when reading and cut off before the next append', async () => {
    const journal = await createJournal(dataDir, 'run-3');
    await journal.append(started('run-3'));
    await journal.append(planned('222222222222'));
    await journal.close();
    // What kill -9 in the middle of a write leaves behind.
    await appendFile(
      journalPath(dataDir, 'run-3'),
      '{"type":"account-state","at":"2025-01-01T00:00:00.000Z","accountId":"2222',
    );
    const torn = await readJournal(dataDir, 'run-3');
    assert.equal(torn.tornTail, true);
    assert.equal(torn.events.length, 2);

    const reopened = await openJournal(dataDir, 'run-3');
    await reopened.append(stateEvent('222222222222', 'connected'));
    await reopened.close();
    const healed = await readJournal(dataDir, 'run-3');
    assert.equal(healed.tornTail, false);
    assert.deepEqual(
      healed.events.map((event) => event.type),
      ['run-started', 'account-planned', 'account-state'],
    );
    assert.equal((await readRunState(dataDir, 'run-3')).accounts[0]?.state, 'connected');
  });

  test('a broken line in the middle is corruption, not silently skipped', () => {
    const good = JSON.stringify(started('run-4'));
    assert.throws(() => parseJournalText(`${good}\n{not json\n${good}\n`), {
      code: 'JOURNAL_CORRUPT',
      message: /Line 2/,
    });
    assert.throws(() => parseJournalText(`${good}\n{"type":"nonsense","at":"${AT}"}\n`), {
      code: 'JOURNAL_CORRUPT',
    });
  });

  test('never holds the External ID: only its sha256 and a short tail, even if one is smuggled into an event', async () => {
    const journal = await createJournal(dataDir, 'run-5');
    const event = started('run-5');
    // A careless caller passing the whole settings object, secret included: the schema strips the unknown key.
    (event as { settings: Record<string, unknown> }).settings['externalId'] = EXTERNAL_ID;
    await journal.append(event);
    await journal.close();
    const bytes = await readFile(journalPath(dataDir, 'run-5'), 'utf8');
    assert.ok(!bytes.includes(EXTERNAL_ID), 'the External ID must not be in the journal');
    assert.ok(!bytes.includes(EXTERNAL_ID.slice(0, 12)));
    assert.ok(bytes.includes(externalIdFingerprint(EXTERNAL_ID).externalIdSha256));
    assert.equal(externalIdFingerprint(EXTERNAL_ID).externalIdLast4, 'cret');
    // Short IDs reveal at most a third of themselves.
    assert.equal(externalIdFingerprint('abcdef').externalIdLast4, 'ef');
    assert.equal(externalIdFingerprint('ab').externalIdLast4, '');
  });

  test('refuses invalid events and an existing run id', async () => {
    const journal = await createJournal(dataDir, 'run-6');
    await assert.rejects(journal.append({ ...planned('123'), type: 'account-planned' } as RunEvent), {
      code: 'JOURNAL_EVENT_INVALID',
    });
    await journal.close();
    await assert.rejects(createJournal(dataDir, 'run-6'), { code: 'RUN_EXISTS' });
  });

  test('run ids cannot escape the runs folder', () => {
    for (const bad of ['../x', 'a/b', '', '.hidden', 'a..b', 'x'.repeat(200)]) {
      assert.throws(() => assertRunId(bad), { code: 'RUN_ID_INVALID' }, bad);
    }
    assert.match(newRunId({ now: () => Date.UTC(2025, 4, 6, 7, 8, 9) }), /^20250506-070809-[0-9a-f]{6}$/);
  });

  test('listRuns lists every run newest first and marks a broken one unreadable', async () => {
    for (const [runId, createdAt] of [
      ['run-a', '2025-01-01T00:00:00.000Z'],
      ['run-b', '2025-02-01T00:00:00.000Z'],
    ] as const) {
      const journal = await createJournal(dataDir, runId);
      await journal.append({ ...started(runId), createdAt } as RunEvent);
      await journal.append(planned('222222222222'));
      await journal.close();
    }
    await writeFile(path.join(dataDir, 'runs', 'run-c.jsonl'), 'garbage\n');
    const runs = await listRuns(dataDir);
    assert.deepEqual(
      runs.map((run) => [run.runId, run.status]),
      [
        ['run-b', 'running'],
        ['run-a', 'running'],
        ['run-c', 'unreadable'],
      ],
    );
    assert.equal(runs[0]?.counts?.pending, 1);
    assert.match(runs[2]?.problem ?? '', /not JSON/);
    assert.deepEqual(await listRuns(path.join(dataDir, 'nowhere')), []);
  });

  test('a failed write breaks the journal for good (no line after a possibly partial one)', async () => {
    let writes = 0;
    const openFile = async (filePath: string, flags: 'create' | 'append'): Promise<JournalFile> => {
      const handle = await open(filePath, flags === 'create' ? 'wx' : 'a');
      return {
        write: async (data) => {
          if (++writes === 2)
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          return handle.write(data);
        },
        datasync: () => handle.datasync(),
        close: () => handle.close(),
      };
    };
    const journal = await createJournal(dataDir, 'run-7', { openFile });
    await journal.append(started('run-7'));
    await assert.rejects(journal.append(planned('222222222222')), {
      code: 'JOURNAL_WRITE_FAILED',
      message: /ENOSPC/,
    });
    await assert.rejects(journal.append(planned('333333333333')), { code: 'JOURNAL_WRITE_FAILED' });
    assert.equal(writes, 2);
    await journal.close();
  });

  test('appends made while a sync is in flight go to disk together in one write and one sync, in order', async () => {
    const disk = heldSyncFile();
    const journal = await createJournal(dataDir, 'run-8', { openFile: disk.openFile });
    const resolved: string[] = [];
    const track = (name: string, event: RunEvent) => journal.append(event).then(() => resolved.push(name));
    const first = track('run-started', started('run-8'));
    await settle();
    assert.deepEqual(disk.writes.map(accountIds), [['run-8']]);
    const second = track('planned 2', planned('222222222222'));
    const invalid = journal.append({ ...planned('123'), type: 'account-planned' } as RunEvent);
    const third = track('planned 3', planned('333333333333'));
    await assert.rejects(invalid, { code: 'JOURNAL_EVENT_INVALID' });
    await settle();
    assert.equal(disk.writes.length, 1, 'nothing more is written while the first sync is in flight');
    assert.deepEqual(resolved, [], 'no append resolves before the sync covering its line');

    disk.finishSync();
    await settle();
    assert.deepEqual(resolved, ['run-started']);
    assert.deepEqual(disk.writes.map(accountIds), [['run-8'], ['222222222222', '333333333333']]);
    assert.equal(disk.syncsStarted(), 2);

    disk.finishSync();
    await Promise.all([first, second, third]);
    assert.deepEqual(resolved, ['run-started', 'planned 2', 'planned 3']);
    assert.equal(disk.writes.length, 2);
    assert.equal(disk.syncsStarted(), 2);
    await journal.close();
  });

  test('a failed batch write rejects every append in that batch and every later one, with the same error', async () => {
    const disk = heldSyncFile({ failWrite: 2 });
    const journal = await createJournal(dataDir, 'run-9', { openFile: disk.openFile });
    const first = journal.append(started('run-9'));
    await settle();
    const batch = [journal.append(planned('222222222222')), journal.append(planned('333333333333'))];
    const outcomes = Promise.allSettled(batch);
    disk.finishSync();
    await first;
    const [second, third] = await outcomes;
    assert.equal(second?.status, 'rejected');
    assert.equal(third?.status, 'rejected');
    const error = (second as PromiseRejectedResult).reason as { code?: string; message: string };
    assert.equal(error.code, 'JOURNAL_WRITE_FAILED');
    assert.match(error.message, /ENOSPC/);
    assert.equal((third as PromiseRejectedResult).reason, error);
    await assert.rejects(journal.append(planned('444444444444')), (later) => later === error);
    assert.deepEqual(disk.writes.map(accountIds), [['run-9'], ['222222222222', '333333333333']]);
    assert.equal(disk.syncsStarted(), 1, 'no sync and no write after the failure');
    await journal.close();
  });

  test('200 appends made at once are all on disk in append order, after two syncs rather than 200', async () => {
    let datasyncs = 0;
    const openFile = async (filePath: string, flags: 'create' | 'append'): Promise<JournalFile> => {
      const handle = await open(filePath, flags === 'create' ? 'wx' : 'a');
      return {
        write: (data) => handle.write(data),
        datasync: () => {
          datasyncs += 1;
          return handle.datasync();
        },
        close: () => handle.close(),
      };
    };
    const journal = await createJournal(dataDir, 'run-10', { openFile });
    const members = Array.from({ length: 199 }, (_, i) => String(200000000000 + i));
    await Promise.all([
      journal.append(started('run-10')),
      ...members.map((accountId) => journal.append(planned(accountId))),
    ]);
    await journal.close();
    const read = await readJournal(dataDir, 'run-10');
    assert.equal(read.tornTail, false);
    assert.deepEqual(read.events, [started('run-10'), ...members.map(planned)]);
    assert.equal(datasyncs, 2, 'the first line alone, then the 199 that queued behind its sync');
  });
});

/** Lets every pending promise callback run (the fake file's writes resolve at once). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The account id (or, for run-started, the run id) of each line one write held. */
function accountIds(data: string): string[] {
  return parseJournalText(data).events.map((event) =>
    event.type === 'run-started' ? event.runId : 'accountId' in event ? event.accountId : event.type,
  );
}

/**
 * A journal file in memory whose datasyncs finish only when the test says so (finishSync, oldest first), so a
 * test can act while a sync is in flight. failWrite: the number of the write (from 1) that fails with ENOSPC.
 */
function heldSyncFile(options: { failWrite?: number } = {}) {
  const writes: string[] = [];
  const heldSyncs: Array<() => void> = [];
  let syncs = 0;
  const file: JournalFile = {
    write: async (data) => {
      writes.push(data);
      if (writes.length === options.failWrite) {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
    },
    datasync: () => {
      syncs += 1;
      return new Promise<void>((resolve) => heldSyncs.push(resolve));
    },
    close: async () => undefined,
  };
  return {
    writes,
    openFile: async () => file,
    syncsStarted: () => syncs,
    finishSync: () => {
      const finish = heldSyncs.shift();
      assert.ok(finish, 'a sync is in flight');
      finish();
    },
  };
}
