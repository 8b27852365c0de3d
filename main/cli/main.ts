/**
 * The `orgconnect` command line. Every command runs over the same Electron-free core as the desktop app.
 * Contract (README "CLI"): results on stdout (stable JSON with --json), progress and errors on stderr,
 * exit 0 ok, 1 usage error, 2 AWS or configuration error, 3 some accounts failed / not healthy.
 */
import { Command, CommanderError } from 'commander';
import { createInterface } from 'node:readline/promises';
import { toPersonError, oneLine } from '../core/person-error.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './output.js';
import type { CliContext } from './cli-context.js';
import { registerCommands } from './commands/index.js';

export function nodeIo(): CliIo {
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isInteractive: interactive,
    ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    prompt: interactive
      ? async (question) => {
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await rl.question(question);
          } finally {
            rl.close();
          }
        }
      : undefined,
  };
}

export async function runCli(
  argv: readonly string[],
  io: CliIo = nodeIo(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const context: CliContext = { io, env, exitCode: ExitCode.ok };
  const program = new Command('orgconnect')
    .description('Connect a whole AWS Organization to the cost platform.')
    .version(packageVersion(), '-v, --version')
    .showHelpAfterError('(run "orgconnect --help" for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerCommands(program, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander but successes to the user.
      if (error.exitCode === 0) return ExitCode.ok;
      return ExitCode.usage;
    }
    const person = toPersonError(error, { profile: profileNamed(argv, env) });
    io.stderr(`orgconnect: ${oneLine(person)}\n`);
    if (person.code.startsWith('USAGE_')) return ExitCode.usage;
    if (person.details !== undefined) io.stderr(`Details for a bug report:\n${person.details}\n`);
    else if (env['ORGCONNECT_DEBUG'] && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return ExitCode.awsOrConfig;
  }
}

/** The profile the command ran with, for errors that did not record one. */
function profileNamed(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const index = argv.indexOf('--profile');
  const inline = argv.find((arg) => arg.startsWith('--profile='));
  return (
    (index >= 0 ? argv[index + 1] : undefined) ??
    inline?.slice('--profile='.length) ??
    env['AWS_PROFILE'] ??
    'default'
  );
}

function packageVersion(): string {
  return process.env['npm_package_version'] ?? '0.1.0';
}
