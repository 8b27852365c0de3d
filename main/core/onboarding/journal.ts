/**
 * A run's journal: `<dataDir>/runs/<runId>.jsonl`, one event per line, appended and fsynced before the append
 * resolves — so every state change the UI was told about survives `kill -9` or a power cut. A line counts only
 * once its newline is on disk: a torn last line (the process died mid-write) is ignored when reading and cut
 * off before the next append, so the file never holds a broken line in the middle.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import { OrgConnectError, describeError } from '../errors.js';
import type { Clock } from '../clock.js';
import { runEventSchema, type RunEvent } from './run-events.js';
import { foldRun, type RunState, type RunStatus } from './run-state.js';
import { syncDirectory } from './sync-directory.js';

/** The file operations the journal uses; injectable so a test can see that data is synced before append resolves. */
export interface JournalFile {
  write(data: string): Promise<unknown>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

export type OpenJournalFile = (filePath: string, flags: 'create' | 'append') => Promise<JournalFile>;

const defaultOpenFile: OpenJournalFile = async (filePath, flags) =>
  // 'wx' refuses to reuse an existing run id.
  open(filePath, flags === 'create' ? 'wx' : 'a', 0o600);

export interface RunJournal {
  readonly runId: string;
  readonly path: string;
  /**
   * Validates, writes one line and syncs it to disk; resolves only after the sync. Lines keep their append order;
   * appends made while a sync is in flight are written and synced together, right after it.
   */
  append(event: RunEvent): Promise<void>;
  close(): Promise<void>;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Run ids become file names; anything that could climb out of the runs folder is refused. */
export function assertRunId(runId: string): void {
  if (!RUN_ID.test(runId) || runId.includes('..')) {
    throw new OrgConnectError('RUN_ID_INVALID', `"${runId}" is not a valid run id.`, {
      fix: 'Use the id shown by "orgconnect runs list".',
    });
  }
}

/** Sortable by time, unique enough for one machine: 20250101-120000-a1b2c3. */
export function newRunId(clock: Pick<Clock, 'now'>): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function runsDir(dataDir: string): string {
  return path.join(dataDir, 'runs');
}

export function journalPath(dataDir: string, runId: string): string {
  assertRunId(runId);
  return path.join(runsDir(dataDir), `${runId}.jsonl`);
}

/** An append waiting for the write and sync that will cover its line. */
interface PendingLine {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: appends that arrive while a write+datasync is in flight queue up and go to disk together in one
 * write and one datasync as soon as that one finishes (no timer: whatever queued meanwhile is the next batch).
 * Each append still resolves only after a datasync covering its line, and lines keep their append order.
 */
class FileRunJournal implements RunJournal {
  private pending: PendingLine[] = [];
  /** Set and cleared inside flush() itself, so it is right even when a flush ends without ever awaiting. */
  private flushing = false;
  /** The current (or last) flush; close() waits for it, and it drains everything queued before it ends. */
  private flushed: Promise<void> = Promise.resolve();
  private broken: OrgConnectError | undefined;

  constructor(
    readonly runId: string,
    readonly path: string,
    private readonly file: JournalFile,
  ) {}

  append(event: RunEvent): Promise<void> {
    const parsed = runEventSchema.safeParse(event);
    if (!parsed.success) {
      return Promise.reject(
        new OrgConnectError(
          'JOURNAL_EVENT_INVALID',
          `Refused to journal an invalid ${event.type} event: ${parsed.error.message}`,
        ),
      );
    }
    // After one failed write the file's end is unknown; writing more could leave a broken line in the middle.
    if (this.broken !== undefined) return Promise.reject(this.broken);
    const line = `${JSON.stringify(parsed.data)}\n`;
    const synced = new Promise<void>((resolve, reject) => this.pending.push({ line, resolve, reject }));
    if (!this.flushing) this.flushed = this.flush();
    return synced;
  }

  /** Writes and syncs batch after batch until nothing is queued; never rejects (each append gets its outcome). */
  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        if (this.broken !== undefined) throw this.broken;
        await this.file.write(batch.map((pending) => pending.line).join(''));
        await this.file.datasync();
        for (const pending of batch) pending.resolve();
      } catch (error) {
        this.broken ??= new OrgConnectError(
          'JOURNAL_WRITE_FAILED',
          `Could not write the run journal ${this.path}: ${describeError(error)}`,
          {
            fix: 'Free disk space or choose another data directory, then resume the run.',
            cause: error,
          },
        );
        for (const pending of batch) pending.reject(this.broken);
      }
    }
    this.flushing = false;
  }

