/**
 * Pure checks over a parsed template's IAM policies: is every Allow strictly read-only, does every trust policy
 * admit only the platform account and only with the External ID, and which AWS managed policies should the role
 * carry. Used by the template tests and by health checks (which compare a live role against the template).
 *
 * The checks are conservative: a statement behind `Fn::If` is checked on both branches, and anything the checker
 * cannot read (an action or principal computed by an intrinsic it does not know) is a problem, not a pass.
 */
import { CLOUDZERO_ACCOUNT_IDS } from '../platform/cloudzero-profile.js';
import { SECRET_REVEALING_ACTIONS } from '../platform/secret-revealing-actions.js';
import type { CfnTemplate } from './templates.js';

export { SECRET_REVEALING_ACTIONS };

export type PolicyKind = 'permissions' | 'trust';

export interface LocatedStatement {
  /** Logical id of the resource that holds the policy. */
  resource: string;
  resourceType: string;
  kind: PolicyKind;
  /** Inline policy name, `AssumeRolePolicyDocument`, or the policy resource's logical id. */
  policyName: string;
  /** Position in the policy's Statement list. */
  index: number;
  /** Set when the statement only exists under this template condition (`Fn::If`). */
  condition?: string;
  statement: Record<string, unknown>;
}

export interface PolicyProblem {
  resource: string;
  policyName: string;
  sid?: string;
  message: string;
}

type Branch = { value: unknown; condition?: string };

const NO_VALUE = 'AWS::NoValue';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNoValue(value: unknown): boolean {
  return isRecord(value) && value['Ref'] === NO_VALUE;
}

/** The values `value` may take: both branches of an `Fn::If` (recursively), without `AWS::NoValue`. */
function branches(value: unknown, condition?: string): Branch[] {
  if (isRecord(value) && Array.isArray(value['Fn::If']) && Object.keys(value).length === 1) {
    const [name, whenTrue, whenFalse] = value['Fn::If'] as unknown[];
    const label = typeof name === 'string' ? name : '?';
    return [...branches(whenTrue, condition ?? label), ...branches(whenFalse, condition ?? `!${label}`)];
  }
  if (isNoValue(value)) return [];
  return [condition === undefined ? { value } : { value, condition }];
}

/** A list that may itself be, or contain, `Fn::If`s, flattened to its possible elements. */
function listBranches(value: unknown, condition?: string): Branch[] {
  return branches(value, condition).flatMap((branch) =>
    Array.isArray(branch.value)
      ? branch.value.flatMap((item: unknown) => branches(item, branch.condition))
      : [branch],
  );
}

function statementsOf(
  document: unknown,
  base: Omit<LocatedStatement, 'index' | 'statement' | 'condition'>,
  condition: string | undefined,
): LocatedStatement[] {
  const out: LocatedStatement[] = [];
  for (const doc of branches(document, condition)) {
    if (!isRecord(doc.value)) continue;
    listBranches(doc.value['Statement'], doc.condition).forEach((entry, index) => {
      const statement = isRecord(entry.value) ? entry.value : { Invalid: entry.value };
      out.push({
        ...base,
        index,
        statement,
        ...(entry.condition === undefined ? {} : { condition: entry.condition }),
      });
    });
  }
  return out;
}

const INLINE_POLICY_HOLDERS = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);
const POLICY_RESOURCES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy']);

/** Every permission-policy statement in the template: inline role/user/group policies and IAM policy resources. */
export function listPolicyStatements(template: CfnTemplate): LocatedStatement[] {
  const out: LocatedStatement[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const properties = resource.Properties ?? {};
    const resourceCondition = resource.Condition;
    if (INLINE_POLICY_HOLDERS.has(resource.Type)) {
      for (const policy of listBranches(properties['Policies'], resourceCondition)) {
        if (!isRecord(policy.value)) continue;
        const policyName =
          typeof policy.value['PolicyName'] === 'string' ? policy.value['PolicyName'] : '(computed name)';
        out.push(
          ...statementsOf(
            policy.value['PolicyDocument'],
            { resource: logicalId, resourceType: resource.Type, kind: 'permissions', policyName },
            policy.condition,
          ),
        );
      }
    } else if (POLICY_RESOURCES.has(resource.Type)) {
      out.push(
        ...statementsOf(
          properties['PolicyDocument'],
          {
            resource: logicalId,
            resourceType: resource.Type,
            kind: 'permissions',
            // IAM shows an AWS::IAM::Policy on the role under its PolicyName, so that is the name to compare.
            policyName: typeof properties['PolicyName'] === 'string' ? properties['PolicyName'] : logicalId,
          },
          resourceCondition,
        ),
      );
    }
  }
  return out;
}

