import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { serviceForCli } from '../service-for-cli.js';
import { requireProfile } from './common.js';
import { progressDots } from './plan.js';
import { OrgConnectError } from '../../core/errors.js';
import { driveRun } from '../drive-run.js';
import { deregisterFor, deregisterNothing } from '../deregister-wiring.js';
import { printDisconnectPlan } from '../disconnect-output.js';

interface DisconnectFlags {
  profile?: string;
  externalId?: string;
  platformAccount: string;
  select: string;
  exclude?: string;
  accessRole?: string;
  keepStacks?: boolean;
  platformUrl?: string;
  concurrency: string;
  dataDir?: string;
  yes?: boolean;
  json?: boolean;
}

export function registerDisconnectCommand(program: Command, context: CliContext): void {
  program
    .command('disconnect')
    .description(
      'Disconnect accounts: delete their orgconnect stacks (Resource first, Billing last) and deregister them from the platform. Shows the plan and asks first.',
    )
    .option('--profile <name>', 'management account profile (default: AWS_PROFILE or "default")')
    .option(
      '--external-id <id>',
      'the External ID the accounts were connected with (or ORGCONNECT_EXTERNAL_ID)',
    )
    .option('--platform-account <id>', "the platform's AWS account id", '061190967865')
    .option(
      '--select <spec>',
      'all | <id,id,…> | ou:<ou-id>[,ou:<ou-id>] (OUs include their children)',
      'all',
    )
    .option('--exclude <ids>', 'account ids to leave out')
    .option('--access-role <name>', 'role assumed in member accounts', 'OrganizationAccountAccessRole')
    .option('--keep-stacks', 'only deregister from the platform; leave the stacks and roles in place')
    .option('--platform-url <url>', 'where the platform is told of each removed connection')
    .option('--concurrency <n>', 'Resource stacks deleted at once', '8')
    .option('--data-dir <dir>', 'where runs are journaled (default: ORGCONNECT_HOME or the app-data folder)')
    .option('--yes', 'disconnect without asking (the plan is still printed)')
    .option('--json', 'one JSON object per line: the plan, then the run events (see README)')
    .action(async (flags: DisconnectFlags) => {
      const { io } = context;
      const json = flags.json === true;
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
        throw new OrgConnectError('USAGE_CONCURRENCY', '--concurrency must be a whole number from 1 to 64.');
      }
      const externalId = flags.externalId ?? context.env['ORGCONNECT_EXTERNAL_ID'];
      if (!externalId) {
        throw new OrgConnectError('USAGE_EXTERNAL_ID_REQUIRED', 'disconnect needs the External ID.', {
          fix: 'Pass --external-id (or set ORGCONNECT_EXTERNAL_ID) with the External ID the accounts were connected with.',
        });
      }
      // The environment forms stand in for the flag, as for deploy (README, "Registration").
      const platformUrl = flags.platformUrl ?? context.env['ORGCONNECT_PLATFORM_URL'];
      const registrationOff = context.env['ORGCONNECT_NO_REGISTER'] === '1';
      const request = {
        externalId,
        platformAccountId: flags.platformAccount,
        select: flags.select,
        ...(flags.exclude === undefined ? {} : { exclude: flags.exclude }),
        ...(flags.accessRole === undefined ? {} : { accessRoleName: flags.accessRole }),
        keepStacks: flags.keepStacks === true,
        ...(platformUrl === undefined ? {} : { platformUrl }),
      };
      const profile = requireProfile(flags, context);
      const service = serviceForCli(context, { dataDir: flags.dataDir });
      const planned = await service.planDisconnect(profile, request, {
        onPreflight: progressDots(context, json),
      });
      if (io.isInteractive) io.stderr('\r\x1b[K');
      printDisconnectPlan(io, planned, json);
      const { counts } = planned.plan;
      if (counts.delete + counts.deregister === 0 && counts.blocked === 0) {
        if (!json) io.stdout('Nothing to disconnect: no selected account has an orgconnect connection.\n');
        return;
      }
      if (!flags.yes) {
        if (!io.prompt) {
          throw new OrgConnectError(
            'USAGE_CONFIRMATION_REQUIRED',
            'disconnect asks before deleting anything, but there is no terminal to ask on.',
            { fix: 'Review the plan and pass --yes.' },
          );
        }
        const question = request.keepStacks
          ? `Deregister ${counts.deregister} connection(s) and keep their stacks? [y/N] `
          : `Delete ${counts.delete} stack(s) with their roles and deregister them? [y/N] `;
        const answer = await io.prompt(question);
        if (!/^y(es)?$/i.test(answer.trim())) {
          io.stderr('Nothing was disconnected.\n');
          return;
        }
      }
      const run = await service.createDisconnectRun(profile, request, planned, {
        concurrency,
        deregisterFor: registrationOff ? deregisterNothing : deregisterFor,
      });
      context.exitCode = await driveRun(context, run, { json, resumed: false, mode: 'start' });
    });
}
