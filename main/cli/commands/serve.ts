import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { OrgConnectError } from '../../core/errors.js';
import { serviceForCli } from '../service-for-cli.js';
import { openSecretUrlInBrowser, type OpenedRedirect } from '../open-browser.js';
import { startBrowserHost } from '../../serve/browser-host.js';
import { createMfaPrompts } from '../../host/mfa-prompts.js';

export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description(
      'Run the wizard in your browser: a local web server on 127.0.0.1, guarded by a per-launch token.',
    )
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', '0')
    .option('--open', 'open the URL in the default browser')
    .option('--data-dir <dir>', 'where runs are journaled (default: ORGCONNECT_HOME or the app-data folder)')
    .action(async (flags: { port: string; open?: boolean; dataDir?: string }) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new OrgConnectError('USAGE_PORT', '--port must be a whole number from 0 to 65535.');
      }
      // The page, not this terminal, is where the person is: MFA codes are asked for there.
      const mfa = createMfaPrompts();
      const host = await startBrowserHost({
        port,
        service: serviceForCli(context, {
          dataDir: flags.dataDir,
          mfaCodeProvider: (serial) => mfa.ask(serial),
        }),
        mfa,
      });
      // The token is the only secret of this host; it goes to stdout for the person who started it, nowhere else.
      context.io.stdout(`orgconnect is running at ${host.url}\n`);
      context.io.stderr('Press Ctrl-C to stop. Deploys in flight stop cleanly and can be resumed.\n');
      // The token URL goes to the browser through a 0600 file, never on its command line (see open-browser.ts).
      const opened: OpenedRedirect | undefined = flags.open
        ? await openSecretUrlInBrowser(host.url)
        : undefined;
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          context.io.stderr('Stopping…\n');
          void Promise.allSettled([host.close(), opened?.remove()]).then(() => resolve());
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
