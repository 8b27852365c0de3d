/**
 * Where orgconnect keeps runs and run secrets: `--data-dir`, else `ORGCONNECT_HOME`, else the OS's per-user
 * app-data folder. Checked for writability before a run touches AWS: a run whose journal cannot be written
 * would deploy stacks nobody can resume or report on.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OrgConnectError, describeError } from '../errors.js';

export interface DataDirInputs {
  /** The `--data-dir` flag (or the app's equivalent setting). */
  flag?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  homedir?: string;
}

export function defaultDataDir(inputs: Omit<DataDirInputs, 'flag'> = {}): string {
  const env = inputs.env ?? process.env;
  const platform = inputs.platform ?? process.platform;
  const home = inputs.homedir ?? os.homedir();
  // Use the platform's own path rules so a Windows path is built the Windows way even when computed elsewhere.
  const paths = platform === 'win32' ? path.win32 : path.posix;
  if (platform === 'darwin') return paths.join(home, 'Library', 'Application Support', 'orgconnect');
  if (platform === 'win32')
    return paths.join(env['APPDATA'] || paths.join(home, 'AppData', 'Roaming'), 'orgconnect');
  const xdg = env['XDG_CONFIG_HOME'];
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  return paths.join(xdg && paths.isAbsolute(xdg) ? xdg : paths.join(home, '.config'), 'orgconnect');
}

export function resolveDataDir(inputs: DataDirInputs = {}): string {
  const env = inputs.env ?? process.env;
  const chosen = inputs.flag || env['ORGCONNECT_HOME'];
  return chosen ? path.resolve(chosen) : defaultDataDir(inputs);
}

/**
 * Creates the folder if needed and proves it is writable by writing, syncing and removing a probe file.
 * Returns the directory; throws `DATA_DIR_UNWRITABLE` naming it otherwise.
 */
export async function ensureDataDirWritable(dataDir: string): Promise<string> {
  const probe = path.join(dataDir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const handle = await open(probe, 'wx', 0o600);
    try {
      await handle.writeFile('probe');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rm(probe);
    return dataDir;
  } catch (error) {
    await rm(probe, { force: true }).catch(() => undefined);
    throw new OrgConnectError(
      'DATA_DIR_UNWRITABLE',
      `Cannot write to the data directory ${dataDir}: ${describeError(error)}`,
      {
        fix: 'Choose a writable folder with --data-dir (or ORGCONNECT_HOME), or fix the folder permissions.',
        cause: error,
      },
    );
  }
}
