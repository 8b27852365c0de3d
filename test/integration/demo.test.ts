// `npm run demo` builds a real sandbox (moto + a seeded Organization) and serves the app against it; --check
// proves the whole chain answers — including a deploy whose every connected account the sandbox platform's page
// then lists — and tears it down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

test('npm run demo -- --check starts the sandbox, the app answers, and the sandbox platform lists what a deploy connected', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--check'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stderr, /SANDBOX/);
  assert.match(result.stderr, /41 accounts/);
  assert.match(result.stdout, /Sandbox ready/);
  assert.match(
    result.stderr,
    /Sandbox platform \(connections are registered here, not with CloudZero\): http:\/\/127\.0\.0\.1:\d+/,
  );
  const listed = /Sandbox platform lists (\d+) of (\d+) connected accounts/.exec(result.stdout);
  assert.ok(listed, result.stdout);
  assert.equal(listed[1], listed[2]);
  assert.ok(
    Number(listed[2]) >= 38,
    'every account but the suspended one and the one without an access role',
  );
});
