// `npm run demo` builds a real sandbox (moto + a seeded Organization) and serves the app against it; --check
// proves the whole chain answers and then tears it down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

test('npm run demo -- --check starts the sandbox and the app answers', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--check'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stderr, /SANDBOX/);
  assert.match(result.stderr, /41 accounts/);
  assert.match(result.stdout, /Sandbox ready/);
});
