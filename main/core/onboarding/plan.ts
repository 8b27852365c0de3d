/**
 * The plan: for every selected account, what a deploy run would do and why — create, update, skip (already
 * connected as asked) or blocked (with a code, a reason and a fix). Pure: it reads the discovered organization,
 * the selection, the settings and the preflight results, and touches nothing.
 *
 * "Already connected as asked" is decided exactly as the deployer decides "unchanged": by the two tags it writes
 * on the stack, `orgconnect:template-sha256` (the template text) and `orgconnect:inputs-sha256` (all parameters
 * — the External ID included — and the caller tags). Comparing parameter values directly cannot work because
 * DescribeStacks masks the NoEcho External ID as `****`; one inputs hash also covers the role name, path, bucket
 * and connection name without a tag per setting. `stackDeployment` builds the deployer's input, so the plan and
 * the run cannot disagree about what is deployed.
 *
 * A third tag, `orgconnect:platform` (`cloudzero@2026-06-16`), names the platform profile and version a stack was
 * deployed with; it is one of the inputs, so a newer profile makes every older stack plan as `update` — with the
 * reason "the platform's permissions changed on <date>" — and one run brings the whole Organization up to date.
 */
import { OrgConnectError } from '../errors.js';
import {
  formatPlatformStamp,
  parsePlatformStamp,
  platformStamp,
  type PlatformProfile,
  type PlatformStamp,
} from '../platform/platform-profile.js';
import { assignConnectionNames } from './connection-names.js';
import type { ExistingStack, PreflightResult, PreflightTarget } from './preflight.js';
import {
  resolveSelection,
  type SelectableAccount,
  type SelectableUnit,
  type Selection,
} from './selection.js';
import { INPUTS_SHA_TAG, TEMPLATE_SHA_TAG, stackInputTags, stackMatchesInputs } from './stack-deployer.js';
import { stackPhase } from '../cloudformation/index.js';
import {
  roleNameFor,
  templateParameters,
  type TemplateKind,
  type TemplateParameterSettings,
} from './templates.js';

export const STACK_NAMES: Readonly<Record<TemplateKind, string>> = {
  billing: 'orgconnect-billing',
  resource: 'orgconnect-resource',
};

/** Caller tags on every orgconnect stack (CloudFormation copies them onto the role). */
export const KIND_TAG = 'orgconnect:kind';
export const CONNECTION_NAME_TAG = 'orgconnect:connection-name';
/** The platform profile and version the stack was deployed with (`cloudzero@2026-06-16`). */
export const PLATFORM_TAG = 'orgconnect:platform';

/** What the plan and the run need of a template: its text and the profile it was generated from. */
export type PlanTemplates = Readonly<Record<TemplateKind, { body: string; profile: PlatformProfile }>>;

export type DeployMode = 'stacks' | 'stacksets';

export interface PlanSettings extends TemplateParameterSettings {
  accessRoleName: string;
  /** stacks: one stack per account; stacksets: members through the service-managed StackSet orgconnect-resource. */
  mode: DeployMode;
  namePrefix?: string;
  /** Connection names the user typed, by account id. */
  nameOverrides?: Readonly<Record<string, string>>;
}

/** What the plan needs of a discovered account (structurally `OrgAccount` from main/core/org). */
export interface PlanAccount extends SelectableAccount {
  ouPath: string;
  isManagement: boolean;
}

export type PlanAction = 'create' | 'update' | 'skip' | 'blocked';

export interface PlanItem {
  accountId: string;
  accountName: string;
  ouPath: string;
  kind: TemplateKind;
  connectionName: string;
  stackName: string;
  action: PlanAction;
  /** update only (sync's repair): delete the stack and create it again. */
  replace?: boolean;
  reason?: string;
  code?: string;
  fix?: string;
}

export interface PlanCounts {
  total: number;
  create: number;
  update: number;
  skip: number;
  blocked: number;
  billing: number;
  resource: number;
}

