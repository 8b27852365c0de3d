/**
 * The two CloudFormation templates (Billing for the management/payer account, Resource for members), generated
 * from the platform profile at run time (template-builder.ts) so the template, the checks and the profile cannot
 * drift apart; the user sees exactly the text that is deployed. Also parses CloudFormation YAML (short-form
 * intrinsics included) for the policy checks.
 *
 * `templates/*.yaml` in the repository hold the CloudZero templates as generated, for people who read or deploy
 * them by hand; a unit test keeps them equal to the generated text (`npm run templates` rewrites them).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse, type CollectionTag, type ScalarTag } from 'yaml';
import { OrgConnectError } from '../errors.js';
import { CLOUDZERO_PROFILE } from '../platform/cloudzero-profile.js';
import type { PlatformProfile, RoleKind } from '../platform/platform-profile.js';
import { sha256Hex } from './stack-deployer.js';
import { renderTemplate } from './template-builder.js';

export type TemplateKind = RoleKind;
export const TEMPLATE_KINDS: readonly TemplateKind[] = ['billing', 'resource'];

/** Role names used when the user chooses none (the templates' own defaults say the same). */
export const DEFAULT_ROLE_NAMES: Readonly<Record<TemplateKind, string>> = CLOUDZERO_PROFILE.roleNames;

/** A parsed template: intrinsic functions are in their long form (`{ "Fn::Sub": ... }`, `{ "Ref": ... }`). */
export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, CfnParameter>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CfnParameter {
  Type: string;
  Default?: string;
  NoEcho?: boolean;
  [key: string]: unknown;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  [key: string]: unknown;
}

export interface LoadedTemplate {
  kind: TemplateKind;
  /** The exact text deployed and shown to the user. */
  body: string;
  /** sha256 of `body`, as the deployer tags it on the stack (`orgconnect:template-sha256`). */
  sha256: string;
  document: CfnTemplate;
  /** The platform profile the template was generated from (its defaults and version). */
  profile: PlatformProfile;
}

// CloudFormation's short-form intrinsics. `!GetAtt A.B` is the one whose scalar form is not just its argument.
const SCALAR_FUNCTIONS = ['Ref', 'Sub', 'GetAtt', 'ImportValue', 'Base64', 'GetAZs', 'Condition'] as const;
const COLLECTION_FUNCTIONS = [
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Sub',
  'GetAtt',
  'Join',
  'Select',
  'Split',
  'FindInMap',
  'Cidr',
  'Base64',
  'ImportValue',
  'GetAZs',
  'Length',
  'ToJsonString',
  'Transform',
] as const;

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

const cfnTags: (ScalarTag | CollectionTag)[] = [
  ...SCALAR_FUNCTIONS.map((name): ScalarTag => ({
    tag: `!${name}`,
    resolve: (value: string) => ({ [longName(name)]: name === 'GetAtt' ? splitGetAtt(value) : value }),
  })),
  ...COLLECTION_FUNCTIONS.flatMap((name): CollectionTag[] =>
    (['seq', 'map'] as const).map((collection) => ({
      tag: `!${name}`,
      collection,
      resolve: (value) => ({ [longName(name)]: value.toJSON() as unknown }),
    })),
  ),
];

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

/** Parses CloudFormation YAML (short-form intrinsics included) into its long JSON form. */
export function parseTemplate(body: string, source = 'template'): CfnTemplate {
  let document: unknown;
  try {
    document = parse(body, { customTags: cfnTags, uniqueKeys: true });
  } catch (error) {
    throw new OrgConnectError(
      'TEMPLATE_INVALID',
      `${source} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      {
        cause: error,
      },
    );
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new OrgConnectError(
      'TEMPLATE_INVALID',
      `${source} is not a CloudFormation template (not a mapping).`,
    );
  }
  const resources = (document as { Resources?: unknown }).Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new OrgConnectError('TEMPLATE_INVALID', `${source} has no Resources section.`);
  }
  return document as CfnTemplate;
}

/** The nearest folder at or above `from` that holds a package.json: the package root. */
export function findPackageRoot(from: string = import.meta.dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new OrgConnectError(
        'PACKAGE_ROOT_NOT_FOUND',
        `No package.json above ${from}; cannot find orgconnect's folder.`,
        { fix: 'Reinstall orgconnect.' },
      );
    }
  }
}

/** Where the CloudZero templates are published in the repository, for people who read or deploy them by hand. */
export function publishedTemplatePath(kind: TemplateKind, root: string = findPackageRoot()): string {
  return path.join(root, 'templates', `${kind}.yaml`);
}

/** One template, generated from the platform profile: the exact text deployed and shown to the user. */
export function loadTemplate(
  kind: TemplateKind,
  profile: PlatformProfile = CLOUDZERO_PROFILE,
): LoadedTemplate {
  const body = renderTemplate(profile, kind);
  return {
    kind,
    body,
    sha256: sha256Hex(body),
    document: parseTemplate(body, `${kind} template`),
    profile,
  };
}

/** Both templates for a profile (CloudZero's by default). */
export function loadTemplates(
  profile: PlatformProfile = CLOUDZERO_PROFILE,
): Record<TemplateKind, LoadedTemplate> {
  return { billing: loadTemplate('billing', profile), resource: loadTemplate('resource', profile) };
}

export interface TemplateParameterSettings {
  externalId: string;
  /** One name for both kinds; when absent each kind uses the profile's role name. */
  roleName?: string;
  /** When absent, the profile's role path. */
  rolePath?: string;
  /** Billing only: the S3 bucket the Cost and Usage Report / Data Export is delivered to. */
  costAndUsageReportBucket?: string;
}

export function roleNameFor(
  kind: TemplateKind,
  settings: Pick<TemplateParameterSettings, 'roleName'>,
): string {
  return settings.roleName ?? DEFAULT_ROLE_NAMES[kind];
}

/**
 * The stack parameters for one kind. Every parameter is passed explicitly (defaults included) so the deployer's
 * inputs hash, and with it the plan's update/skip decision, never depends on a template default.
 */
export function templateParameters(
  kind: TemplateKind,
  settings: TemplateParameterSettings,
  profile: PlatformProfile = CLOUDZERO_PROFILE,
): Record<string, string> {
  const parameters: Record<string, string> = {
    ExternalId: settings.externalId,
    RoleName: settings.roleName ?? profile.roleNames[kind],
    RolePath: settings.rolePath ?? profile.rolePath,
  };
  if (kind === 'billing') parameters['CostAndUsageReportBucket'] = settings.costAndUsageReportBucket ?? '';
  return parameters;
}
