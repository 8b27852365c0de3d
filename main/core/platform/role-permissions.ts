/**
 * A profile turned into IAM documents for one role: its trust policy, its managed policy ARNs and its inline
 * policies, as plain data. The CloudFormation templates, the role checks and exporters all start from here.
 *
 * `symbolicRoleDocuments` keeps the placeholders a template fills in itself (`${AWS::Partition}`,
 * `${ExternalId}`, `${RolePath}`, `${CostAndUsageReportBucket}`); `roleDocuments` resolves them for one real
 * role (partition, path, bucket) — what IAM should hold once the stack is deployed.
 */
import {
  MANAGED_POLICY_ARNS_PLACEHOLDER,
  platformStamp,
  type PlatformProfile,
  type PlatformStamp,
  type RoleKind,
} from './platform-profile.js';
import { SECRET_REVEALING_ACTIONS } from './secret-revealing-actions.js';

export const TRUST_STATEMENT_SID = 'TrustPlatformWithExternalId';
export const DENY_SECRET_READS_SID = 'DenySecretRevealingReads';
export const BUCKET_STATEMENT_SID = 'Tier0CostAndUsageReportBucket';

/** Inline policy names on the role (IAM shows the CUR policy resource on the role under its name too). */
export const INLINE_POLICY_NAMES: Readonly<Record<RoleKind, string>> = {
  billing: 'orgconnect-billing-read',
  resource: 'orgconnect-resource-read',
};
export const BUCKET_POLICY_NAME = 'orgconnect-cur-bucket-read';

export interface PermissionStatementDocument {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string | string[];
}

export interface TrustStatementDocument {
  Sid: string;
  Effect: 'Allow';
  Principal: { AWS: string[] };
  Action: 'sts:AssumeRole';
  Condition: { StringEquals: { 'sts:ExternalId': string } };
}

export interface PolicyDocumentData<S> {
  Version: '2012-10-17';
  Statement: S[];
}

export interface InlinePolicyData {
  name: string;
  document: PolicyDocumentData<PermissionStatementDocument>;
  /** Only on a Billing role that was given a Cost and Usage Report bucket. */
  onlyWithCostAndUsageReportBucket?: true;
}

export interface RoleDocuments {
  kind: RoleKind;
  platform: PlatformStamp;
  trustPolicy: PolicyDocumentData<TrustStatementDocument>;
  managedPolicyArns: string[];
  inlinePolicies: InlinePolicyData[];
}

/** The placeholders a document may hold, by name (without `${}`). */
export const PLACEHOLDERS = {
  partition: 'AWS::Partition',
  externalId: 'ExternalId',
  rolePath: 'RolePath',
  bucket: 'CostAndUsageReportBucket',
} as const;

const placeholder = (name: string): string => `\${${name}}`;

export function principalArn(accountId: string): string {
  return `arn:${placeholder(PLACEHOLDERS.partition)}:iam::${accountId}:root`;
}

/** The documents with the template's placeholders still in them. */
export function symbolicRoleDocuments(profile: PlatformProfile, kind: RoleKind): RoleDocuments {
  const managedPolicyArns = [...profile.managedPolicyArns];
  const readStatements = profile.statements.map((statement): PermissionStatementDocument => ({
    Sid: statement.sid,
    Effect: 'Allow',
    Action: [...statement.actions],
    Resource: resourcesOf(statement.resources, managedPolicyArns),
  }));
  const inlinePolicies: InlinePolicyData[] = [
    {
      name: INLINE_POLICY_NAMES[kind],
      document: {
        Version: '2012-10-17',
        Statement: [
          ...readStatements,
          {
            Sid: DENY_SECRET_READS_SID,
            Effect: 'Deny',
            Action: [...SECRET_REVEALING_ACTIONS],
            Resource: '*',
          },
        ],
      },
    },
  ];
  if (kind === 'billing') {
    const bucket = `arn:${placeholder(PLACEHOLDERS.partition)}:s3:::${placeholder(PLACEHOLDERS.bucket)}`;
    inlinePolicies.push({
      name: BUCKET_POLICY_NAME,
      onlyWithCostAndUsageReportBucket: true,
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: BUCKET_STATEMENT_SID,
            Effect: 'Allow',
            Action: [...profile.costAndUsageReportBucketActions],
            Resource: [bucket, `${bucket}/*`],
          },
        ],
      },
    });
  }
  return {
    kind,
    platform: platformStamp(profile),
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: TRUST_STATEMENT_SID,
          Effect: 'Allow',
          Principal: { AWS: profile.trustedAccountIds.map(principalArn) },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': placeholder(PLACEHOLDERS.externalId) } },
        },
      ],
    },
    managedPolicyArns,
    inlinePolicies,
  };
}

function resourcesOf(
  resources: readonly string[] | undefined,
  managedPolicyArns: string[],
): string | string[] {
  if (resources === undefined) return '*';
  const expanded = resources.flatMap((resource) =>
    resource === MANAGED_POLICY_ARNS_PLACEHOLDER ? managedPolicyArns : [resource],
  );
  return expanded.length === 1 ? (expanded[0] as string) : expanded;
}

export interface RoleDocumentOptions {
  /** Default `aws`. */
  partition?: string;
  /** Default: the profile's role path. */
  rolePath?: string;
  /** Billing only: without a bucket the role has no bucket policy. */
  costAndUsageReportBucket?: string | undefined;
  /** Left as `${ExternalId}` when absent (checks compare the External ID by its hash, never by value). */
  externalId?: string;
}

/** The documents one deployed role should hold. */
export function roleDocuments(
  profile: PlatformProfile,
  kind: RoleKind,
  options: RoleDocumentOptions = {},
): RoleDocuments {
  const values: Record<string, string> = {
    [PLACEHOLDERS.partition]: options.partition ?? 'aws',
    [PLACEHOLDERS.rolePath]: options.rolePath ?? profile.rolePath,
  };
  if (options.costAndUsageReportBucket) values[PLACEHOLDERS.bucket] = options.costAndUsageReportBucket;
  if (options.externalId !== undefined) values[PLACEHOLDERS.externalId] = options.externalId;
  const symbolic = symbolicRoleDocuments(profile, kind);
  return substitute(
    {
      ...symbolic,
      inlinePolicies: symbolic.inlinePolicies.filter(
        (policy) => !policy.onlyWithCostAndUsageReportBucket || Boolean(options.costAndUsageReportBucket),
      ),
    },
    values,
  );
}

/** Every string in `value` with each `${Name}` found in `values` replaced. */
export function substitute<T>(value: T, values: Readonly<Record<string, string>>): T {
  if (typeof value === 'string') {
    return value.replace(/\$\{([\w:]+)\}/g, (whole, name: string) => values[name] ?? whole) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => substitute(item, values)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitute(item as unknown, values)]),
    ) as T;
  }
  return value;
}

/** Every Allow action of the role's inline policies, as the platform's permission set. */
export function allowedActions(documents: RoleDocuments): string[] {
  return documents.inlinePolicies.flatMap((policy) =>
    policy.document.Statement.filter((statement) => statement.Effect === 'Allow').flatMap(
      (statement) => statement.Action,
    ),
  );
}