export interface Plan {
  managementAccountId: string;
  items: PlanItem[];
  counts: PlanCounts;
}

export interface PlanInput {
  accounts: readonly PlanAccount[];
  units: readonly SelectableUnit[];
  selection: Selection;
  settings: PlanSettings;
  preflight: readonly PreflightResult[];
  /** The templates that would be deployed (their sha256 is compared with the stacks' tags). */
  templates: PlanTemplates;
}

export function kindFor(account: Pick<PlanAccount, 'isManagement'>): TemplateKind {
  return account.isManagement ? 'billing' : 'resource';
}

export function stackTags(
  kind: TemplateKind,
  connectionName: string,
  platform: PlatformStamp,
): Record<string, string> {
  return {
    [KIND_TAG]: kind,
    [CONNECTION_NAME_TAG]: connectionName,
    [PLATFORM_TAG]: formatPlatformStamp(platform),
  };
}

export interface StackDeployment {
  stackName: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
}

/** The deployer's input for one plan item; the runner passes it to `deployStack` unchanged. */
export function stackDeployment(
  item: Pick<PlanItem, 'kind' | 'connectionName' | 'stackName'>,
  settings: TemplateParameterSettings,
  templates: PlanTemplates,
): StackDeployment {
  const template = templates[item.kind];
  return {
    stackName: item.stackName,
    templateBody: template.body,
    parameters: templateParameters(item.kind, settings, template.profile),
    tags: stackTags(item.kind, item.connectionName, platformStamp(template.profile)),
  };
}

/**
 * The runner's `templateFor`: the deployment the plan compared against, with the External ID taken from the
 * run's secrets (the journal never holds it).
 */
export function deploymentSource(
  settings: Omit<TemplateParameterSettings, 'externalId'>,
  templates: PlanTemplates,
): (
  item: Pick<PlanItem, 'kind' | 'connectionName' | 'stackName'>,
  secrets: { externalId: string },
) => StackDeployment {
  return (item, secrets) => stackDeployment(item, { ...settings, externalId: secrets.externalId }, templates);
}

/** The preflight targets for the accounts a plan will cover (the active part of the selection). */
export function preflightTargets(
  accounts: readonly Pick<PlanAccount, 'id' | 'isManagement'>[],
  settings: Pick<PlanSettings, 'roleName'>,
): PreflightTarget[] {
  return accounts.map((account) => {
    const kind = kindFor(account);
    return {
      accountId: account.id,
      stackName: STACK_NAMES[kind],
      platformRoleName: roleNameFor(kind, settings),
    };
  });
}

type Decision = Pick<PlanItem, 'action' | 'reason' | 'code' | 'fix'>;

