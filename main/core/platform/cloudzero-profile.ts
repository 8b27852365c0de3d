/**
 * CloudZero, as its own public provisioning templates define a connection: repository Cloudzero/provision-account,
 * release 1.0.102 (published 2026-06-16), file services/account_type/account_resources.yaml — the payer
 * ("master payer") and member ("resource owner") roles, which carry the same managed policies and inline read
 * statements, the payer adding read access to its Cost and Usage Report bucket.
 *
 * Mirrored as data, statement by statement and in CloudZero's tiers, with three deliberate differences, each
 * because orgconnect grants nothing it cannot show to be read-only:
 * - `cur:Validate*` is left out: its one action, cur:ValidateReportDestination, is not a read — AWS classes it
 *   as Write, and its own AWSBillingReadOnlyAccess leaves it out (only the billing full-access policy has it);
 *   "Validate" is not a verb the read-only checker accepts. The platform reads report definitions with
 *   cur:Describe*.
 * - `pricing:*` becomes the five actions of the Price List API (all reads today); the wildcard would also grant
 *   any action AWS adds to the service later.
 * - `logs:Filter*` becomes logs:FilterLogEvents, the one action it matches today, for the same reason.
 * ARNs use `${AWS::Partition}` instead of `aws` so the roles also work in GovCloud and China, and the
 * self-inspection statement follows the role path (always `/cloudzero/` for this profile).
 *
 * When CloudZero publishes new policies: update the statements, set `version` to the new release's date and
 * `source` to the release. Every stack deployed with the older version then plans as `update`.
 */
import { CLOUDZERO_REGISTRATION } from './registration-settings.js';
import {
  MANAGED_POLICY_ARNS_PLACEHOLDER,
  type PermissionStatement,
  type PlatformProfile,
} from './platform-profile.js';

/** CloudZero's main ("reactor") account and its connections account; both assume the role. */
export const CLOUDZERO_ACCOUNT_IDS = ['061190967865', '559846027439'] as const;

export const CLOUDZERO_MANAGED_POLICY_ARNS: readonly string[] = [
  'arn:${AWS::Partition}:iam::aws:policy/CloudWatchReadOnlyAccess',
  'arn:${AWS::Partition}:iam::aws:policy/ComputeOptimizerReadOnlyAccess',
  'arn:${AWS::Partition}:iam::aws:policy/job-function/ViewOnlyAccess',
  'arn:${AWS::Partition}:iam::aws:policy/AWSBillingReadOnlyAccess',
];

