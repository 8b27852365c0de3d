import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { serviceForCli } from '../service-for-cli.js';
import { requireProfile } from './common.js';
import { driveRun } from '../drive-run.js';
import { OrgConnectError } from '../../core/errors.js';
import { parseRolesCsv } from '../../core/adopt/roles-csv.js';
import type { AdoptRequest } from '../../core/adopt/adopt.js';

interface AdoptFlags {
  profile?: string;
  externalId?: string;
  platform: 'cloudzero' | 'custom';
  platformAccount?: string[];
  managedPolicy?: string[];
  roleName?: string;
  rolePath?: string;
  roles?: string;
  select: string;
  exclude?: string;
  accessRole: string;
  access: 'access-role' | 'identity-center';
  ssoRole?: string;
  curBucket?: string;
  platformUrl?: string;
  register?: boolean;
  concurrency: string;
  dataDir?: string;
  yes?: boolean;
  json?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `orgconnect adopt`: verify roles the customer made, and register those that pass (README, "adopt"). */
export function registerAdoptCommand(program: Command, context: CliContext): void {
  program
    .command('adopt')
    .description('Bring your own roles: verify hand-made platform roles, then record and register them.')
    .option('--profile <name>', 'management account profile (default: AWS_PROFILE or "default")')
    .option('--external-id <id>', 'the External ID the roles trust (or ORGCONNECT_EXTERNAL_ID)')
    .addOption(
      new Option('--platform <id>', 'the platform profile')
        .choices(['cloudzero', 'custom'])
        .default('cloudzero'),
    )
    .option('--platform-account <id>', 'with --platform custom: an account the roles trust (repeat)', collect)
    .option(
      '--managed-policy <arn>',
      'with --platform custom: a managed policy the roles carry (repeat)',
      collect,
    )
    .option('--role-name <name>', 'the role you created, by the same name in every selected account')
    .option('--role-path <path>', "its IAM path (default: the profile's; CloudZero: /cloudzero/)")
    .option('--roles <file.csv>', 'one role per account: account_id,role_arn[,connection_name]')
    .option('--select <what>', 'with --role-name: all | <id,id,…> | ou:<ou-id>', 'all')
    .option('--exclude <ids>', 'with --role-name: account ids to leave out')
    .option(
      '--access-role <name>',
      'role assumed in each member to read its role',
      'OrganizationAccountAccessRole',
    )
    .addOption(
      new Option('--access <mode>', 'how member accounts are reached')
        .choices(['access-role', 'identity-center'])
        .default('access-role'),
    )
    .option('--sso-role <permission-set>', 'with --access identity-center: the permission set to use')
    .option('--cur-bucket <bucket>', 'the CUR bucket the Billing role was given read access to')
    .option('--platform-url <url>', "the platform's link endpoint (or ORGCONNECT_PLATFORM_URL)")
    .option('--no-register', 'verify and record, but do not register with the platform')
    .option('--concurrency <n>', 'accounts verified at once', '8')
    .option('--data-dir <dir>', 'where runs are journaled (default: ORGCONNECT_HOME or the app-data folder)')
    .option('--yes', 'do not ask first')
    .option('--json', 'one JSON event per line, as deploy --json')
    .action(async (flags: AdoptFlags) => {
      const externalId = flags.externalId ?? context.env['ORGCONNECT_EXTERNAL_ID'];
      if (!externalId) {
        throw new OrgConnectError('USAGE_EXTERNAL_ID_MISSING', 'The External ID is required.', {
          fix: 'Pass --external-id (or set ORGCONNECT_EXTERNAL_ID) with the value the platform shows.',
        });
      }
      if ((flags.roleName === undefined) === (flags.roles === undefined)) {
        throw new OrgConnectError(
          'USAGE_ADOPT_ROLES',
          'adopt needs exactly one of --role-name or --roles FILE.csv.',
          {
            fix: 'Name the role created in every account (--role-name, --role-path), or list each in a CSV.',
          },
        );
      }
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
        throw new OrgConnectError('USAGE_CONCURRENCY', '--concurrency must be a whole number from 1 to 64.');
      // The whole file is checked before the Organization is even read.
      const roles =
        flags.roles === undefined ? undefined : parseRolesCsv(await readFile(flags.roles, 'utf8'));
      const request: AdoptRequest = {
        externalId,
        platform: flags.platform,
        select: flags.select,
        accessRoleName: flags.accessRole,
        accessMode: flags.access,
        ...(flags.platformAccount ? { platformAccountIds: flags.platformAccount } : {}),
        ...(flags.managedPolicy ? { managedPolicyArns: flags.managedPolicy } : {}),
        ...(flags.roleName ? { roleName: flags.roleName } : {}),
        ...(flags.rolePath ? { rolePath: flags.rolePath } : {}),
        ...(roles ? { roles } : {}),
        ...(flags.exclude ? { exclude: flags.exclude } : {}),
        ...(flags.ssoRole ? { ssoRoleName: flags.ssoRole } : {}),
        ...(flags.curBucket ? { costAndUsageReportBucket: flags.curBucket } : {}),
        ...(flags.platformUrl ? { platformUrl: flags.platformUrl } : {}),
        ...(flags.register === false ? { register: false } : {}),
      };
      const profile = requireProfile(flags, context);
      const service = serviceForCli(context, { dataDir: flags.dataDir });
      const json = flags.json === true;
      if (!flags.yes) {
        if (!context.io.prompt) {
          throw new OrgConnectError(
            'USAGE_CONFIRMATION_REQUIRED',
            'adopt asks before registering roles with the platform, but there is no terminal to ask on.',
            { fix: 'Pass --yes.' },
          );
        }
        const answer = await context.io.prompt(
          `Verify ${roles ? `${roles.length} roles` : `role ${flags.roleName} in the selected accounts`} and register those that pass? [y/N] `,
        );
        if (!/^y(es)?$/i.test(answer.trim())) {
          context.io.stderr('Nothing was adopted.\n');
          return;
        }
      }
      const run = await service.createAdoptRun(profile, request, { concurrency });
      context.exitCode = await driveRun(context, run, { json, resumed: false, mode: 'start' });
    });
}
