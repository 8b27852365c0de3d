/**
 * The role as code for custom provisioning (`orgconnect templates export`, the Review step's downloads): the
 * CloudFormation template (stack or StackSet), a Terraform module, or plain IAM JSON with the AWS CLI commands.
 * Every format is generated from the same `symbolicRoleDocuments` the deployed templates are built from, so an
 * exported role and a deployed one cannot differ; only the placeholders are spelled each tool's way.
 */
import type { PlatformProfile, RoleKind } from '../platform/platform-profile.js';
import {
  PLACEHOLDERS,
  roleDocuments,
  substitute,
  symbolicRoleDocuments,
} from '../platform/role-permissions.js';
import { renderTemplate } from './template-builder.js';

export const EXPORT_FORMATS = ['cloudformation', 'stackset', 'terraform', 'iam-json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What the trust policy holds when no External ID was given: plainly not a real one. */
export const EXTERNAL_ID_PLACEHOLDER = 'REPLACE_WITH_THE_EXTERNAL_ID_FROM_THE_PLATFORM';

export interface ExportOptions {
  kind: RoleKind;
  format: ExportFormat;
  /** Default: the profile's role name for the kind. */
  roleName?: string;
  /** Default: the profile's role path. */
  rolePath?: string;
  externalId?: string;
  /** Billing only. */
  costAndUsageReportBucket?: string;
  partition?: string;
}

export interface ExportedFile {
  /** A plain file name (no directories). */
  name: string;
  content: string;
}

export function exportRoleTemplates(profile: PlatformProfile, options: ExportOptions): ExportedFile[] {
  switch (options.format) {
    case 'cloudformation':
      return cloudFormationFiles(profile, options, 'stack');
    case 'stackset':
      return cloudFormationFiles(profile, options, 'stackset');
    case 'terraform':
      return [{ name: 'main.tf', content: terraformModule(profile, options) }];
    case 'iam-json':
      return iamJsonFiles(profile, options);
  }
}

function roleNameOf(profile: PlatformProfile, options: ExportOptions): string {
  return options.roleName ?? profile.roleNames[options.kind];
}

function cloudFormationFiles(
  profile: PlatformProfile,
  options: ExportOptions,
  shape: 'stack' | 'stackset',
): ExportedFile[] {
  const parameters: Record<string, string> = {
    ExternalId: options.externalId ?? EXTERNAL_ID_PLACEHOLDER,
    RoleName: roleNameOf(profile, options),
    RolePath: options.rolePath ?? profile.rolePath,
  };
  if (options.kind === 'billing') parameters[PLACEHOLDERS.bucket] = options.costAndUsageReportBucket ?? '';
  const prefix = shape === 'stack' ? options.kind : `${options.kind}-stackset`;
  return [
    { name: `${prefix}.yaml`, content: renderTemplate(profile, options.kind) },
    {
      // The shape `aws cloudformation create-stack(-set) --parameters file://…` reads.
      name: `${prefix}-parameters.json`,
      content: json(
        Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
          ParameterKey,
          ParameterValue,
        })),
      ),
    },
  ];
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function iamJsonFiles(profile: PlatformProfile, options: ExportOptions): ExportedFile[] {
  const documents = roleDocuments(profile, options.kind, {
    ...(options.partition === undefined ? {} : { partition: options.partition }),
    ...(options.rolePath === undefined ? {} : { rolePath: options.rolePath }),
    costAndUsageReportBucket: options.costAndUsageReportBucket,
    externalId: options.externalId ?? EXTERNAL_ID_PLACEHOLDER,
  });
  const kind = options.kind;
  const roleName = roleNameOf(profile, options);
  const rolePath = options.rolePath ?? profile.rolePath;
  const files: ExportedFile[] = [
    { name: `${kind}-trust-policy.json`, content: json(documents.trustPolicy) },
    { name: `${kind}-managed-policies.txt`, content: `${documents.managedPolicyArns.join('\n')}\n` },
  ];
  const commands = [
    '#!/bin/sh',
    `# Creates the ${profile.name} ${kind} role by hand (orgconnect platform profile ${profile.id}@${profile.version}).`,
    '# Run with credentials for the account the role belongs in; then: orgconnect adopt …',
    'set -eu',
    `aws iam create-role --role-name '${roleName}' --path '${rolePath}' --max-session-duration 3600 \\`,
    `  --assume-role-policy-document file://${kind}-trust-policy.json`,
    ...documents.managedPolicyArns.map(
      (arn) => `aws iam attach-role-policy --role-name '${roleName}' --policy-arn '${arn}'`,
    ),
  ];
  for (const policy of documents.inlinePolicies) {
    const file = `${kind}-${policy.name}.json`;
    files.push({ name: file, content: json(policy.document) });
    commands.push(
      `aws iam put-role-policy --role-name '${roleName}' --policy-name '${policy.name}' --policy-document file://${file}`,
    );
  }
  files.push({ name: `${kind}-create-role.sh`, content: `${commands.join('\n')}\n` });
  return files;
}