export const CLOUDZERO_STATEMENTS: readonly PermissionStatement[] = [
  {
    sid: 'Tier0BillingData',
    tier: 0,
    purpose: 'Cost and usage, billing, invoices, payments and tax',
    actions: [
      'account:GetAccountInformation',
      'bcm-data-exports:Get*',
      'bcm-data-exports:List*',
      'billing:Get*',
      'ce:Describe*',
      'ce:Get*',
      'ce:List*',
      'consolidatedbilling:Get*',
      'consolidatedbilling:List*',
      'cur:Describe*',
      'cur:Get*',
      'cur:List*',
      'freetier:Get*',
      'invoicing:Get*',
      'invoicing:List*',
      'mapcredits:List*',
      'payments:Get*',
      'payments:List*',
      'purchase-orders:Get*',
      'purchase-orders:List*',
      'purchase-orders:View*',
      'sustainability:Get*',
      'tax:Get*',
      'tax:List*',
    ],
  },
  {
    sid: 'Tier0ReservedCapacity',
    tier: 0,
    purpose: 'Reservations',
    actions: [
      'dynamodb:DescribeReserved*',
      'ec2:DescribeReserved*',
      'elasticache:DescribeReserved*',
      'es:DescribeReserved*',
      'rds:DescribeReserved*',
      'redshift:DescribeReserved*',
    ],
  },
  {
    sid: 'Tier0SavingsPlans',
    tier: 0,
    purpose: 'Savings Plans',
    actions: ['savingsplans:Describe*', 'savingsplans:List*'],
  },
  { sid: 'Tier1Budgets', tier: 1, purpose: 'Budgets', actions: ['budgets:Describe*', 'budgets:View*'] },
  {
    sid: 'Tier1BillingConductor',
    tier: 1,
    purpose: 'Billing Conductor',
    actions: ['billingconductor:Get*', 'billingconductor:List*'],
  },
  {
    sid: 'Tier1PricingAndForecasting',
    tier: 1,
    purpose: 'Price List and the pricing calculator',
    actions: [
      'bcm-pricing-calculator:Get*',
      'bcm-pricing-calculator:List*',
      'pricing:DescribeServices',
      'pricing:GetAttributeValues',
      'pricing:GetPriceListFileUrl',
      'pricing:GetProducts',
      'pricing:ListPriceLists',
    ],
  },
  {
    sid: 'Tier1OrganizationsAndTags',
    tier: 1,
    purpose: 'Organizations, regions, resource groups and tags',
    actions: [
      'account:ListRegions',
      'organizations:Describe*',
      'organizations:List*',
      'resource-explorer:List*',
      'resource-groups:Get*',
      'resource-groups:List*',
      'resource-groups:Search*',
      'tag:Describe*',
      'tag:Get*',
    ],
  },
  {
    sid: 'Tier1ComputeOptimizer',
    tier: 1,
    purpose: 'Compute Optimizer recommendations',
    actions: ['compute-optimizer:Describe*', 'compute-optimizer:Get*'],
  },
  {
    sid: 'Tier1CostOptimizationHub',
    tier: 1,
    purpose: 'Cost Optimization Hub recommendations',
    actions: ['cost-optimization-hub:Get*', 'cost-optimization-hub:List*'],
  },
  {
    sid: 'Tier1TrustedAdvisorAndHealth',
    tier: 1,
    purpose: 'Trusted Advisor checks and AWS Health events',
    actions: ['health:Describe*', 'support:DescribeTrustedAdvisor*'],
  },
  {
    sid: 'Tier1ContainerOrchestration',
    tier: 1,
    purpose: 'ECS and EKS clusters',
    actions: ['ecs:Describe*', 'ecs:List*', 'eks:Describe*', 'eks:List*'],
  },
  {
    sid: 'Tier1ContainerInsightsLogs',
    tier: 1,
    purpose: 'Container Insights performance logs (only those log groups)',
    actions: [
      'logs:Describe*',
      'logs:FilterLogEvents',
      'logs:Get*',
      'logs:List*',
      'logs:StartQuery',
      'logs:StopQuery',
    ],
    resources: ['arn:${AWS::Partition}:logs:*:*:log-group:/aws/containerinsights/*'],
  },
  {
    sid: 'Tier1ContainerInsightsLogQuery',
    tier: 1,
    purpose: 'Finding log groups and reading query results',
    actions: ['logs:DescribeLogGroups', 'logs:GetQueryResults'],
    resources: ['arn:${AWS::Partition}:logs:*:*:log-group:*'],
  },
  {
    sid: 'Tier2CloudTrail',
    tier: 2,
    purpose: 'CloudTrail trails and events',
    actions: ['cloudtrail:Describe*', 'cloudtrail:Get*', 'cloudtrail:List*', 'cloudtrail:LookupEvents'],
  },
  {
    sid: 'Tier2ServiceQuotas',
    tier: 2,
    purpose: 'Service quotas',
    actions: ['servicequotas:Get*', 'servicequotas:List*'],
  },
  {
    sid: 'Tier2CloudWatchMetrics',
    tier: 2,
    purpose: 'CloudWatch metrics and Auto Scaling groups',
    actions: ['autoscaling:Describe*', 'cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*'],
  },
  {
    sid: 'Tier2CloudFormation',
    tier: 2,
    purpose: 'CloudFormation stacks (the connection checks its own stack)',
    actions: ['cloudformation:Describe*', 'cloudformation:Get*', 'cloudformation:List*'],
  },
  {
    sid: 'Tier2SelfInspection',
    tier: 2,
    purpose: 'The platform checks its own role (only roles under the role path)',
    actions: [
      'iam:GetRole',
      'iam:GetRolePolicy',
      'iam:ListAttachedRolePolicies',
      'iam:ListRolePolicies',
      'iam:ListRoleTags',
      'iam:SimulatePrincipalPolicy',
    ],
    resources: ['arn:${AWS::Partition}:iam::*:role${RolePath}*'],
  },
  {
    sid: 'Tier2SelfInspectionPolicies',
    tier: 2,
    purpose: "The platform reads its role's managed policies",
    actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
    resources: [MANAGED_POLICY_ARNS_PLACEHOLDER],
  },
];

export const CLOUDZERO_PROFILE: PlatformProfile = {
  id: 'cloudzero',
  name: 'CloudZero',
  version: '2026-06-16',
  source: {
    repository: 'Cloudzero/provision-account',
    release: '1.0.102',
    file: 'services/account_type/account_resources.yaml',
  },
  trustedAccountIds: CLOUDZERO_ACCOUNT_IDS,
  rolePath: '/cloudzero/',
  fixedRolePath: true,
  roleNames: { billing: 'orgconnect-platform-billing', resource: 'orgconnect-platform-resource' },
  managedPolicyArns: CLOUDZERO_MANAGED_POLICY_ARNS,
  statements: CLOUDZERO_STATEMENTS,
  costAndUsageReportBucketActions: ['s3:Get*', 's3:List*'],
  registration: CLOUDZERO_REGISTRATION,
};
