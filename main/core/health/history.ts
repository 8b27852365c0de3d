/**
 * The last N health results of each connection, one JSON-lines file per connection under
 * `<dataDir>/health/`. Each result is appended and fsynced; once a file holds more than N lines it is
 * rewritten with the newest N (temp file, fsync, rename), so files stay small and a crash leaves either the
 * old file or the new one. A torn or unreadable line is skipped on read: history is a convenience, not a
 * journal to resume from.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { connectionHealthSchema, type ConnectionHealth } from './check-result.js';
import { parseConnectionKey } from '../onboarding/connection-key.js';

export const DEFAULT_HISTORY_LIMIT = 20;

export interface HealthHistory {
  append(health: ConnectionHealth): Promise<void>;
  /** Oldest first. */
  read(connectionKey: string): Promise<ConnectionHealth[]>;
  latest(connectionKey: string): Promise<ConnectionHealth | undefined>;
}

export function healthDir(dataDir: string): string {
  return path.join(dataDir, 'health');
}

/** `111122223333/billing` → `111122223333-billing.jsonl`; anything else is encoded so it cannot leave the folder. */
export function historyFile(dataDir: string, connectionKey: string): string {
  const parsed = parseConnectionKey(connectionKey);
  const safe = parsed
    ? `${parsed.accountId}-${parsed.kind}`
    : encodeURIComponent(connectionKey).replace(/\./g, '%2E');
  return path.join(healthDir(dataDir), `${safe}.jsonl`);
}

function parseLines(text: string): ConnectionHealth[] {
  const out: ConnectionHealth[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = connectionHealthSchema.safeParse(JSON.parse(line));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // torn line from a crash mid-append
    }
  }
  return out;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return '';
    throw error;
  }
}

async function writeSynced(file: string, data: string, flags: 'a' | 'w'): Promise<void> {
  const handle = await open(file, flags, 0o600);
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

export function createHealthHistory(dataDir: string, limit = DEFAULT_HISTORY_LIMIT): HealthHistory {
  // Appends to one file are serialised; different connections write in parallel.
  const tails = new Map<string, Promise<void>>();

  const read = async (key: string): Promise<ConnectionHealth[]> =>
    parseLines(await readText(historyFile(dataDir, key))).slice(-limit);

  return {
    read,
    async latest(key) {
      return (await read(key)).at(-1);
    },
    append(health) {
      const key = health.connectionKey;
      const file = historyFile(dataDir, key);
      const line = `${JSON.stringify(connectionHealthSchema.parse(health))}\n`;
      const run = (tails.get(key) ?? Promise.resolve()).then(async () => {
        await mkdir(healthDir(dataDir), { recursive: true, mode: 0o700 });
        // Files hold at most limit + 1 short lines, so reading one before each append costs next to nothing.
        const existing = await readText(file);
        // A torn last line would glue onto the next record; start the new record on its own line.
        const prefix = existing.length > 0 && !existing.endsWith('\n') ? '\n' : '';
        await writeSynced(file, prefix + line, 'a');
        const count = existing.split('\n').filter((l) => l.trim() !== '').length + 1;
        if (count > limit) {
          const kept = parseLines(await readText(file)).slice(-limit);
          const temp = `${file}.${process.pid}.tmp`;
          await writeSynced(temp, kept.map((h) => `${JSON.stringify(h)}\n`).join(''), 'w');
          await rename(temp, file);
        }
      });
      tails.set(
        key,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}
