/**
 * The External ID a run needs to resume, kept out of the journal: `<dataDir>/secrets/<runId>.json`, mode 0600
 * in a 0700 folder, written atomically (temp file + fsync + rename) so a crash leaves either the old file or the
 * new one, never half. Deleted when the run finishes; a later resume asks the person for it again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { OrgConnectError } from '../errors.js';
import { assertRunId } from './journal.js';
import { syncDirectory } from './sync-directory.js';

export interface RunSecrets {
  externalId: string;
}

const secretsFileSchema = z.object({ version: z.literal(1), externalId: z.string().min(1) });

export function secretsDir(dataDir: string): string {
  return path.join(dataDir, 'secrets');
}

export function runSecretsPath(dataDir: string, runId: string): string {
  assertRunId(runId);
  return path.join(secretsDir(dataDir), `${runId}.json`);
}

/**
 * What the journal may say about an External ID: its sha256 (to check a re-entered value) and a short tail (so
 * a person recognises it). The tail is at most 4 characters and at most a third of the value, so a short ID is
 * never mostly revealed.
 */
export function externalIdFingerprint(externalId: string): {
  externalIdSha256: string;
  externalIdLast4: string;
} {
  const shown = Math.min(4, Math.floor(externalId.length / 3));
  return {
    externalIdSha256: createHash('sha256').update(externalId, 'utf8').digest('hex'),
    externalIdLast4: shown > 0 ? externalId.slice(-shown) : '',
  };
}

export async function writeRunSecrets(dataDir: string, runId: string, secrets: RunSecrets): Promise<void> {
  const target = runSecretsPath(dataDir, runId);
  const dir = secretsDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700).catch(() => undefined);
  const temp = path.join(dir, `.${runId}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify({ version: 1, externalId: secrets.externalId }), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temp, 0o600);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** The run's secrets; `RUN_SECRET_MISSING` when the file is gone (finished run, other machine, deleted). */
export async function readRunSecrets(dataDir: string, runId: string): Promise<RunSecrets> {
  const file = runSecretsPath(dataDir, runId);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new OrgConnectError(
        'RUN_SECRET_MISSING',
        `The External ID for run ${runId} is no longer stored on this machine.`,
        {
          fix: 'Enter the External ID again to resume the run.',
          cause: error,
        },
      );
    }
    throw error;
  }
  const parsed = secretsFileSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new OrgConnectError(
      'RUN_SECRET_MISSING',
      `The stored External ID for run ${runId} is unreadable.`,
      {
        fix: 'Enter the External ID again to resume the run.',
      },
    );
  }
  return { externalId: parsed.data.externalId };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function deleteRunSecrets(dataDir: string, runId: string): Promise<void> {
  await rm(runSecretsPath(dataDir, runId), { force: true });
  await syncDirectory(secretsDir(dataDir));
}
