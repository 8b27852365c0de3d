import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadLocalAwsConfig, watchAwsConfig } from '../../main/core/aws/config/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test('a config created in a directory that did not exist, then edited, is picked up', async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'aws-config-watch-'));
  const env = { HOME: home }; // ~/.aws does not exist yet
  let changes = 0;
  const stop = watchAwsConfig({ env, onChange: () => changes++, debounceMs: 100 });
  try {
    await sleep(50);
    mkdirSync(path.join(home, '.aws'));
    writeFileSync(path.join(home, '.aws', 'config'), '[profile first]\nregion = eu-west-1\n');
    await waitFor(() => changes > 0, 'the new file');
    assert.deepEqual(
      (await loadLocalAwsConfig({ env })).profiles.map((p) => [p.name, p.region]),
      [['first', 'eu-west-1']],
    );

    // Editors save by writing a temporary file and renaming it over the original.
    await sleep(250);
    const before = changes;
    const temporary = path.join(home, '.aws', '.config.swp');
    writeFileSync(temporary, '[profile first]\nregion = ap-northeast-1\n');
    renameSync(temporary, path.join(home, '.aws', 'config'));
    await waitFor(() => changes > before, 'the replaced file');
    assert.deepEqual(
      (await loadLocalAwsConfig({ env })).profiles.map((p) => [p.name, p.region]),
      [['first', 'ap-northeast-1']],
    );
  } finally {
    stop();
  }
});

test('a burst of writes is one change; other files in the directory and writes after stop() are not', async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'aws-config-watch-'));
  mkdirSync(path.join(home, '.aws'));
  const credentials = path.join(home, '.aws', 'credentials');
  let changes = 0;
  const stop = watchAwsConfig({ env: { HOME: home }, onChange: () => changes++, debounceMs: 300 });
  await sleep(50);

  for (let i = 0; i < 5; i++)
    writeFileSync(credentials, `[p${i}]\naws_access_key_id = A\naws_secret_access_key = B\n`);
  await waitFor(() => changes > 0, 'the credentials change');
  await sleep(500);
  assert.equal(changes, 1);

  writeFileSync(path.join(home, '.aws', 'unrelated.txt'), 'x');
  await sleep(500);
  assert.equal(changes, 1);

  stop();
  writeFileSync(credentials, '[later]\naws_access_key_id = A\naws_secret_access_key = B\n');
  await sleep(500);
  assert.equal(changes, 1);
});

test('AWS_CONFIG_FILE in another directory is watched there', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aws-config-watch-'));
  const env = { HOME: path.join(dir, 'home'), AWS_CONFIG_FILE: path.join(dir, 'custom', 'my-config') };
  let changes = 0;
  const stop = watchAwsConfig({ env, onChange: () => changes++, debounceMs: 50 });
  try {
    await sleep(50);
    mkdirSync(path.join(dir, 'custom'));
    writeFileSync(env.AWS_CONFIG_FILE, '[default]\nregion = eu-north-1\n');
    await waitFor(() => changes > 0, 'the custom config file');
  } finally {
    stop();
  }
});
