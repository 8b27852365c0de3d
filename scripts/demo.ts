/**
 * `npm run demo`: try the whole flow without an AWS account. Starts the AWS emulator (moto) with a sample
 * Organization — a few OUs, ~40 accounts, one suspended, one whose access role is missing — writes a sandbox AWS
 * profile pointing at it, and opens orgconnect against it: Electron where it is installed, else `orgconnect serve`.
 * Nothing here can reach real AWS: the profile's endpoint_url is the local emulator.
 * `--check` builds the sandbox, verifies the app answers, and exits (used by the test suite).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SANDBOX_EXTERNAL_ID, SANDBOX_PROFILE, startSandbox } from './sandbox.js';

const root = path.resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');

function ensureBuilt(): void {
  if (!existsSync(path.join(root, '.venv/bin/moto_server'))) {
    spawnSync('bash', ['scripts/setup-moto.sh'], { cwd: root, stdio: 'inherit' });
  }
  if (!check || !existsSync(path.join(root, 'dist/renderer/index.html'))) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
}

function electronBinary(): string | undefined {
  try {
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  ensureBuilt();
  const sandbox = await startSandbox();
  const { org, noAccessRoleId: noAccessRole, env } = sandbox;
  try {
    process.stderr.write(
      [
        '',
        '  ┌──────────────────────────── SANDBOX ────────────────────────────┐',
        '  │ A local AWS emulator, not AWS. Nothing you do here touches AWS. │',
        '  └─────────────────────────────────────────────────────────────────┘',
        `  Organization ${org.organizationId}: ${org.accounts.length} accounts, ${org.ous.length} OUs`,
        `  Profile to choose: ${SANDBOX_PROFILE}   External ID to try: ${SANDBOX_EXTERNAL_ID}`,
        `  Suspended account: ${org.suspendedIds.join(', ') || '-'}   Access role missing in: ${noAccessRole ?? '-'}`,
        '',
      ].join('\n') + '\n',
    );
    const electron = check ? undefined : electronBinary();
    const child = electron
      ? spawn(electron, [root], { env, stdio: 'inherit' })
      : spawn(
          process.execPath,
          [path.join(root, 'bin/orgconnect.js'), 'serve', ...(check ? [] : ['--open'])],
          {
            env,
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
    if (!electron && child.stdout) {
      let printed = '';
      child.stdout.on('data', async (chunk: Buffer) => {
        process.stdout.write(chunk);
        printed += chunk.toString();
        const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(printed)?.[1];
        if (check && url) {
          printed = '';
          const page = await fetch(url);
          process.stdout.write(
            page.ok
              ? 'Sandbox ready: the app answered with its page.\n'
              : `Sandbox check failed: ${page.status}\n`,
          );
          process.exitCode = page.ok ? 0 : 1;
          child.kill('SIGINT');
        }
      });
    }
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
    await new Promise((resolve) => child.once('exit', resolve));
  } finally {
    await sandbox.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
