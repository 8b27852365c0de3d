// `npm start` / `npm test` run `npm ci` only when node_modules does not match the lockfile
// (scripts/install-missing.mjs compares package-lock.json with npm's record in node_modules/.package-lock.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error: a plain .mjs script without type declarations
import { dependenciesOutOfDate } from '../../scripts/install-missing.mjs';

const outOfDate = dependenciesOutOfDate as (base: string) => string | undefined;

const LOCK = {
  lockfileVersion: 3,
  packages: {
    '': { name: 'app' },
    'node_modules/zod': { version: '4.6.7' },
    'node_modules/a/node_modules/b': { version: '1.0.0', dev: true },
    'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', optional: true },
  },
};

function checkout(installed?: Record<string, { version: string }>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'orgconnect-install-missing-'));
  writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(LOCK));
  if (installed) {
    mkdirSync(path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'node_modules/.package-lock.json'), JSON.stringify({ packages: installed }));
  }
  return dir;
}

test('no node_modules: install', () => {
  const dir = checkout();
  try {
    assert.equal(outOfDate(dir), 'node_modules is not installed');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('every locked package at its version: nothing to do, optional ones for other platforms may be absent', () => {
  const dir = checkout({
    'node_modules/zod': { version: '4.6.7' },
    'node_modules/a/node_modules/b': { version: '1.0.0' },
  });
  try {
    assert.equal(outOfDate(dir), undefined);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a package at another version, or missing: install, naming it', () => {
  const older = checkout({
    'node_modules/zod': { version: '4.6.6' },
    'node_modules/a/node_modules/b': { version: '1.0.0' },
  });
  const missing = checkout({ 'node_modules/zod': { version: '4.6.7' } });
  try {
    assert.equal(outOfDate(older), 'zod is 4.6.6, the lockfile wants 4.6.7');
    assert.equal(outOfDate(missing), 'a/node_modules/b is missing, the lockfile wants 1.0.0');
  } finally {
    rmSync(older, { recursive: true });
    rmSync(missing, { recursive: true });
  }
});