/** Every statement of every role's trust policy (AssumeRolePolicyDocument). */
export function listTrustStatements(template: CfnTemplate): LocatedStatement[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
    .flatMap(([logicalId, resource]) =>
      statementsOf(
        resource.Properties?.['AssumeRolePolicyDocument'],
        {
          resource: logicalId,
          resourceType: resource.Type,
          kind: 'trust',
          policyName: 'AssumeRolePolicyDocument',
        },
        resource.Condition,
      ),
    );
}

// A read verb counts only as a whole word at the start of the action name: `Get*`, `GetObject`, `DescribeReserved*`
// are reads; `G*`, `*Object` and `Getaway` are not.
const READ_VERBS = ['BatchGet', 'Describe', 'Get', 'List', 'Lookup', 'Search', 'View'];

/** Read actions whose names carry no read verb. */
const READ_ALLOW_LIST = new Set(
  ['logs:FilterLogEvents', 'logs:StartQuery', 'logs:StopQuery', 'iam:SimulatePrincipalPolicy'].map((a) =>
    a.toLowerCase(),
  ),
);

const ACTION_SHAPE = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/;

/** IAM's action wildcards: `*` any run of characters, `?` one character; case-insensitive like IAM itself. */
function wildcardRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i');
}

/**
 * True when `action` (an IAM action or action pattern) can only grant reads: its name starts with a read verb,
 * or it is an explicitly allowed read, and it cannot match a secret-revealing read. `*`, `s3:*`, `s3:*Object`
 * and a wildcard service are never read-only.
 */
export function isReadOnlyAction(action: string): boolean {
  const match = ACTION_SHAPE.exec(action.trim());
  if (!match) return false;
  const [, service = '', name = ''] = match;
  const normalized = `${service}:${name}`.toLowerCase();
  const literalPrefix = name.split(/[*?]/)[0] ?? '';
  const verbOk = READ_VERBS.some((verb) => {
    if (!literalPrefix.toLowerCase().startsWith(verb.toLowerCase())) return false;
    const next = literalPrefix.charAt(verb.length);
    // The verb must end where a new word starts (GetObject), or where the wildcard does (Get*).
    return next === '' || /[A-Z]/.test(next);
  });
  if (!verbOk && !READ_ALLOW_LIST.has(normalized)) return false;
  const pattern = wildcardRegExp(`${service}:${name}`);
  return !SECRET_REVEALING_ACTIONS.some((secret) => pattern.test(secret));
}

function stringList(value: unknown): { values: string[]; computed: boolean } {
  const items = Array.isArray(value) ? value : [value];
  const values = items.filter((item): item is string => typeof item === 'string');
  return { values, computed: values.length !== items.length };
}

function problemAt(entry: LocatedStatement, message: string): PolicyProblem {
  const sid = entry.statement['Sid'];
  return {
    resource: entry.resource,
    policyName: entry.policyName,
    ...(typeof sid === 'string' ? { sid } : {}),
    message: entry.condition === undefined ? message : `${message} (when ${entry.condition})`,
  };
}

