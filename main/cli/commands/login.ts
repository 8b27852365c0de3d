import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../output.js';
import { serviceForCli } from '../service-for-cli.js';
import { requireProfile } from './common.js';

export function registerLoginCommand(program: Command, context: CliContext): void {
  program
    .command('login')
    .description('Sign in to IAM Identity Center for an SSO profile (the AWS CLI uses the same token cache).')
    .option('--profile <name>', 'AWS profile (default: AWS_PROFILE or "default")')
    .option('--device-code', 'use the device-code flow (for a browser on another machine)')
    .option('--no-browser', 'print the sign-in URL without opening a browser')
    .option('--json', 'print JSON (see README)')
    .action(async (options: { profile?: string; deviceCode?: boolean; browser: boolean; json?: boolean }) => {
      const { io } = context;
      const service = serviceForCli(context, { openBrowser: options.browser });
      const result = await service.login(requireProfile(options, context), {
        deviceCode: options.deviceCode === true,
        onPrompt: (prompt) => {
          io.stderr(`Sign in to IAM Identity Center in your browser:\n  ${prompt.url}\n`);
          if (prompt.userCode) io.stderr(`and confirm that it shows the code: ${prompt.userCode}\n`);
          io.stderr('Waiting for you to approve…\n');
        },
      });
      if (options.json) {
        printJson(io, result);
        return;
      }
      io.stdout(`Signed in for profile ${result.profile}; the session is valid until ${result.expiresAt}.\n`);
    });
}
