/** Who a profile is, and where it stands in its Organization: the first thing every flow checks. */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import type { AwsClientFactory } from './aws/client-factory.js';
import { awsErrorName, OrgConnectError } from './errors.js';
import { ORG_ACCESS_FIX } from './org/index.js';

export interface Identity {
  accountId: string;
  arn: string;
  organizationId: string | null;
  managementAccountId: string | null;
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING' | null;
  isManagementAccount: boolean;
}

export async function whoAmI(factory: AwsClientFactory): Promise<Identity> {
  const caller = await factory.client('STS').send(new GetCallerIdentityCommand({}));
  const accountId = caller.Account ?? '';
  const arn = caller.Arn ?? '';
  try {
    const { Organization: org } = await factory
      .client('Organizations')
      .send(new DescribeOrganizationCommand({}));
    const managementAccountId = org?.MasterAccountId ?? null;
    return {
      accountId,
      arn,
      organizationId: org?.Id ?? null,
      managementAccountId,
      featureSet:
        org?.FeatureSet === 'ALL' || org?.FeatureSet === 'CONSOLIDATED_BILLING' ? org.FeatureSet : null,
      isManagementAccount: managementAccountId === accountId,
    };
  } catch (error) {
    if (awsErrorName(error) === 'AWSOrganizationsNotInUseException') {
      return {
        accountId,
        arn,
        organizationId: null,
        managementAccountId: null,
        featureSet: null,
        isManagementAccount: false,
      };
    }
    if (awsErrorName(error) === 'AccessDeniedException') {
      throw new OrgConnectError(
        'ORG_ACCESS_DENIED',
        `${arn} may not call organizations:DescribeOrganization.`,
        {
          fix: ORG_ACCESS_FIX,
          cause: error,
        },
      );
    }
    throw error;
  }
}