/** Problems that make a permission policy more than read-only; empty when every Allow only reads. */
export function readOnlyProblems(template: CfnTemplate): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const entry of listPolicyStatements(template)) {
    const { statement } = entry;
    if ('Invalid' in statement) {
      problems.push(problemAt(entry, 'statement is not a mapping'));
      continue;
    }
    const effect = statement['Effect'];
    if (effect === 'Deny') continue;
    if (effect !== 'Allow') {
      problems.push(problemAt(entry, `Effect must be Allow or Deny, not ${JSON.stringify(effect)}`));
      continue;
    }
    if ('NotAction' in statement) {
      problems.push(problemAt(entry, 'an Allow with NotAction grants everything not listed'));
      continue;
    }
    if (!('Action' in statement)) {
      problems.push(problemAt(entry, 'an Allow without Action'));
      continue;
    }
    const { values, computed } = stringList(statement['Action']);
    if (computed)
      problems.push(
        problemAt(entry, 'an action is computed by an intrinsic function and cannot be verified'),
      );
    for (const action of values) {
      if (!isReadOnlyAction(action)) problems.push(problemAt(entry, `${action} is not a read-only action`));
    }
  }
  return problems;
}

export interface TrustCheckOptions {
  /**
   * The platform accounts the role must trust, and the only ones it may. Default: the template's legacy
   * PlatformAccountId parameter default when it has one, else CloudZero's accounts.
   */
  platformAccountIds?: readonly string[];
}

const SUB_PARAMETER_ROOT = /^arn:(?:aws|\$\{AWS::Partition\}):iam::\$\{PlatformAccountId\}:root$/;
const SUB_LITERAL_ROOT = /^arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):iam::(\d{12}):root$/;
const LITERAL_ROOT = /^arn:aws(?:-[a-z-]+)?:iam::(\d{12}):root$/;

function legacyParameterAccount(template: CfnTemplate): string | undefined {
  const fromTemplate = template.Parameters?.['PlatformAccountId']?.Default;
  return typeof fromTemplate === 'string' ? fromTemplate : undefined;
}

function platformAccountsFor(template: CfnTemplate, options: TrustCheckOptions): readonly string[] {
  if (options.platformAccountIds !== undefined) return options.platformAccountIds;
  const legacy = legacyParameterAccount(template);
  return legacy === undefined ? CLOUDZERO_ACCOUNT_IDS : [legacy];
}

/**
 * The account a trust principal names: a 12-digit id, `arn:<partition>:iam::<id>:root` (literal or through
 * Fn::Sub), or the legacy PlatformAccountId parameter (its default). Undefined for anything else.
 */
function principalAccount(value: unknown, template: CfnTemplate): string | undefined {
  if (typeof value === 'string') return /^\d{12}$/.test(value) ? value : LITERAL_ROOT.exec(value)?.[1];
  if (!isRecord(value) || Object.keys(value).length !== 1) return undefined;
  const legacy = legacyParameterAccount(template);
  if (value['Ref'] === 'PlatformAccountId') return legacy;
  const sub = value['Fn::Sub'];
  if (typeof sub !== 'string') return undefined;
  if (SUB_PARAMETER_ROOT.test(sub)) return legacy;
  return SUB_LITERAL_ROOT.exec(sub)?.[1];
}

function externalIdValueOk(value: unknown, template: CfnTemplate): boolean {
  if (isRecord(value) && value['Ref'] === 'ExternalId' && Object.keys(value).length === 1) {
    return template.Parameters?.['ExternalId'] !== undefined;
  }
  return typeof value === 'string' && value.length >= 2;
}

/**
 * Problems with the roles' trust policies; empty when the roles trust exactly the platform accounts' roots (each
 * of them, and no one else), only for sts:AssumeRole, and only with `StringEquals sts:ExternalId` — and the
 * ExternalId parameter is NoEcho.
 */
