/**
 * Does the role carry what its platform profile gives it: the managed policies, and each inline policy with the
 * same statements? A missing policy or action means the platform cannot read something (fail); an extra
 * attachment or action is a warning — unless it is not read-only, which breaks the connection's promise (fail).
 */
import {
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { isReadOnlyAction } from '../../onboarding/template-policy.js';
import type { HealthCheck, Sender } from '../check-context.js';
import { result, type CheckResult } from '../check-result.js';
import { cannotCheck } from '../../aws/cannot-check.js';
import { fixFor, type Connection } from '../connection.js';
import { expectedRoleDocuments } from '../expected-role.js';
import { actionSet, parsePolicyDocument, type PolicyStatement } from '../../aws/policy-documents.js';

export interface ExpectedInlinePolicy {
  name: string;
  statements: PolicyStatement[];
}

export interface ExpectedRolePolicies {
  managedArns: string[];
  inline: ExpectedInlinePolicy[];
}

/**
 * What the connection's role should carry in `partition`. Both a role's own Policies and the Billing template's
 * AWS::IAM::Policy for the CUR bucket appear on the role as inline policies.
 */
export function expectedRolePolicies(connection: Connection, partition = 'aws'): ExpectedRolePolicies {
  const documents = expectedRoleDocuments(connection, partition);
  return {
    managedArns: documents.managedPolicyArns,
    inline: documents.inlinePolicies.map((policy) => ({
      name: policy.name,
      statements: policy.document.Statement.map((statement) => ({ ...statement })),
    })),
  };
}

export interface LiveRolePolicies {
  attachedArns: string[];
  /** Inline policy name → its document as IAM returned it. */
  inline: Record<string, unknown>;
}

/** Pure: compares what the role carries with what its profile gives it. */
export function evaluateRolePolicies(
  expected: { readonly managedArns: readonly string[]; readonly inline: readonly ExpectedInlinePolicy[] },
  live: LiveRolePolicies,
): CheckResult {
  const failures: string[] = [];
  const warnings: string[] = [];
  const missingManaged = expected.managedArns.filter((arn) => !live.attachedArns.includes(arn));
  if (missingManaged.length > 0)
    failures.push(
      `missing managed ${plural('policy', missingManaged.length)} ${missingManaged.map(shortArn).join(', ')}`,
    );
  const extraManaged = live.attachedArns.filter((arn) => !expected.managedArns.includes(arn));
  if (extraManaged.length > 0)
    warnings.push(
      `extra managed ${plural('policy', extraManaged.length)} ${extraManaged.map(shortArn).join(', ')}`,
    );

  for (const policy of expected.inline) {
    if (!(policy.name in live.inline)) {
      failures.push(`inline policy ${policy.name} is missing`);
      continue;
    }
    const document = parsePolicyDocument(live.inline[policy.name]);
    if (document === undefined) {
      failures.push(`inline policy ${policy.name} cannot be read`);
      continue;
    }
    policy.statements.forEach((want, index) => {
      const sid = typeof want['Sid'] === 'string' ? want['Sid'] : undefined;
      const label = `${policy.name}/${sid ?? `#${index + 1}`}`;
      const have =
        sid === undefined ? document.Statement[index] : document.Statement.find((s) => s['Sid'] === sid);
      if (have === undefined) {
        failures.push(`${label} is missing`);
        return;
      }
      if (have['Effect'] !== want['Effect'])
        failures.push(`${label} is ${String(have['Effect'])} instead of ${String(want['Effect'])}`);
      const wantActions = actionSet(want);
      const haveActions = actionSet(have);
      const missing = [...wantActions].filter((action) => !haveActions.has(action));
      const extra = [...haveActions].filter((action) => !wantActions.has(action));
      // A Deny that lost actions is as bad as an Allow that gained them: both widen access.
      if (missing.length > 0) failures.push(`${label} lacks ${missing.join(', ')}`);
      if (extra.length > 0) {
        const writes = want['Effect'] === 'Allow' ? extra.filter((action) => !isReadOnlyAction(action)) : [];
        if (writes.length > 0) failures.push(`${label} grants non-read-only ${writes.join(', ')}`);
        else warnings.push(`${label} has extra ${extra.join(', ')}`);
      }
    });
  }
  const expectedNames = new Set(expected.inline.map((policy) => policy.name));
  const extraInline = Object.keys(live.inline).filter((name) => !expectedNames.has(name));
  if (extraInline.length > 0)
    warnings.push(`extra inline ${plural('policy', extraInline.length)} ${extraInline.join(', ')}`);

  const fix = "Deploy the connection again to restore the role's policies.";
  if (failures.length > 0)
    return result('role-policies', 'fail', `Role policies differ: ${failures.join('; ')}.`, {
      fix,
      detail: warnings,
    });
  if (warnings.length > 0)
    return result(
      'role-policies',
      'warn',
      `Role has more than its platform profile gives: ${warnings.join('; ')}.`,
      {
        fix,
      },
    );
  return result(
    'role-policies',
    'pass',
    `Managed and inline policies match the ${expected.inline.length === 0 ? '' : 'reviewed '}platform profile.`,
  );
}

function plural(word: string, count: number): string {
  return count === 1 ? word : word.replace(/y$/, 'ies');
}

function shortArn(arn: string): string {
  return arn.replace(/^arn:aws[a-z-]*:iam::aws:policy\//, '');
}

/**
 * The role's managed and inline policies. The two listings do not depend on each other and inline documents are
 * fetched together: at 10,000 connections this path is most of a Health round's wall time.
 */
export async function readRolePolicies(iam: Sender<IAMClient>, roleName: string): Promise<LiveRolePolicies> {
  const listAttached = async (): Promise<string[]> => {
    const arns: string[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(
        new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }),
      );
      arns.push(...(page.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return arns;
  };
  const readInline = async (): Promise<Record<string, unknown>> => {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
      names.push(...(page.PolicyNames ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    const documents = await Promise.all(
      names.map(
        async (name) =>
          (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))).PolicyDocument,
      ),
    );
    return Object.fromEntries(names.map((name, i) => [name, documents[i]]));
  };
  const [attachedArns, inline] = await Promise.all([listAttached(), readInline()]);
  return { attachedArns, inline };
}

export const rolePoliciesCheck: HealthCheck = {
  id: 'role-policies',
  needsAws: true,
  async run({ connection, role, clients }) {
    // The policies are read while GetRole is in flight rather than after it (one call's latency less per
    // connection); when the role turns out missing or unreadable, what the listings said is not used.
    const reading: Promise<LiveRolePolicies> | undefined = clients
      ? readRolePolicies(clients.iam, connection.roleName)
      : undefined;
    reading?.catch(() => undefined);
    const found = await role();
    if (found.found !== true || !reading)
      return result(
        'role-policies',
        'unknown',
        'Policies not checked: the role could not be read (see role-exists).',
      );
    const partition = /^arn:(aws[a-z-]*):/.exec(found.value.Arn ?? '')?.[1] ?? 'aws';
    let live: LiveRolePolicies;
    try {
      live = await reading;
    } catch (error) {
      return result('role-policies', 'unknown', cannotCheck(error, "Reading the role's policies").reason);
    }
    const judged = evaluateRolePolicies(expectedRolePolicies(connection, partition), live);
    return judged.fix === undefined ? judged : { ...judged, fix: fixFor(connection, judged.fix) };
  },
};
