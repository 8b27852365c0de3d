/**
 * `custom`: a platform orgconnect has no profile for (an in-house tool, another vendor). The user names the AWS
 * accounts the role trusts, may choose the role's name and path and its managed policies, and nothing is
 * registered anywhere. The inline read statements are CloudZero's (a broad, read-only cost set), so the
 * profile's version follows theirs.
 */
import { CLOUDZERO_PROFILE } from './cloudzero-profile.js';
import type { PlatformProfile } from './platform-profile.js';

export interface CustomPlatformOptions {
  /** The AWS accounts the role trusts (one or more). */
  accountIds: readonly string[];
  /** Default: the same AWS managed read-only policies as CloudZero's. */
  managedPolicyArns?: readonly string[] | undefined;
}

export function customProfile(options: CustomPlatformOptions): PlatformProfile {
  return {
    id: 'custom',
    name: 'Custom platform',
    version: CLOUDZERO_PROFILE.version,
    trustedAccountIds: [...new Set(options.accountIds)],
    rolePath: '/',
    fixedRolePath: false,
    roleNames: CLOUDZERO_PROFILE.roleNames,
    managedPolicyArns:
      options.managedPolicyArns === undefined || options.managedPolicyArns.length === 0
        ? CLOUDZERO_PROFILE.managedPolicyArns
        : [...new Set(options.managedPolicyArns)],
    statements: CLOUDZERO_PROFILE.statements,
    costAndUsageReportBucketActions: CLOUDZERO_PROFILE.costAndUsageReportBucketActions,
  };
}
