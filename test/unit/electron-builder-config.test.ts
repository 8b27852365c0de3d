// electron-builder cannot package here (it downloads Electron and installer tools), so the configuration is
// validated against electron-builder's own JSON schema, and the hardening we promise is checked literally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

function loadConfig(): Record<string, unknown> {
  return parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
}

test('electron-builder.yml is valid against electron-builder’s schema', () => {
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const ok = validate(loadConfig());
  assert.equal(ok, true, JSON.stringify(validate.errors, null, 2));
});

test('the schema check can fail: an unknown key is rejected', () => {
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  const validate = new Ajv({ strict: false }).compile(schema);
  assert.equal(validate({ ...loadConfig(), notAnOption: true }), false);
});

test('targets and hardening are the promised ones', () => {
  const config = loadConfig() as {
    asar: boolean;
    mac: { target: { target: string }[] };
    win: { target: { target: string }[] };
    linux: { target: string[] };
    electronFuses: Record<string, boolean>;
  };
  assert.equal(config.asar, true);
  assert.deepEqual(
    config.mac.target.map((t) => t.target),
    ['dmg'],
  );
  assert.deepEqual(
    config.win.target.map((t) => t.target),
    ['nsis'],
  );
  assert.deepEqual([...config.linux.target].sort(), ['AppImage', 'deb']);
  assert.equal(config.electronFuses['runAsNode'], false);
  assert.equal(config.electronFuses['onlyLoadAppFromAsar'], true);
  assert.equal(config.electronFuses['enableCookieEncryption'], true);
});
