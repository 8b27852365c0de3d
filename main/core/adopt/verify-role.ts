/**
 * Is a hand-made role fit to be a connection? It must exist, trust exactly the profile's principals with the
 * External ID, carry at least the profile's permissions and grant no write action. The judgement is the health
 * checks' own (`evaluateTrustPolicy`, `evaluateRolePolicies`), so a role adopted today is healthy tomorrow by
 * the same rules; this module only reads the role and adds the one rule a stack-made role never needs: an
 * inline policy orgconnect did not write may not grant a write either.
 */
import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { OrgConnectError } from '../errors.js';
import type { Sender } from '../health/check-context.js';
import type { Connection } from '../health/connection.js';
import { evaluateTrustPolicy } from '../health/checks/role-trust.js';
import {
  evaluateRolePolicies,
  expectedRolePolicies,
  readRolePolicies,
} from '../health/checks/role-policies.js';
import { parsePolicyDocument, asList } from '../aws/policy-documents.js';
import { isReadOnlyAction } from '../onboarding/template-policy.js';

export const EXPORT_HINT = 'orgconnect templates export';

export interface RoleUnderReview {
  /** A connection as it will be recorded once the role is adopted (role name, path, profile, External ID hash). */
  connection: Connection;
  iam: Sender<IAMClient>;
}

/** Resolves with the role's ARN when it passes; otherwise throws ROLE_* with what differs and how to fix it. */
export async function verifyHandMadeRole({ connection, iam }: RoleUnderReview): Promise<string> {
  const fixBase = `Create or correct the role from "${EXPORT_HINT} --kind ${connection.kind}" (Terraform, CloudFormation or IAM JSON), then run adopt again.`;
  let role;
  try {
    role = (await iam.send(new GetRoleCommand({ RoleName: connection.roleName }))).Role;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchEntityException') {
      throw new OrgConnectError(
        'ROLE_NOT_FOUND',
        `Role ${connection.roleName} does not exist in account ${connection.accountId}.`,
        { fix: fixBase },
      );
    }
    throw error;
  }
  if (role === undefined || role.Arn === undefined)
    throw new OrgConnectError('ROLE_NOT_FOUND', `Role ${connection.roleName} could not be read.`, {
      fix: fixBase,
    });
  if (role.Path !== connection.rolePath) {
    throw new OrgConnectError(
      'ROLE_PATH_MISMATCH',
      `Role ${connection.roleName} is under ${role.Path ?? '/'}, not ${connection.rolePath}.`,
      { fix: `Give the role's ARN as it is (with its path), or create it under ${connection.rolePath}.` },
    );
  }
  const trust = evaluateTrustPolicy(connection, role.AssumeRolePolicyDocument);
  if (trust.status !== 'pass') {
    throw new OrgConnectError('ROLE_TRUST_MISMATCH', trust.summary, {
      fix: `Set the role's trust policy to the exported ${connection.kind}-trust-policy.json (${EXPORT_HINT} --format iam-json --external-id …).`,
    });
  }
  const partition = /^arn:(aws[a-z-]*):/.exec(role.Arn)?.[1] ?? 'aws';
  const live = await readRolePolicies(iam, connection.roleName);
  const expected = expectedRolePolicies(connection, partition);
  const policies = evaluateRolePolicies(expected, live);
  if (policies.status === 'fail') {
    throw new OrgConnectError('ROLE_POLICIES_MISMATCH', policies.summary, {
      fix: `Attach the managed policies and put the inline policies of the export (${EXPORT_HINT} --format iam-json), then run adopt again.`,
    });
  }
  const writes = extraInlineWrites(
    live.inline,
    expected.inline.map((policy) => policy.name),
  );
  if (writes.length > 0) {
    throw new OrgConnectError(
      'ROLE_GRANTS_WRITES',
      `The role grants actions that are not read-only: ${writes.join(', ')}.`,
      { fix: 'Remove those statements: a platform connection may only read.' },
    );
  }
  return role.Arn;
}

/** Allow actions of inline policies the profile does not define that are not provably reads (`policy/action`). */
function extraInlineWrites(inline: Record<string, unknown>, expectedNames: readonly string[]): string[] {
  const out: string[] = [];
  for (const [name, raw] of Object.entries(inline)) {
    if (expectedNames.includes(name)) continue;
    const document = parsePolicyDocument(raw);
    if (document === undefined) {
      out.push(`${name} (unreadable)`);
      continue;
    }
    for (const statement of document.Statement) {
      if (statement['Effect'] !== 'Allow') continue;
      if (statement['NotAction'] !== undefined) out.push(`${name}/NotAction`);
      for (const action of asList(statement['Action'])) {
        if (typeof action === 'string' && !isReadOnlyAction(action)) out.push(`${name}/${action}`);
      }
    }
  }
  return out;
}
