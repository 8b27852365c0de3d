/**
 * What to do about a Region in use that an account cannot use yet (the seeds' callout: STS must be active in the
 * Regions in use). An opt-in Region that is off can be enabled by API from the management account
 * (account:EnableRegion, with trusted access for AWS Account Management for member accounts); a deactivated STS
 * regional endpoint has no API, so the fix is the console path. Used by the plan and by the regions-sts check.
 */
export type RegionProblem = 'not-enabled' | 'disabling' | 'enabling' | 'sts-inactive';

export type RegionFix =
  | { kind: 'api'; action: 'account:EnableRegion'; text: string }
  | { kind: 'console'; text: string }
  | { kind: 'wait'; text: string };

export function enableRegionConsolePath(region: string): string {
  return `AWS console, signed in to the account: Account > AWS Regions > ${region} > Enable`;
}

export function activateStsConsolePath(region: string): string {
  return `IAM console > Account settings > Security Token Service (STS) > Endpoints > ${region} > Activate`;
}

export function fixFor(problem: RegionProblem, region: string): RegionFix {
  switch (problem) {
    case 'not-enabled':
      return {
        kind: 'api',
        action: 'account:EnableRegion',
        text: `orgconnect deploy --regions ${region} --enable-regions enables it (account:EnableRegion from the management account); or ${enableRegionConsolePath(region)}`,
      };
    case 'disabling':
      return {
        kind: 'console',
        text: `wait until AWS has disabled it, then ${enableRegionConsolePath(region)} (or --enable-regions)`,
      };
    case 'enabling':
      return {
        kind: 'wait',
        text: 'wait for AWS to finish enabling the Region (it can take minutes to hours)',
      };
    case 'sts-inactive':
      return { kind: 'console', text: activateStsConsolePath(region) };
  }
}

export function problemFromOptStatus(status: string | undefined): RegionProblem | undefined {
  if (status === 'DISABLED') return 'not-enabled';
  if (status === 'DISABLING') return 'disabling';
  if (status === 'ENABLING') return 'enabling';
  return undefined;
}

/**
 * The Regions every account has and cannot turn off (those AWS launched before March 2019); any other Region is
 * opt-in. Only opt-in Regions in use need an account's Region list read.
 */
const ENABLED_BY_DEFAULT = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
]);

export function isOptInRegion(region: string): boolean {
  return !ENABLED_BY_DEFAULT.has(region);
}
