// The journal's companions: the run secrets file (the External ID kept out of the journal) and the data directory.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  defaultDataDir,
  ensureDataDirWritable,
  resolveDataDir,
} from '../../main/core/onboarding/data-dir.js';
import {
  deleteRunSecrets,
  readRunSecrets,
  runSecretsPath,
  writeRunSecrets,
} from '../../main/core/onboarding/run-secrets.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'orgconnect-secrets-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('run secrets', () => {
  test('written 0600 in a 0700 folder, atomically (no temp file left), read back, deleted', async () => {
    await writeRunSecrets(dataDir, 'run-1', { externalId: 'first-value' });
    await writeRunSecrets(dataDir, 'run-1', { externalId: 'second-value' });
    const file = runSecretsPath(dataDir, 'run-1');
    if (process.platform !== 'win32') {
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.equal((await stat(path.dirname(file))).mode & 0o777, 0o700);
    }
    assert.deepEqual(await readdir(path.dirname(file)), ['run-1.json']);
    assert.deepEqual(await readRunSecrets(dataDir, 'run-1'), { externalId: 'second-value' });
    await deleteRunSecrets(dataDir, 'run-1');
    await assert.rejects(readRunSecrets(dataDir, 'run-1'), { code: 'RUN_SECRET_MISSING', message: /run-1/ });
    await deleteRunSecrets(dataDir, 'run-1'); // idempotent
  });

  test('an unreadable secrets file asks for the External ID again', async () => {
    await writeRunSecrets(dataDir, 'run-2', { externalId: 'x1' });
    await writeFile(runSecretsPath(dataDir, 'run-2'), '{"version":1');
    await assert.rejects(readRunSecrets(dataDir, 'run-2'), { code: 'RUN_SECRET_MISSING' });
  });
});

describe('data directory', () => {
  test('--data-dir wins over ORGCONNECT_HOME, which wins over the OS folder', () => {
    const env = { ORGCONNECT_HOME: '/srv/orgconnect', XDG_CONFIG_HOME: '/xdg' };
    assert.equal(
      resolveDataDir({ flag: '/tmp/flag-dir', env, platform: 'linux', homedir: '/home/u' }),
      '/tmp/flag-dir',
    );
    assert.equal(resolveDataDir({ env, platform: 'linux', homedir: '/home/u' }), '/srv/orgconnect');
    assert.equal(
      resolveDataDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', homedir: '/home/u' }),
      '/xdg/orgconnect',
    );
    assert.equal(resolveDataDir({ flag: 'relative/dir', env: {} }), path.resolve('relative/dir'));
  });

  test('OS app-data folders', () => {
    assert.equal(
      defaultDataDir({ env: {}, platform: 'darwin', homedir: '/Users/u' }),
      '/Users/u/Library/Application Support/orgconnect',
    );
    assert.equal(
      defaultDataDir({
        env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
        platform: 'win32',
        homedir: 'C:\\Users\\u',
      }),
      'C:\\Users\\u\\AppData\\Roaming\\orgconnect',
    );
    assert.equal(
      defaultDataDir({ env: {}, platform: 'win32', homedir: 'C:\\Users\\u' }),
      'C:\\Users\\u\\AppData\\Roaming\\orgconnect',
    );
    assert.equal(
      defaultDataDir({ env: {}, platform: 'linux', homedir: '/home/u' }),
      '/home/u/.config/orgconnect',
    );
    // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
    assert.equal(
      defaultDataDir({ env: { XDG_CONFIG_HOME: 'rel' }, platform: 'linux', homedir: '/home/u' }),
      '/home/u/.config/orgconnect',
    );
  });

  test('a writable folder is created and left without the probe file', async () => {
    const dir = path.join(dataDir, 'nested', 'home');
    assert.equal(await ensureDataDirWritable(dir), dir);
    assert.deepEqual(await readdir(dir), []);
  });

  test('an unwritable folder fails with DATA_DIR_UNWRITABLE naming the path', async () => {
    // A regular file where the folder should be: unwritable even for root, on every platform.
    const blocker = path.join(dataDir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const target = path.join(blocker, 'orgconnect');
    await assert.rejects(
      ensureDataDirWritable(target),
      (error: { code?: string; message?: string; fix?: string }) => {
        assert.equal(error.code, 'DATA_DIR_UNWRITABLE');
        assert.ok(error.message?.includes(target));
        assert.match(error.fix ?? '', /--data-dir/);
        return true;
      },
    );
    assert.equal(await readFile(blocker, 'utf8'), 'x');
  });
});