  async close(): Promise<void> {
    await this.flushed;
    await this.file.close();
  }
}

export interface JournalOptions {
  openFile?: OpenJournalFile;
}

/** Starts the journal of a new run; refuses an id that already has one. */
export async function createJournal(
  dataDir: string,
  runId: string,
  options: JournalOptions = {},
): Promise<RunJournal> {
  const filePath = journalPath(dataDir, runId);
  await mkdir(runsDir(dataDir), { recursive: true, mode: 0o700 });
  let file: JournalFile;
  try {
    file = await (options.openFile ?? defaultOpenFile)(filePath, 'create');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') {
      throw new OrgConnectError('RUN_EXISTS', `A run with id ${runId} already exists.`, { cause: error });
    }
    throw error;
  }
  await syncDirectory(runsDir(dataDir));
  return new FileRunJournal(runId, filePath, file);
}

/** Reopens an existing run's journal for appending, cutting off a torn last line first. */
export async function openJournal(
  dataDir: string,
  runId: string,
  options: JournalOptions = {},
): Promise<RunJournal> {
  const filePath = journalPath(dataDir, runId);
  let content: Buffer;
  try {
    content = await readFile(filePath);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') throw runNotFound(runId, error);
    throw error;
  }
  const committed = content.lastIndexOf(0x0a) + 1;
  const torn = committed < content.length;
  if (torn) await truncate(filePath, committed);
  const file = await (options.openFile ?? defaultOpenFile)(filePath, 'append');
  if (torn) await file.datasync();
  return new FileRunJournal(runId, filePath, file);
}

function runNotFound(runId: string, cause: unknown): OrgConnectError {
  return new OrgConnectError('RUN_NOT_FOUND', `No run with id ${runId} in this data directory.`, {
    fix: 'List runs with "orgconnect runs list", or pass the --data-dir the run was started with.',
    cause,
  });
}

export interface ParsedJournal {
  events: RunEvent[];
  /** True when the last line was torn (no newline) and was ignored. */
  tornTail: boolean;
}

/** Parses journal text. A torn last line is ignored; a broken line anywhere else is corruption. */
export function parseJournalText(text: string): ParsedJournal {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const events: RunEvent[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new OrgConnectError('JOURNAL_CORRUPT', `Line ${index + 1} of the run journal is not JSON.`);
    }
    const parsed = runEventSchema.safeParse(json);
    if (!parsed.success) {
      throw new OrgConnectError(
        'JOURNAL_CORRUPT',
        `Line ${index + 1} of the run journal is not a run event.`,
      );
    }
    events.push(parsed.data);
  });
  return { events, tornTail: last.length > 0 };
}

export async function readJournal(dataDir: string, runId: string): Promise<ParsedJournal> {
  let text: string;
  try {
    text = await readFile(journalPath(dataDir, runId), 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') throw runNotFound(runId, error);
    throw error;
  }
  return parseJournalText(text);
}

export async function readRunState(dataDir: string, runId: string): Promise<RunState> {
  return foldRun((await readJournal(dataDir, runId)).events);
}

export interface RunListing {
  runId: string;
  path: string;
  status: RunStatus | 'unreadable';
  createdAt?: string;
  managementAccountId?: string;
  profile?: string | null;
  counts?: RunState['counts'];
  /** Why an unreadable run could not be read. */
  problem?: string;
}

/** Every run in the data directory, newest first; a broken journal is listed as unreadable, never hidden. */
export async function listRuns(dataDir: string): Promise<RunListing[]> {
  let names: string[];
  try {
    names = await readdir(runsDir(dataDir));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
  const listings: RunListing[] = [];
  for (const name of names.filter((entry) => entry.endsWith('.jsonl')).sort()) {
    const runId = name.slice(0, -'.jsonl'.length);
    const filePath = path.join(runsDir(dataDir), name);
    try {
      assertRunId(runId);
      const state = await readRunState(dataDir, runId);
      listings.push({
        runId,
        path: filePath,
        status: state.status,
        createdAt: state.createdAt,
        managementAccountId: state.managementAccountId,
        profile: state.profile,
        counts: state.counts,
      });
    } catch (error) {
      listings.push({ runId, path: filePath, status: 'unreadable', problem: describeError(error) });
    }
  }
  return listings.sort(
    (a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.runId.localeCompare(a.runId),
  );
}
