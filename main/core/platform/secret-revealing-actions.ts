/**
 * Reads that hand out secrets or credentials. The platform must see metadata and costs, never a password, key or
 * token: an Allow that can match one of these is not read-only for orgconnect, and every role carries an
 * explicit Deny of them, in case an attached AWS managed policy grants one now or in a later version. Each is a
 * real IAM action (cfn-lint checks every action of the templates against AWS's service lists).
 */
export const SECRET_REVEALING_ACTIONS: readonly string[] = [
  'sts:GetSessionToken',
  'sts:GetFederationToken',
  'sts:GetServiceBearerToken',
  'secretsmanager:GetSecretValue',
  'secretsmanager:BatchGetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'ssm:GetParameterHistory',
  'ec2:GetPasswordData',
  'ec2:GetConsoleOutput',
  'ec2:GetConsoleScreenshot',
  'ec2:GetLaunchTemplateData',
  'ecr:GetAuthorizationToken',
  'codeartifact:GetAuthorizationToken',
  'redshift:GetClusterCredentials',
  'redshift:GetClusterCredentialsWithIAM',
  'redshift-serverless:GetCredentials',
  'cognito-identity:GetCredentialsForIdentity',
  'cognito-identity:GetOpenIdToken',
  'glue:GetConnection',
  'glue:GetConnections',
  'lightsail:GetInstanceAccessDetails',
];
