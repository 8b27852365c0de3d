/**
 * Builds the Billing and Resource CloudFormation templates from a platform profile's role documents.
 *
 * Deliberately plain: one IAM role (and, for Billing, one IAM policy for the Cost and Usage Report bucket) — no
 * Lambda, nested stacks, macros, transforms or custom resources — so the same template deploys as a stand-alone
 * stack and as a service-managed StackSet, with nothing but CAPABILITY_NAMED_IAM, in every region and partition.
 * The platform's accounts are written into the trust policy itself: the template is generated per profile, and
 * a parameter could only let a deploy trust someone the profile does not name.
 */
import { Document, isScalar, visit } from 'yaml';
import type { PlatformProfile, RoleKind } from '../platform/platform-profile.js';
import { PLACEHOLDERS, symbolicRoleDocuments } from '../platform/role-permissions.js';
import type { CfnTemplate } from './templates.js';

const LOGICAL_ROLE = 'PlatformRole';
const LOGICAL_BUCKET_POLICY = 'CostAndUsageReportBucketRead';
export const BUCKET_CONDITION = 'HasCostAndUsageReportBucket';

/** A document's `${Name}` placeholders as CloudFormation intrinsics: a lone parameter is a Ref, the rest Fn::Sub. */
function toIntrinsics(value: unknown): unknown {
  if (typeof value === 'string') {
    const lone = /^\$\{(\w+)\}$/.exec(value);
    if (lone) return { Ref: lone[1] };
    return value.includes('${') ? { 'Fn::Sub': value } : value;
  }
  if (Array.isArray(value)) return value.map(toIntrinsics);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toIntrinsics(item)]));
  }
  return value;
}

const KIND_TEXT: Record<RoleKind, { title: string; where: string; reads: string }> = {
  billing: {
    title: 'Billing',
    where: 'management / payer account',
    reads:
      'cost and usage, billing, Organizations, reservations and Savings Plans, recommendations, metrics and ' +
      'read-only metadata, and the Cost and Usage Report files when a bucket is given',
  },
  resource: {
    title: 'Resource',
    where: 'member account',
    reads: 'cost and usage, recommendations, metrics, tags and read-only resource metadata',
  },
};

function parameters(profile: PlatformProfile, kind: RoleKind): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ExternalId: {
      Type: 'String',
      NoEcho: true,
      MinLength: 2,
      MaxLength: 1224,
      AllowedPattern: '[\\w+=,.@:/-]*',
      ConstraintDescription: '2 to 1224 characters: letters, digits and + = , . @ : / - _',
      Description: `The External ID ${profile.name} gave you; the role cannot be assumed without it.`,
    },
    RoleName: {
      Type: 'String',
      Default: profile.roleNames[kind],
      MinLength: 1,
      MaxLength: 64,
      AllowedPattern: '[\\w+=,.@-]+',
      Description: 'Name of the IAM role the platform assumes.',
    },
    RolePath: profile.fixedRolePath
      ? {
          Type: 'String',
          Default: profile.rolePath,
          AllowedValues: [profile.rolePath],
          Description: `IAM path of the role; ${profile.name} expects its roles under ${profile.rolePath}.`,
        }
      : {
          Type: 'String',
          Default: profile.rolePath,
          MaxLength: 512,
          AllowedPattern: '^/([\\x21-\\x7E]*/)?$',
          ConstraintDescription: 'must start and end with a slash, e.g. / or /cost/.',
          Description: 'IAM path of the role.',
        },
  };
  if (kind === 'billing') {
    out[PLACEHOLDERS.bucket] = {
      Type: 'String',
      Default: '',
      MaxLength: 63,
      AllowedPattern: '^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
      Description:
        'Name of the S3 bucket the Cost and Usage Report (or Data Export) is delivered to. Leave empty to grant ' +
        'no S3 access (the platform then cannot read the report files).',
    };
  }
  return out;
}