export function trustPolicyProblems(template: CfnTemplate, options: TrustCheckOptions = {}): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const accountIds = platformAccountsFor(template, options);
  const statements = listTrustStatements(template);
  const trusted = new Set<string>();

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const allows = statements.filter((s) => s.resource === logicalId && s.statement['Effect'] === 'Allow');
    if (allows.length === 0) {
      problems.push({
        resource: logicalId,
        policyName: 'AssumeRolePolicyDocument',
        message: 'the role trusts no one (no Allow statement)',
      });
    }
  }

  for (const entry of statements) {
    const { statement } = entry;
    if (statement['Effect'] !== 'Allow') continue;
    if ('NotPrincipal' in statement)
      problems.push(problemAt(entry, 'NotPrincipal trusts everyone not listed'));
    const principal = statement['Principal'];
    if (!isRecord(principal)) {
      problems.push(problemAt(entry, `Principal ${JSON.stringify(principal)} is not the platform account`));
    } else {
      for (const key of Object.keys(principal)) {
        if (key !== 'AWS')
          problems.push(problemAt(entry, `Principal ${key} is trusted; only the platform account may be`));
      }
      const awsPrincipals =
        'AWS' in principal ? (Array.isArray(principal['AWS']) ? principal['AWS'] : [principal['AWS']]) : [];
      if (awsPrincipals.length === 0)
        problems.push(problemAt(entry, 'no AWS principal; only the platform account may be trusted'));
      for (const value of awsPrincipals) {
        const account = principalAccount(value, template);
        if (account !== undefined && accountIds.includes(account)) trusted.add(account);
        else {
          problems.push(
            problemAt(
              entry,
              `principal ${JSON.stringify(value)} is not a platform account (${accountIds.join(', ')})`,
            ),
          );
        }
      }
    }
    const actions = stringList(statement['Action']);
    if (
      actions.computed ||
      actions.values.length === 0 ||
      actions.values.some((a) => a.toLowerCase() !== 'sts:assumerole')
    ) {
      problems.push(
        problemAt(entry, `trust must allow only sts:AssumeRole, not ${JSON.stringify(statement['Action'])}`),
      );
    }
    const condition = statement['Condition'];
    const stringEquals = isRecord(condition) ? condition['StringEquals'] : undefined;
    const externalIdKey = isRecord(stringEquals)
      ? Object.keys(stringEquals).find((key) => key.toLowerCase() === 'sts:externalid')
      : undefined;
    if (externalIdKey === undefined || !isRecord(stringEquals)) {
      problems.push(
        problemAt(entry, 'trust does not require the External ID (Condition StringEquals sts:ExternalId)'),
      );
    } else if (!externalIdValueOk(stringEquals[externalIdKey], template)) {
      problems.push(problemAt(entry, 'sts:ExternalId must equal the ExternalId parameter'));
    }
  }

  const roles = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
  for (const accountId of accountIds) {
    if (roles.length > 0 && !trusted.has(accountId)) {
      problems.push({
        resource: roles.map(([logicalId]) => logicalId).join(', '),
        policyName: 'AssumeRolePolicyDocument',
        message: `the role does not trust the platform account ${accountId}`,
      });
    }
  }

  const externalId = template.Parameters?.['ExternalId'];
  if (externalId !== undefined && externalId.NoEcho !== true) {
    problems.push({
      resource: 'Parameters',
      policyName: 'ExternalId',
      message: 'the ExternalId parameter must be NoEcho',
    });
  }
  return problems;
}

/**
 * The AWS managed policy ARNs the template's roles attach, resolved for `partition`. moto does not attach
 * ManagedPolicyArns, so tests check the template; health checks compare these with ListAttachedRolePolicies.
 */
export function expectedManagedPolicyArns(template: CfnTemplate, partition = 'aws'): string[] {
  const arns: string[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    for (const entry of listBranches(resource.Properties?.['ManagedPolicyArns'])) {
      const value = entry.value;
      const text =
        typeof value === 'string'
          ? value
          : isRecord(value) && typeof value['Fn::Sub'] === 'string'
            ? value['Fn::Sub']
            : undefined;
      if (text === undefined) continue;
      const resolved = text.replaceAll('${AWS::Partition}', partition);
      if (!resolved.includes('${') && !arns.includes(resolved)) arns.push(resolved);
    }
  }
  return arns;
}

export function formatPolicyProblem(problem: PolicyProblem): string {
  const where = problem.sid === undefined ? problem.policyName : `${problem.policyName}/${problem.sid}`;
  return `${problem.resource} ${where}: ${problem.message}`;
}
