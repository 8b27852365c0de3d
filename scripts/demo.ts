/**
 * `npm run demo`: try the whole flow without an AWS account. Starts the AWS emulator (moto) with a sample
 * Organization — a few OUs, ~40 accounts, one suspended, one whose access role is missing — writes a sandbox AWS
 * profile pointing at it, and opens orgconnect against it: Electron where it is installed, else `orgconnect serve`.
 * Nothing here can reach real AWS: the profile's endpoint_url is the local emulator.
 * A sandbox platform (test/support/sandbox-platform-server.ts) stands in for CloudZero's link endpoint: the app
 * registers every connection it deploys there, and its Cloud Integrations page lists them, so the demo ends where
 * the platform's own flow ends. Nothing is sent to the real platform.
 * `--check` builds the sandbox, verifies the app answers, deploys with the CLI over the same sandbox and checks
 * that the sandbox platform's page lists every connected account, then exits (used by the test suite).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SandboxPlatform } from '../test/support/sandbox-platform-server.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { ensureElectronBinary } from './install-missing.mjs';
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

/** Electron's binary, downloaded on first use; undefined (said once) where it cannot be downloaded. */
const electronBinary = ensureElectronBinary as () => string | undefined;

/**
 * --check: a deploy over the same sandbox (the CLI shares the app's core and environment), then the sandbox
 * platform's page must list every account the run connected, under Billing or Resource Connections.
 */
async function deployAndCountListed(env: NodeJS.ProcessEnv, platform: SandboxPlatform): Promise<boolean> {
  // Not spawnSync: the sandbox platform answers from this process's event loop.
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin/orgconnect.js'), 'deploy', '--external-id', SANDBOX_EXTERNAL_ID, '--yes', '--json'],
    { env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await new Promise((resolve) => child.once('close', resolve));
  const deploy = { stdout };
  const connected = deploy.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { event: string; state?: string; accountId?: string })
    .filter((line) => line.event === 'account' && line.state === 'connected')
    .map((line) => line.accountId ?? '');
  const page = await (await fetch(platform.pageUrl)).text();
  const listed = connected.filter((id) => page.includes(`data-account-id="${id}"`));
  process.stdout.write(
    `Sandbox platform lists ${listed.length} of ${connected.length} connected accounts at ${platform.pageUrl}\n`,
  );
  return connected.length > 0 && listed.length === connected.length;
}

async function main(): Promise<void> {
  ensureBuilt();
  const sandbox = await startSandbox();
  const { org, platform, noAccessRoleId: noAccessRole, env } = sandbox;
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
        `  Sandbox platform (connections are registered here, not with CloudZero): ${platform.pageUrl}`,
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
          const listed = page.ok ? await deployAndCountListed(env, platform) : false;
          process.exitCode = page.ok && listed ? 0 : 1;
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