function decide(
  kind: TemplateKind,
  deployment: StackDeployment,
  result: PreflightResult | undefined,
  settings: PlanSettings,
  accountId: string,
): Decision {
  const viaStackSet = settings.mode === 'stacksets' && kind === 'resource';
  if (result === undefined) {
    return {
      action: 'blocked',
      code: 'PREFLIGHT_MISSING',
      reason: `Account ${accountId} was not checked by the preflight.`,
      fix: 'Run the preflight again for the current selection.',
    };
  }
  if (!result.ok) {
    // Service-managed StackSets reach members through AWS Organizations, not the access role.
    if (viaStackSet) {
      return {
        action: 'create',
        reason: `Deployed through the StackSet ${deployment.stackName}; the account could not be inspected (${result.reason})`,
      };
    }
    return {
      action: 'blocked',
      code: result.code,
      reason: result.reason,
      ...(result.fix === undefined ? {} : { fix: result.fix }),
    };
  }

  const stack = result.stack;
  const roleName = deployment.parameters['RoleName'] ?? '';
  const roleTaken: Decision = {
    action: 'blocked',
    code: 'ROLE_NAME_TAKEN',
    reason: `An IAM role named ${roleName} already exists in ${accountId} outside the orgconnect stack.`,
    fix: `Delete that role, or choose another role name for the platform role.`,
  };

  if (viaStackSet) {
    if (stack !== null && stackPhase(stack.status) !== 'absent') {
      return {
        action: 'blocked',
        code: 'STACK_MODE_CONFLICT',
        reason: `A stand-alone ${stack.stackName} stack exists in ${accountId}; the StackSet would create the same role.`,
        fix: `Delete the ${stack.stackName} stack in ${accountId}, or deploy with mode "stacks".`,
      };
    }
    return { action: 'create', reason: `Deployed through the StackSet ${deployment.stackName}.` };
  }

  const phase = stackPhase(stack?.status);
  if (stack === null || phase === 'absent') {
    if (result.platformRole === 'exists') return roleTaken;
    return { action: 'create', reason: `No ${deployment.stackName} stack yet.` };
  }
  if (phase === 'replaceable') {
    if (result.platformRole === 'exists') return roleTaken;
    return {
      action: 'create',
      reason: `Replaces the ${stack.stackName} stack left in ${stack.status} by a failed create.`,
    };
  }
  if (phase === 'needs-attention') {
    return {
      action: 'blocked',
      code: 'STACK_NEEDS_ATTENTION',
      reason: `Stack ${stack.stackName} in ${accountId} is in ${stack.status} and needs a person.`,
      fix: 'In the CloudFormation console continue the update rollback or delete the stack, then plan again.',
    };
  }
  if (phase === 'in-progress') {
    if (stack.status === 'DELETE_IN_PROGRESS') {
      return {
        action: 'create',
        reason: `Waits for the old ${stack.stackName} stack to finish deleting, then creates it.`,
      };
    }
    return {
      action: 'update',
      reason: `Waits for ${stack.status} to finish, then updates the stack if it differs.`,
    };
  }

  // Stable: compare with what the deployer would write.
  if (
    stackMatchesInputs(
      { Tags: Object.entries(stack.tags).map(([Key, Value]) => ({ Key, Value })) },
      stackInputTags(deployment),
    )
  ) {
    return { action: 'skip', reason: 'Already connected with this template and these settings.' };
  }
  if (
    stack.parameters['RoleName'] !== undefined &&
    stack.parameters['RoleName'] !== roleName &&
    result.platformRole === 'exists'
  ) {
    return roleTaken;
  }
  const oldPath = stack.parameters['RolePath'] ?? '/';
  const newPath = deployment.parameters['RolePath'] ?? '/';
  if (stack.parameters['RoleName'] === roleName && oldPath !== newPath) {
    // IAM cannot move a role to another path: CloudFormation would have to replace it, which it refuses to do
    // for a named role ("cannot update a stack when a custom-named resource requires replacing").
    return {
      action: 'blocked',
      code: 'ROLE_PATH_CHANGE',
      reason: `The role ${roleName} in ${accountId} is under ${oldPath}; the platform needs it under ${newPath}, and IAM cannot move a named role.`,
      fix: `Deploy with another --role-name (CloudFormation then creates the new role and removes the old one), or delete the ${stack.stackName} stack and deploy again.`,
    };
  }
  return { action: 'update', reason: updateReason(stack, deployment) };
}

/** Why the stack's platform differs from the one to deploy; undefined when it does not. */
function platformChange(stack: ExistingStack, deployment: StackDeployment): string | undefined {
  const want = parsePlatformStamp(deployment.tags[PLATFORM_TAG]);
  if (want === undefined) return undefined;
  const have = parsePlatformStamp(stack.tags[PLATFORM_TAG]);
  if (have === undefined) return `The platform's permissions changed on ${want.version}.`;
  if (have.id !== want.id) return `The platform changes from ${have.id} to ${want.id}.`;
  if (have.version !== want.version) {
    return `The platform's permissions changed on ${want.version} (the stack has those of ${have.version}).`;
  }
  return undefined;
}

