// Shared by the runner's moto tests and the child process of the crash test: seeds an organization in moto
// and builds the engine's inputs (items, template, credentials, clients) the way a host would.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { CredentialsProvider } from '../../main/core/onboarding/account-credentials.js';
import type { DeployItem } from '../../main/core/onboarding/run-events.js';
import type { TemplateFor } from '../../main/core/onboarding/runner.js';
import type { CloudFormationSender } from '../../main/core/onboarding/stack-deployer.js';

export const REGION = 'us-east-1';
export const MANAGEMENT_KEYS = { accessKeyId: 'AKIAMANAGEMENTKEY01', secretAccessKey: 'management-secret' };
/** A tag only these tests add, so a recorded CreateStack request says which account it was for. */
export const ACCOUNT_TAG = 'test:account';

/** A placeholder of the real templates (which live in templates/): one role trusted by the platform. */
export const TEMPLATE = JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: {
    ExternalId: { Type: 'String', NoEcho: true, MinLength: 2 },
    RoleName: { Type: 'String' },
    PlatformAccountId: { Type: 'String', Default: '061190967865' },
  },
  Resources: {
    PlatformRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: { Ref: 'RoleName' },
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${PlatformAccountId}:root' } },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
            },
          ],
        },
      },
    },
  },
  Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['PlatformRole', 'Arn'] } } },
});

export const roleNameFor = (kind: DeployItem['kind']): string => `orgconnect-platform-${kind}`;

export const templateFor: TemplateFor = (item, secrets) => ({
  templateBody: TEMPLATE,
  parameters: { ExternalId: secrets.externalId, RoleName: roleNameFor(item.kind) },
  tags: { [ACCOUNT_TAG]: item.accountId },
});

export async function seedOrganization(
  motoUrl: string,
  memberCount: number,
): Promise<{ managementAccountId: string; members: string[] }> {
  const org = new OrganizationsClient({ region: REGION, endpoint: motoUrl, credentials: MANAGEMENT_KEYS });
  const created = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const managementAccountId = created.Organization?.MasterAccountId ?? '';
  for (let i = 0; i < memberCount; i++) {
    await org.send(
      new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }),
    );
  }
  const accounts = (await org.send(new ListAccountsCommand({}))).Accounts ?? [];
  const members = accounts.map((account) => account.Id ?? '').filter((id) => id !== managementAccountId);
  return { managementAccountId, members };
}

export function planItems(managementAccountId: string, members: readonly string[]): DeployItem[] {
  return [
    {
      accountId: managementAccountId,
      accountName: 'management',
      ouPath: 'Root',
      kind: 'billing',
      connectionName: 'management',
      stackName: 'orgconnect-billing',
      action: 'create',
    },
    ...members.map((accountId, i): DeployItem => ({
      accountId,
      accountName: `member-${i}`,
      ouPath: 'Root',
      kind: 'resource',
      connectionName: `member-${i}`,
      stackName: 'orgconnect-resource',
      action: 'create',
    })),
  ];
}

/**
 * A real CloudFormation client pointed at moto. `onSend` sees each command before it goes out; `afterCreateMs`
 * delays the answer to CreateStack, standing in for real CloudFormation's latency (moto answers at once), so a
 * process killed mid-run is likely caught between "stack created" and "account recorded connected".
 */
export function motoCloudFormation(
  motoUrl: string,
  credentials: CredentialsProvider,
  options: { onSend?: (command: string) => void; afterCreateMs?: number } = {},
): CloudFormationSender {
  const real = new CloudFormationClient({ region: REGION, endpoint: motoUrl, credentials });
  return {
    send: async (command: { constructor: { name: string } }, ...rest: unknown[]) => {
      const name = command.constructor.name.replace(/Command$/, '');
      options.onSend?.(name);
      const result = await (real.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
      if (name === 'CreateStack' && options.afterCreateMs)
        await new Promise((resolve) => setTimeout(resolve, options.afterCreateMs));
      return result;
    },
  } as unknown as CloudFormationSender;
}
