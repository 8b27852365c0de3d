/**
 * The two CloudFormation templates (Billing for the management/payer account, Resource for members), read from
 * `templates/` at run time so the user sees exactly the text that is deployed, and parsed for the policy checks.
 *
 * The folder is found from the package root (the nearest folder upwards with a package.json), so the same code
 * works from the TypeScript sources under tsx, from compiled `dist/`, and from the packaged app (electron-builder
 * ships `templates/**` next to package.json, unpacked from the asar archive).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, type CollectionTag, type ScalarTag } from 'yaml';
import { OrgConnectError } from '../errors.js';
import { sha256Hex } from './stack-deployer.js';

export type TemplateKind = 'billing' | 'resource';
export const TEMPLATE_KINDS: readonly TemplateKind[] = ['billing', 'resource'];

/** Role names used when the user chooses none (the templates' own defaults say the same). */
export const DEFAULT_ROLE_NAMES: Readonly<Record<TemplateKind, string>> = {
  billing: 'orgconnect-platform-billing',
  resource: 'orgconnect-platform-resource',
};

export const DEFAULT_PLATFORM_ACCOUNT_ID = '061190967865';

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
  /** Absolute path of the YAML file. */
  path: string;
  /** The exact text deployed and shown to the user. */
  body: string;
  /** sha256 of `body`, as the deployer tags it on the stack (`orgconnect:template-sha256`). */
  sha256: string;
  document: CfnTemplate;
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
        'TEMPLATES_NOT_FOUND',
        `No package.json above ${from}; cannot find the templates folder.`,
        {
          fix: 'Reinstall orgconnect; its templates/ folder ships next to package.json.',
        },
      );
    }
  }
}

export function templatesDir(): string {
  return path.join(findPackageRoot(), 'templates');
}

export function templatePath(kind: TemplateKind, dir: string = templatesDir()): string {
  return path.join(dir, `${kind}.yaml`);
}

/** Reads and parses one template. `dir` overrides the folder (tests, or a host that ships them elsewhere). */
export async function loadTemplate(
  kind: TemplateKind,
  options: { dir?: string } = {},
): Promise<LoadedTemplate> {
  const file = templatePath(kind, options.dir);
  let body: string;
  try {
    body = await readFile(file, 'utf8');
  } catch (error) {
    throw new OrgConnectError('TEMPLATES_NOT_FOUND', `Cannot read the ${kind} template at ${file}.`, {
      fix: 'Reinstall orgconnect; its templates/ folder ships next to package.json.',
      cause: error,
    });
  }
  return { kind, path: file, body, sha256: sha256Hex(body), document: parseTemplate(body, `${kind}.yaml`) };
}

export async function loadTemplates(
  options: { dir?: string } = {},
): Promise<Record<TemplateKind, LoadedTemplate>> {
  const [billing, resource] = await Promise.all([
    loadTemplate('billing', options),
    loadTemplate('resource', options),
  ]);
  return { billing, resource };
}

export interface TemplateParameterSettings {
  platformAccountId: string;
  externalId: string;
  /** One name for both kinds; when absent each kind uses DEFAULT_ROLE_NAMES. */
  roleName?: string;
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
): Record<string, string> {
  const parameters: Record<string, string> = {
    PlatformAccountId: settings.platformAccountId,
    ExternalId: settings.externalId,
    RoleName: roleNameFor(kind, settings),
    RolePath: settings.rolePath ?? '/',
  };
  if (kind === 'billing') parameters['CostAndUsageReportBucket'] = settings.costAndUsageReportBucket ?? '';
  return parameters;
}
