/**
 * moto 5.2.5's CloudFormation builds IAM roles with two gaps that real CloudFormation does not have:
 *  - `ManagedPolicyArns` on AWS::IAM::Role is ignored (moto iam/models.py Role.create_from_cloudformation_json);
 *  - some inline policies come back from GetRolePolicy as a Python repr (`{'Version': ...}`) instead of JSON.
 * This makes the role what AWS would have built from the same template, so health checks see AWS's shape. It only
 * adds what the template declares; a test never uses it to hide a difference the product should report.
 * (moto must run with MOTO_IAM_LOAD_MANAGED_POLICIES=true to know AWS managed policies.)
 */
import {
  AttachRolePolicyCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';

export async function makeRoleAsAwsWould(
  iam: IAMClient,
  roleName: string,
  managedPolicyArns: readonly string[],
): Promise<void> {
  for (const arn of managedPolicyArns) {
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
  }
  for (const name of (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ??
    []) {
    const stored =
      (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))).PolicyDocument ??
      '';
    const text = decodeURIComponent(stored);
    if (text.startsWith("{'")) {
      const json = text
        .replace(/'/g, '"')
        .replace(/\bTrue\b/g, 'true')
        .replace(/\bFalse\b/g, 'false');
      JSON.parse(json);
      await iam.send(
        new PutRolePolicyCommand({ RoleName: roleName, PolicyName: name, PolicyDocument: json }),
      );
    }
  }
}
