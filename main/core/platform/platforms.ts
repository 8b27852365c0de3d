/**
 * From what the user asked for (`--platform`, `--platform-account`, `--managed-policy`, `--role-path`) to a
 * platform choice that can be journaled, and from a choice to its profile.
 */
import { OrgConnectError } from '../errors.js';
import { CLOUDZERO_PROFILE } from './cloudzero-profile.js';
import { customProfile } from './custom-profile.js';
import {
  DEFAULT_PLATFORM_ID,
  managedPolicyArnSchema,
  PLATFORM_IDS,
  type PlatformChoice,
  type PlatformId,
  type PlatformProfile,
} from './platform-profile.js';

export function resolvePlatformProfile(choice: PlatformChoice): PlatformProfile {
  if (choice.id === 'cloudzero') return CLOUDZERO_PROFILE;
  return customProfile({ accountIds: choice.accountIds, managedPolicyArns: choice.managedPolicyArns });
}

export interface PlatformRequest {
  platform?: string | undefined;
  /** The accounts the role trusts; only for `custom` (for `cloudzero`, only its own accounts are accepted). */
  platformAccountIds?: readonly string[] | undefined;
  managedPolicyArns?: readonly string[] | undefined;
  rolePath?: string | undefined;
}

function isPlatformId(value: string): value is PlatformId {
  return (PLATFORM_IDS as readonly string[]).includes(value);
}

/** Checks the request against the chosen profile's rules; throws a usage error a person can act on. */
export function platformChoiceFor(request: PlatformRequest): PlatformChoice {
  const id = request.platform ?? DEFAULT_PLATFORM_ID;
  if (!isPlatformId(id)) {
    throw new OrgConnectError('USAGE_PLATFORM_UNKNOWN', `"${id}" is not a platform orgconnect knows.`, {
      fix: `Choose one of: ${PLATFORM_IDS.join(', ')}.`,
    });
  }
  const accountIds = [...new Set(request.platformAccountIds ?? [])];
  const invalid = accountIds.find((accountId) => !/^\d{12}$/.test(accountId));
  if (invalid !== undefined) {
    throw new OrgConnectError(
      'USAGE_PLATFORM_ACCOUNT_INVALID',
      `"${invalid}" is not a 12-digit AWS account id.`,
    );
  }
  const managedPolicyArns = [...new Set(request.managedPolicyArns ?? [])];

  if (id === 'cloudzero') {
    const profile = CLOUDZERO_PROFILE;
    const foreign = accountIds.filter((accountId) => !profile.trustedAccountIds.includes(accountId));
    if (foreign.length > 0) {
      throw new OrgConnectError(
        'USAGE_PLATFORM_ACCOUNT_NOT_CLOUDZERO',
        `The CloudZero profile trusts CloudZero's accounts ${profile.trustedAccountIds.join(' and ')}, not ${foreign.join(', ')}.`,
        { fix: 'Leave out --platform-account, or use --platform custom to trust other accounts.' },
      );
    }
    if (managedPolicyArns.length > 0) {
      throw new OrgConnectError(
        'USAGE_MANAGED_POLICY_FIXED',
        "The CloudZero profile attaches CloudZero's managed policies; they cannot be changed.",
        { fix: 'Leave out --managed-policy, or use --platform custom.' },
      );
    }
    if (request.rolePath !== undefined && request.rolePath !== profile.rolePath) {
      throw new OrgConnectError(
        'USAGE_ROLE_PATH_FIXED',
        `CloudZero expects its roles under the path ${profile.rolePath}, not ${request.rolePath}.`,
        { fix: `Leave out --role-path (or pass ${profile.rolePath}), or use --platform custom.` },
      );
    }
    return { id: 'cloudzero' };
  }

  if (accountIds.length === 0) {
    throw new OrgConnectError(
      'USAGE_PLATFORM_ACCOUNT_MISSING',
      'A custom platform needs the AWS account(s) its role trusts.',
      { fix: 'Pass --platform-account <12-digit id> once per account the platform assumes the role from.' },
    );
  }
  const badArn = managedPolicyArns.find((arn) => !managedPolicyArnSchema.safeParse(arn).success);
  if (badArn !== undefined) {
    throw new OrgConnectError('USAGE_MANAGED_POLICY_INVALID', `"${badArn}" is not a managed policy ARN.`, {
      fix: 'Give full ARNs, e.g. arn:aws:iam::aws:policy/job-function/ViewOnlyAccess.',
    });
  }
  return {
    id: 'custom',
    accountIds,
    ...(managedPolicyArns.length === 0 ? {} : { managedPolicyArns }),
  };
}