/** CloudFormation's `${Name}` placeholders as Terraform interpolations. */
const TERRAFORM_VALUES: Record<string, string> = {
  [PLACEHOLDERS.partition]: '${data.aws_partition.current.partition}',
  [PLACEHOLDERS.externalId]: '${var.external_id}',
  [PLACEHOLDERS.rolePath]: '${var.role_path}',
  [PLACEHOLDERS.bucket]: '${var.cur_bucket}',
};

function hclString(value: string): string {
  return JSON.stringify(value);
}

/** A policy document as a heredoc of JSON whose only interpolations are ours. */
function heredoc(document: unknown): string {
  const text = JSON.stringify(substitute(document, TERRAFORM_VALUES), null, 2);
  return `<<-EOT\n${text}\nEOT`;
}

function variable(name: string, description: string, defaultValue?: string, sensitive = false): string {
  return [
    `variable "${name}" {`,
    `  description = ${hclString(description)}`,
    '  type        = string',
    ...(defaultValue === undefined ? [] : [`  default     = ${hclString(defaultValue)}`]),
    ...(sensitive ? ['  sensitive   = true'] : []),
    '}',
  ].join('\n');
}

/**
 * A Terraform module (one file): the role with its trust policy, one attachment per managed policy, the inline
 * read policy and, for Billing with `cur_bucket`, the bucket policy; output `role_arn`.
 */
export function terraformModule(profile: PlatformProfile, options: ExportOptions): string {
  const documents = symbolicRoleDocuments(profile, options.kind);
  const kind = options.kind;
  const blocks: string[] = [
    `# Generated by orgconnect from its ${profile.name} platform profile (${profile.id}@${profile.version}), ${kind} role.\n` +
      '# The same documents as the CloudFormation templates orgconnect deploys. After apply: orgconnect adopt …',
    'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}',
    variable(
      'external_id',
      `The External ID ${profile.name} gave you; the role cannot be assumed without it.`,
      options.externalId,
      true,
    ),
    variable('role_name', 'Name of the IAM role the platform assumes.', roleNameOf(profile, options)),
    variable('role_path', 'IAM path of the role.', options.rolePath ?? profile.rolePath),
  ];
  if (kind === 'billing') {
    blocks.push(
      variable(
        'cur_bucket',
        'S3 bucket the Cost and Usage Report is delivered to; empty grants no S3 access.',
        options.costAndUsageReportBucket ?? '',
      ),
    );
  }
  blocks.push(
    'data "aws_partition" "current" {}',
    [
      'resource "aws_iam_role" "platform" {',
      '  name                 = var.role_name',
      '  path                 = var.role_path',
      `  description          = ${hclString(`Read-only access for ${profile.name} (orgconnect ${kind} connection).`)}`,
      '  max_session_duration = 3600',
      `  assume_role_policy   = ${heredoc(documents.trustPolicy)}`,
      '}',
    ].join('\n'),
    [
      'locals {',
      `  managed_policy_arns = [${documents.managedPolicyArns.map((arn) => hclString(substitute(arn, TERRAFORM_VALUES))).join(', ')}]`,
      '}',
    ].join('\n'),
    [
      'resource "aws_iam_role_policy_attachment" "managed" {',
      '  for_each   = toset(local.managed_policy_arns)',
      '  role       = aws_iam_role.platform.name',
      '  policy_arn = each.value',
      '}',
    ].join('\n'),
  );
  documents.inlinePolicies.forEach((policy, index) => {
    const bucketOnly = policy.onlyWithCostAndUsageReportBucket === true;
    blocks.push(
      [
        `resource "aws_iam_role_policy" "${bucketOnly ? 'cur_bucket' : index === 0 ? 'read' : `read_${index}`}" {`,
        ...(bucketOnly ? ['  count  = var.cur_bucket == "" ? 0 : 1'] : []),
        `  name   = ${hclString(policy.name)}`,
        '  role   = aws_iam_role.platform.id',
        `  policy = ${heredoc(policy.document)}`,
        '}',
      ].join('\n'),
    );
  });
  blocks.push(
    'output "role_arn" {\n  description = "Give this ARN to orgconnect adopt (or the platform)."\n  value       = aws_iam_role.platform.arn\n}',
  );
  return `${blocks.join('\n\n')}\n`;
}
