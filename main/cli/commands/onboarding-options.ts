import { Option, type Command } from 'commander';
import type { OnboardingRequest } from '../../core/onboarding/onboarding.js';
import { OrgConnectError } from '../../core/errors.js';

export interface OnboardingFlags {
  profile?: string;
  externalId?: string;
  platform: 'cloudzero' | 'custom';
  /** Repeatable: every account the platform role trusts (custom platforms). */
  platformAccount?: string[];
  /** Repeatable: the managed policies a custom platform's role carries. */
  managedPolicy?: string[];
  select: string;
  exclude?: string;
  accessRole?: string;
  access: 'access-role' | 'identity-center';
  ssoRole?: string;
  roleName?: string;
  rolePath?: string;
  mode: 'stacks' | 'stacksets';
  namePrefix?: string;
  /** A bucket name; false with --no-cur-bucket; absent: the bucket of a usable report found in the account. */
  curBucket?: string | false;
  /** --create-cur: offer a CUR 2.0 Data Export (into --cur-bucket, or a new bucket) when no report is usable. */
  createCur?: boolean;
  /** --regions a,b: Regions in use besides the stacks' Region, checked in every selected account. */
  regions?: string;
  /** --enable-regions: enable the opt-in Regions in use that are off (account:EnableRegion), shown first. */
  enableRegions?: boolean;
  dataDir?: string;
  json?: boolean;
  platformUrl?: string;
  /** false with --no-register. */
  register?: boolean;
  wide?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The flags `plan` and `deploy` share (README, "CLI"). */
export function addOnboardingOptions(command: Command): Command {
  return command
    .option('--profile <name>', 'management account profile (default: AWS_PROFILE or "default")')
    .option('--external-id <id>', 'the External ID the platform shows (or ORGCONNECT_EXTERNAL_ID)')
    .addOption(
      new Option('--platform <id>', 'the platform profile: its trusted accounts, role path and permissions')
        .choices(['cloudzero', 'custom'])
        .default('cloudzero'),
    )
    .option(
      '--platform-account <id>',
      'with --platform custom: an AWS account the role trusts (repeat for several)',
      collect,
    )
    .option(
      '--managed-policy <arn>',
      'with --platform custom: a managed policy the role carries (repeat; default: the four AWS read-only ones)',
      collect,
    )
    .option(
      '--select <what>',
      'all | <id,id,…> | ou:<ou-id>[,ou:<ou-id>] (OUs include their children)',
      'all',
    )
    .option('--exclude <ids>', 'account ids to leave out')
    .option(
      '--access-role <name>',
      'role assumed from the management account in each member',
      'OrganizationAccountAccessRole',
    )
    .addOption(
      new Option('--access <mode>', 'how member accounts are reached')
        .choices(['access-role', 'identity-center'])
        .default('access-role'),
    )
    .option(
      '--sso-role <permission-set>',
      'with --access identity-center: the permission set to use in each account',
    )
    .option('--role-name <name>', 'name of the platform role the stacks create (default per stack kind)')
    .option(
      '--role-path <path>',
      "IAM path of the platform role (default: the profile's; CloudZero: /cloudzero/)",
    )
    .addOption(
      new Option('--mode <mode>', 'one stack per account, or a service-managed StackSet')
        .choices(['stacks', 'stacksets'])
        .default('stacks'),
    )
    .option('--name-prefix <prefix>', 'prefix for connection names')
    .option(
      '--cur-bucket <bucket>',
      'S3 bucket of the Cost and Usage Report the Billing role may read (default: that of a usable report found)',
    )
    .option(
      '--create-cur',
      'when no usable Cost and Usage Report exists, create a CUR 2.0 Data Export (into --cur-bucket, or a new bucket); shown in the plan first',
    )
    .option(
      '--regions <list>',
      "Regions in use besides the stacks' Region (comma-separated): the plan lists accounts where one is not enabled",
    )
    .option(
      '--enable-regions',
      'enable the opt-in Regions in use that are off (account:EnableRegion from the management account); shown in the plan first',
    )
    .option('--no-cur-bucket', 'let the Billing role read no CUR bucket (and do not look for a report)')
    .option(
      '--platform-url <url>',
      "the platform's link endpoint connections are registered with (or ORGCONNECT_PLATFORM_URL; default CloudZero's)",
    )
    .option('--no-register', 'deploy the roles but do not register them with the platform')
    .option('--data-dir <dir>', 'where runs are journaled (default: ORGCONNECT_HOME or the app-data folder)')
    .option('--json', 'machine-readable output (see README)')
    .option(
      '--wide',
      'show the plan table uncut (by default it fits the terminal, cutting long cells with …)',
    );
}

export function onboardingRequest(flags: OnboardingFlags, env: NodeJS.ProcessEnv): OnboardingRequest {
  // From the environment so it need not sit in shell history; never echoed back.
  const externalId = flags.externalId ?? env['ORGCONNECT_EXTERNAL_ID'];
  if (!externalId) {
    throw new OrgConnectError('USAGE_EXTERNAL_ID_MISSING', 'The External ID is required.', {
      fix: 'Pass --external-id (or set ORGCONNECT_EXTERNAL_ID) with the value the platform shows.',
    });
  }
  return {
    externalId,
    select: flags.select,
    mode: flags.mode,
    platform: flags.platform,
    ...(flags.platformAccount ? { platformAccountIds: flags.platformAccount } : {}),
    ...(flags.managedPolicy ? { managedPolicyArns: flags.managedPolicy } : {}),
    ...(flags.exclude ? { exclude: flags.exclude } : {}),
    ...(flags.accessRole ? { accessRoleName: flags.accessRole } : {}),
    accessMode: flags.access,
    ...(flags.ssoRole ? { ssoRoleName: flags.ssoRole } : {}),
    ...(flags.roleName ? { roleName: flags.roleName } : {}),
    ...(flags.rolePath ? { rolePath: flags.rolePath } : {}),
    ...(flags.namePrefix ? { namePrefix: flags.namePrefix } : {}),
    ...(flags.curBucket ? { costAndUsageReportBucket: flags.curBucket } : {}),
    ...(flags.platformUrl ? { platformUrl: flags.platformUrl } : {}),
    ...(flags.register === false ? { register: false } : {}),
  };
}

/** Look for a usable Cost and Usage Report's bucket only when the user named none and did not refuse one. */
export function detectCurBucket(flags: OnboardingFlags): boolean {
  return flags.curBucket === undefined;
}

/** The plan options --create-cur asks for; --create-cur with --no-cur-bucket contradicts itself. */
export function createCurOption(flags: OnboardingFlags): { createCur?: { bucket?: string } } {
  if (!flags.createCur) return {};
  if (flags.curBucket === false) {
    throw new OrgConnectError(
      'USAGE_CREATE_CUR_NO_BUCKET',
      '--create-cur and --no-cur-bucket contradict each other.',
      {
        fix: 'Leave out --no-cur-bucket (the Billing role reads the new report) or --create-cur.',
      },
    );
  }
  return { createCur: typeof flags.curBucket === 'string' ? { bucket: flags.curBucket } : {} };
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The plan options --regions / --enable-regions ask for. */
export function regionOptions(flags: Pick<OnboardingFlags, 'regions' | 'enableRegions'>): {
  regionsInUse?: string[];
  enableRegions?: boolean;
} {
  const regionsInUse = (flags.regions ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const wrong = regionsInUse.find((r) => !REGION.test(r));
  if (wrong !== undefined) {
    throw new OrgConnectError('USAGE_REGION_INVALID', `"${wrong}" is not an AWS Region name.`, {
      fix: 'Pass Region codes such as eu-south-1,ap-east-1 to --regions.',
    });
  }
  return {
    ...(regionsInUse.length ? { regionsInUse } : {}),
    ...(flags.enableRegions ? { enableRegions: true } : {}),
  };
}