/** The template as CloudFormation's long-form JSON (what `parseTemplate` returns for its YAML). */
export function buildTemplate(profile: PlatformProfile, kind: RoleKind): CfnTemplate {
  const documents = symbolicRoleDocuments(profile, kind);
  const text = KIND_TEXT[kind];
  const rolePolicies = documents.inlinePolicies.filter((policy) => !policy.onlyWithCostAndUsageReportBucket);
  const bucketPolicies = documents.inlinePolicies.filter((policy) => policy.onlyWithCostAndUsageReportBucket);
  const resources: CfnTemplate['Resources'] = {
    [LOGICAL_ROLE]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: { Ref: 'RoleName' },
        Path: { Ref: 'RolePath' },
        Description: `Read-only access for ${profile.name} (orgconnect ${text.title} connection).`,
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: toIntrinsics(documents.trustPolicy),
        ManagedPolicyArns: toIntrinsics(documents.managedPolicyArns),
        Policies: rolePolicies.map((policy) => ({
          PolicyName: policy.name,
          PolicyDocument: toIntrinsics(policy.document),
        })),
      },
    },
  };
  // A separate policy with a Condition, rather than an Fn::If inside the role's Policies: both are valid, but
  // this form is understood by every emulator and linter, and the role is the same with or without a bucket.
  for (const policy of bucketPolicies) {
    resources[LOGICAL_BUCKET_POLICY] = {
      Type: 'AWS::IAM::Policy',
      Condition: BUCKET_CONDITION,
      Properties: {
        PolicyName: policy.name,
        Roles: [{ Ref: LOGICAL_ROLE }],
        PolicyDocument: toIntrinsics(policy.document),
      },
    };
  }
  const parameterNames = Object.keys(parameters(profile, kind));
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      `orgconnect ${text.title} connection (${text.where}) for ${profile.name}: a read-only IAM role that ` +
      `${profile.name}'s AWS accounts (${profile.trustedAccountIds.join(', ')}) assume with an External ID to read ` +
      `${text.reads}. Nothing in this role can change, create or delete anything. Permissions of ${profile.version}.`,
    Metadata: {
      orgconnect: {
        platform: profile.id,
        platformVersion: profile.version,
        ...(profile.source === undefined
          ? {}
          : { source: `${profile.source.repository} ${profile.source.release} ${profile.source.file}` }),
      },
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [
          { Label: { default: 'Cost platform' }, Parameters: ['ExternalId'] },
          { Label: { default: 'Role' }, Parameters: ['RoleName', 'RolePath'] },
          ...(parameterNames.includes(PLACEHOLDERS.bucket)
            ? [{ Label: { default: 'Cost and Usage Report' }, Parameters: [PLACEHOLDERS.bucket] }]
            : []),
        ],
      },
    },
    Parameters: parameters(profile, kind) as CfnTemplate['Parameters'],
    ...(bucketPolicies.length === 0
      ? {}
      : {
          Conditions: {
            [BUCKET_CONDITION]: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: PLACEHOLDERS.bucket }, ''] }] },
          },
        }),
    Resources: resources,
    Outputs: {
      RoleArn: {
        Description: `Give this ARN to ${profile.name} for the ${text.title} connection.`,
        Value: { 'Fn::GetAtt': [LOGICAL_ROLE, 'Arn'] },
      },
      RoleName: { Description: "Name of the platform's read-only role.", Value: { Ref: LOGICAL_ROLE } },
    },
  };
}

/** The template's YAML text: what is deployed, shown to the user and hashed for the plan. */
export function renderTemplate(profile: PlatformProfile, kind: RoleKind): string {
  const document = new Document(buildTemplate(profile, kind));
  document.commentBefore =
    ` Generated by orgconnect from its ${profile.name} platform profile (version ${profile.version}).` +
    `\n No Lambda, nested stacks, macros, transforms or custom resources: it deploys as a stack or a StackSet.`;
  // Dates stay quoted: a YAML 1.1 reader (CloudFormation's among them) would otherwise read them as timestamps.
  visit(document, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(node.value))
        node.type = 'QUOTE_SINGLE';
    },
  });
  return document.toString({ lineWidth: 0 });
}