function updateReason(stack: ExistingStack, deployment: StackDeployment): string {
  const expected = stackInputTags(deployment);
  if (stack.tags[TEMPLATE_SHA_TAG] === undefined)
    return 'The stack was not deployed by orgconnect; it will be brought to the orgconnect template.';
  const platform = platformChange(stack, deployment);
  if (platform !== undefined) return platform;
  if (stack.tags[TEMPLATE_SHA_TAG] !== expected[TEMPLATE_SHA_TAG])
    return 'The stack runs another version of the template.';
  if (stack.tags[INPUTS_SHA_TAG] !== expected[INPUTS_SHA_TAG]) {
    return 'Settings changed (External ID, role name or path, bucket, or connection name).';
  }
  return 'The stack differs from the settings.';
}

function byOrgOrder(a: PlanItem, b: PlanItem): number {
  if (a.kind !== b.kind) return a.kind === 'billing' ? -1 : 1;
  return (
    a.ouPath.localeCompare(b.ouPath) ||
    a.accountName.localeCompare(b.accountName) ||
    a.accountId.localeCompare(b.accountId)
  );
}

export function buildPlan(input: PlanInput): Plan {
  const { settings } = input;
  const management = input.accounts.find((account) => account.isManagement);
  if (!management) {
    throw new OrgConnectError(
      'PLAN_NO_MANAGEMENT_ACCOUNT',
      'The discovered organization has no management account.',
      {
        fix: 'Discover the organization again with the management account credentials.',
      },
    );
  }
  const resolved = resolveSelection(input.selection, input.accounts, input.units);
  const preflight = new Map(input.preflight.map((result) => [result.accountId, result]));
  const planned = [...resolved.active, ...resolved.inactive.map((entry) => entry.account)];

  const keep: Record<string, string> = {};
  for (const result of input.preflight) {
    const name = result.ok ? result.stack?.tags[CONNECTION_NAME_TAG] : undefined;
    if (name !== undefined) keep[result.accountId] = name;
  }
  const { names, problems } = assignConnectionNames(planned, {
    ...(settings.namePrefix === undefined ? {} : { prefix: settings.namePrefix }),
    ...(settings.nameOverrides === undefined ? {} : { overrides: settings.nameOverrides }),
    keep,
  });
  if (problems.length > 0) {
    throw new OrgConnectError(
      'CONNECTION_NAME_INVALID',
      problems.map((p) => `${p.accountId} "${p.name}": ${p.message}`).join(' '),
      {
        fix: 'Edit the connection names: lowercase letters, digits and single dashes, unique, at most 64 characters.',
      },
    );
  }

  const inactive = new Map(resolved.inactive.map((entry) => [entry.account.id, entry]));
  const items = planned.map((account): PlanItem => {
    const kind = kindFor(account);
    const connectionName = names[account.id] ?? '';
    const base = {
      accountId: account.id,
      accountName: account.name,
      ouPath: account.ouPath,
      kind,
      connectionName,
      stackName: STACK_NAMES[kind],
    };
    const off = inactive.get(account.id);
    if (off)
      return {
        ...base,
        action: 'blocked',
        code: off.code,
        reason: off.reason,
        fix: 'Leave the account out of the selection, or reopen it first.',
      };
    const deployment = stackDeployment(base, settings, input.templates);
    const decision = decide(kind, deployment, preflight.get(account.id), settings, account.id);
    return { ...base, ...stripUndefined(decision) };
  });
  items.sort(byOrgOrder);

  const counts: PlanCounts = {
    total: items.length,
    create: 0,
    update: 0,
    skip: 0,
    blocked: 0,
    billing: 0,
    resource: 0,
  };
  for (const item of items) {
    counts[item.action] += 1;
    counts[item.kind] += 1;
  }
  return { managementAccountId: management.id, items, counts };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
