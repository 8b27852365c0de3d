// The CLI in a real pseudo-terminal (util-linux `script`, 100 columns) against moto with a 40-account
// Organization: `deploy` draws one live progress line (counts, elapsed, ETA) instead of a line per state change,
// its plan table fits the terminal, and it ends with the summary; `health` with one problem shared by all 40
// connections prints that problem once, with the accounts and the fix — the table only with --wide.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import { stripVTControlCharacters } from 'node:util';
import { DetachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { assertBuilt, ORGCONNECT_BIN } from '../support/run-cli.js';

const COLUMNS = 100;
const EXTERNAL_ID = 'cz-terminal-external-id-51f0';
const VIEW_ONLY = 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess';

/** Runs orgconnect with stdin, stdout and stderr on one pty; returns everything the terminal received. */
function inTerminal(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; screen: string }> {
  assertBuilt();
  const quoted = [process.execPath, ORGCONNECT_BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`);
  const command = `stty cols ${COLUMNS} rows 40; exec ${quoted.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      env: { ...env, TERM: 'xterm-256color' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, screen });
    });
    child.stdin.end();
  });
}

/** What a person reads after the terminal applied the redraws: text lines without escape sequences. */
function plainLines(screen: string): string[] {
  return stripVTControlCharacters(screen.replace(/\r(?!\n)/g, '\n'))
    .split(/\r?\n/)
    .map((line) => line.trimEnd());
}

describe('orgconnect in a terminal', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    moto = await startMoto();
    // 39 members + the management account: 40 connections.
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 39, depth: 2, seed: 14 });
    env = {
      ...writeTestAwsConfig(moto.url).env,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-tty-')),
    };
  });
  after(async () => moto?.stop());

  test('deploy: one live progress line, no line per account, a plan that fits, then the summary', async () => {
    const { code, screen } = await inTerminal(
      ['deploy', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--yes', '--concurrency', '4'],
      env,
    );
    assert.equal(code, 0, screen.slice(-3000));
    // The line is redrawn in place: log-update erases it (ESC[2K / ESC[1A …) before each new frame.
    assert.match(screen, /\x1b\[2K/);
    const frames = screen.match(/Deploying \d+\/40 · [^\r\n\x1b]*ETA [^\r\n\x1b]*/g) ?? [];
    assert.ok(frames.length >= 2, `live frames: ${frames.length}`);
    assert.match(frames.at(-1) ?? '', /elapsed/);
    const lines = plainLines(screen);
    assert.equal(
      lines.filter((l) => /^\d{12}\s+(billing|resource)\s+(deploying|connected)/.test(l)).length,
      0,
      'no per-account lines for accounts that went well',
    );
    const header = lines.findIndex((l) => /^ACCOUNT\s+NAME\s+KIND/.test(l));
    assert.ok(header >= 0, 'the plan table');
    const table = lines.slice(header, lines.indexOf('', header));
    assert.equal(table.length, 2 + 40, 'header, rule and one row per account');
    // Prose may wrap; the table may not.
    for (const line of table) assert.ok(stringWidth(line) <= COLUMNS, `wider than the terminal: ${line}`);
    assert.ok(
      lines.some((l) => /: 40 connected, 0 already connected, 0 failed/.test(l)),
      'the summary',
    );
  });

  test('health: a problem shared by all 40 connections is printed once, with the accounts and the fix', async () => {
    for (const account of seeded.accounts) {
      const kind = account.id === seeded.managementAccountId ? 'billing' : 'resource';
      const credentials =
        account.id === seeded.managementAccountId
          ? MOTO_DEFAULT_CREDENTIALS
          : await assumeRoleCredentials(
              moto.url,
              `arn:aws:iam::${account.id}:role/OrganizationAccountAccessRole`,
            );
      const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials });
      await iam.send(
        new DetachRolePolicyCommand({ RoleName: `orgconnect-platform-${kind}`, PolicyArn: VIEW_ONLY }),
      );
    }
    const { code, screen } = await inTerminal(['health', '--profile', 'emulator'], env);
    assert.equal(code, 3, screen.slice(-3000));
    // While the checks run, one live line on stderr says how far they are; it is erased before the report.
    const all = plainLines(screen).filter((l) => l !== '');
    assert.ok(
      all.some((l) => /^Checking: \d+ checked · \d+:\d\d elapsed$/.test(l)),
      'the live progress line',
    );
    const lines = all.filter((l) => !/ · \d+:\d\d elapsed$/.test(l));
    assert.match(lines[0] ?? '', /^0\/40 healthy, 0 degraded, 40 unhealthy, 0 unknown\.$/);
    const headline = lines.filter((l) => /^role-policies fails in 40 connections: /.test(l));
    assert.equal(headline.length, 1, lines.join('\n'));
    assert.match(headline[0] ?? '', /ViewOnlyAccess/);
    // The group's lines: the accounts, then its fix, printed once (other groups, such as the platform-registration
    // warning of connections never registered, have their own).
    const at = lines.indexOf(headline[0] ?? '');
    assert.match(lines[at + 2] ?? '', /^ {2}Fix: /);
    assert.equal(lines.filter((l) => l === lines[at + 2]).length, 1, 'the fix once');
    assert.ok(lines.some((l) => /^ {2}Accounts: \d{12}, .* and 32 more \(--wide lists all\)$/.test(l)));
    assert.equal(lines.filter((l) => /^ACCOUNT\s+CONNECTION/.test(l)).length, 0, 'no table without --wide');

    const wide = await inTerminal(['health', '--profile', 'emulator', '--wide'], env);
    const wideLines = plainLines(wide.screen);
    assert.ok(wideLines.some((l) => /^ACCOUNT\s+CONNECTION\s+KIND\s+HEALTH\s+PLATFORM\s+PROBLEMS$/.test(l)));
    for (const account of seeded.accounts) assert.ok(wide.screen.includes(account.id));
  });
});
