// credential_process is split and run as the AWS CLI does: botocore's own compat_shell_split (from the pinned
// PyPI botocore in .venv) is the reference for every case, on POSIX and Windows rules, and the real provider runs
// the program without a shell, so backticks, $VARS, ; and | reach it as plain characters.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { credentialProviderFor } from '../../main/core/aws/config/index.js';
import { splitCredentialProcess } from '../../main/core/aws/config/credential-process.js';
import { OrgConnectError } from '../../main/core/errors.js';

const PYTHON = path.resolve(import.meta.dirname, '../../.venv/bin/python');
const ARGV_SCRIPT = path.resolve(import.meta.dirname, '../fixtures/aws-config/print-argv-credentials.mjs');

/** Argument strings as they would follow the program in a config file. */
const CASES = [
  'plain words here',
  '"double quoted" \'single quoted\'',
  'with\\ escaped\\ spaces',
  '"quote \\" inside" \'no \\ escape in single\'',
  '`whoami` $(id) $HOME ${USER}',
  '"$HOME in double" \'$HOME in single\'',
  'a;b c|d e&&f > out.txt',
  'tabs\tand   many   spaces',
  '"" empty \'\' args',
  'C:\\Users\\me\\tool.exe --flag "C:\\Program Files\\x"',
  'back\\\\slashes\\\\" "end',
  'ünïcödé "ça va" 日本',
  'mixed"quo"ted\'parts\'',
  '--json={"a": 1}',
  '# not a comment',
];
const UNCLOSED = ['"never closed', "it's"];

interface BotocoreSplit {
  posix: string[] | null;
  windows: string[] | null;
}

/** botocore.compat.compat_shell_split under both platforms; null where botocore raises (unclosed quote). */
function botocoreSplits(inputs: string[]): BotocoreSplit[] {
  const program = [
    'import json, sys',
    'from botocore.compat import compat_shell_split',
    'def split(s, platform):',
    '    try:',
    '        return compat_shell_split(s, platform)',
    '    except ValueError:',
    '        return None',
    'print(json.dumps([{"posix": split(s, "linux"), "windows": split(s, "win32")} for s in json.load(sys.stdin)]))',
  ].join('\n');
  const result = spawnSync(PYTHON, ['-c', program], { input: JSON.stringify(inputs), encoding: 'utf8' });
  assert.equal(result.status, 0, `botocore is the reference (test/requirements.txt): ${result.stderr}`);
  return JSON.parse(result.stdout) as BotocoreSplit[];
}

function ourSplit(input: string, platform: NodeJS.Platform): string[] | null {
  try {
    return splitCredentialProcess(input, platform);
  } catch {
    return null;
  }
}

describe('credential_process splitting matches botocore', () => {
  test('botocore from the test venv is the reference', () => {
    assert.ok(existsSync(PYTHON), `${PYTHON} is missing: run scripts/setup-moto.sh`);
    const version = spawnSync(PYTHON, ['-c', 'import botocore; print(botocore.__version__)'], {
      encoding: 'utf8',
    });
    assert.equal(version.stdout.trim(), '1.44.8');
  });

  const inputs = [...CASES, ...UNCLOSED].map((args) => `tool ${args}`);
  for (const platform of ['linux', 'win32'] as const) {
    test(`quotes, spaces, backticks and $ split as botocore splits them (${platform} rules)`, () => {
      const reference = botocoreSplits(inputs);
      for (const [index, input] of inputs.entries()) {
        const expected = platform === 'win32' ? reference[index]?.windows : reference[index]?.posix;
        assert.deepEqual(ourSplit(input, platform), expected, input);
      }
      // The unclosed quotes are errors in POSIX rules (the test would pass vacuously if every case agreed on []).
      if (platform === 'linux')
        for (const input of UNCLOSED) assert.equal(ourSplit(`tool ${input}`, platform), null);
    });
  }
});

describe('the provider runs the split command without a shell', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'credential-process-'));
  const configFile = path.join(work, 'config');
  const marker = path.join(work, 'shell-ran');
  const env: NodeJS.ProcessEnv = {
    HOME: work,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'credentials'),
    PATH: process.env['PATH'],
  };
  const saved = { ...process.env };
  before(() => {
    mkdirSync(path.join(work, '.aws'), { recursive: true });
    writeFileSync(env['AWS_SHARED_CREDENTIALS_FILE'] ?? '', '');
  });
  after(() => {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  test('each argument reaches the program exactly as botocore split it; nothing is expanded or run', async () => {
    const args = `\`touch ${marker}\` $(touch ${marker}) "$HOME" '\${HOME}' && touch ${marker} | "two words"`;
    const command = `"${process.execPath}" "${ARGV_SCRIPT}" ${args}`;
    writeFileSync(configFile, `[profile argv]\ncredential_process = ${command}\n`);
    const credentials = await credentialProviderFor('argv', { env })();
    assert.equal(credentials.accessKeyId, 'AKIAARGVEXAMPLE00001');
    const received = JSON.parse(credentials.sessionToken ?? '[]') as string[];
    const expected = botocoreSplits([command])[0]?.posix?.slice(2);
    assert.deepEqual(received, expected);
    assert.ok(received.includes('$HOME') && received.includes('&&') && received.includes('two words'));
    assert.deepEqual(
      readdirSync(work).filter((name) => name === 'shell-ran'),
      [],
    );
  });

  test('an unclosed quote is CREDENTIALS_UNAVAILABLE naming the profile, not the command', async () => {
    writeFileSync(configFile, `[profile open-quote]\ncredential_process = tool "secret-arg\n`);
    await assert.rejects(credentialProviderFor('open-quote', { env })(), (error: unknown) => {
      assert.ok(error instanceof OrgConnectError);
      assert.equal(error.code, 'CREDENTIALS_UNAVAILABLE');
      assert.match(error.message, /open-quote/);
      assert.ok(!error.message.includes('secret-arg'));
      return true;
    });
  });

  test('a program that does not exist is reported, not run through a shell', async () => {
    writeFileSync(configFile, `[profile missing]\ncredential_process = /no/such/program --x\n`);
    await assert.rejects(credentialProviderFor('missing', { env })(), (error: unknown) => {
      assert.ok(error instanceof OrgConnectError);
      assert.equal(error.code, 'CREDENTIALS_UNAVAILABLE');
      assert.match(error.message, /could not start \/no\/such\/program: ENOENT/);
      return true;
    });
  });
});
