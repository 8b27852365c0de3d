import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../output.js';
import { serviceForCli } from '../service-for-cli.js';
import { requireProfile } from './common.js';

export function registerWhoamiCommand(program: Command, context: CliContext): void {
  program
    .command('whoami')
    .description('Show who a profile is and where it stands in its Organization.')
    .option('--profile <name>', 'AWS profile (default: AWS_PROFILE or "default")')
    .option('--json', 'print JSON (see README)')
    .action(async (options: { profile?: string; json?: boolean }) => {
      const identity = await serviceForCli(context).whoAmI(requireProfile(options, context));
      if (options.json) {
        printJson(context.io, identity);
        return;
      }
      const role = identity.organizationId
        ? identity.isManagementAccount
          ? 'the management account'
          : `a member account (management account: ${identity.managementAccountId})`
        : 'not in an Organization';
      context.io.stdout(
        [
          `Account:      ${identity.accountId}`,
          `Identity:     ${identity.arn}`,
          `Organization: ${identity.organizationId ?? '-'} (features: ${identity.featureSet ?? '-'})`,
          `This is ${role}.`,
          '',
        ].join('\n'),
      );
    });
}
