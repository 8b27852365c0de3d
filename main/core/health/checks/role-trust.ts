/**
 * Does the role trust exactly the platform's accounts (as its profile names them), only for sts:AssumeRole, and
 * only with the External ID the platform was given? The structural rules are the template checker's
 * (template-policy.ts), applied to the live document; the External ID is compared by sha256, since orgconnect
 * never stores the value itself.
 */
import { formatPolicyProblem, trustPolicyProblems } from '../../onboarding/template-policy.js';
import type { CfnTemplate } from '../../onboarding/templates.js';
import type { HealthCheck } from '../check-context.js';
import { expectedTrustedAccounts } from '../expected-role.js';
import { result, type CheckResult } from '../check-result.js';
import { fixFor, type Connection } from '../connection.js';
import {
  asList,
  externalIdValues,
  parsePolicyDocument,
  principalAccountId,
  sha256Hex,
} from '../../aws/policy-documents.js';

const FIX =
  'Deploy the connection again to restore the trust policy (or edit it back to the platform account and External ID).';

/** Pure: evaluates a live trust policy document (as IAM returns it) against the connection. */
export function evaluateTrustPolicy(connection: Connection, rawDocument: unknown): CheckResult {
  const document = parsePolicyDocument(rawDocument);
  if (document === undefined)
    return result('role-trust', 'fail', 'The trust policy cannot be read as JSON.', {
      fix: fixFor(connection, FIX),
    });
  const allows = document.Statement.filter((statement) => statement['Effect'] === 'Allow');
  const differences: string[] = [];
  const platformAccounts = expectedTrustedAccounts(connection);
  const platformLabel = platformAccounts.join(' and ');

  const otherAccounts = new Set<string>();
  const otherPrincipals = new Set<string>();
  const trustedPlatform = new Set<string>();
  for (const statement of allows) {
    const principal = statement['Principal'];
    if (typeof principal === 'string') otherPrincipals.add(principal === '*' ? 'everyone (*)' : principal);
    else if (typeof principal === 'object' && principal !== null) {
      for (const [type, values] of Object.entries(principal)) {
        for (const value of asList(values)) {
          if (type !== 'AWS' || typeof value !== 'string') {
            otherPrincipals.add(`${type} ${String(value)}`);
            continue;
          }
          const account = principalAccountId(value);
          if (account !== undefined && platformAccounts.includes(account)) trustedPlatform.add(account);
          else if (account !== undefined) otherAccounts.add(account);
          else otherPrincipals.add(value === '*' ? 'everyone (*)' : value);
        }
      }
    }
  }
  const others = [...otherAccounts];
  const missing = platformAccounts.filter((account) => !trustedPlatform.has(account));
  if (others.length > 0) {
    differences.push(
      trustedPlatform.size > 0
        ? `also trusts ${others.join(', ')}`
        : `trusts ${others.join(', ')} instead of ${platformLabel}`,
    );
  }
  if (missing.length > 0 && (others.length === 0 || trustedPlatform.size > 0)) {
    differences.push(
      `does not trust the platform ${missing.length === 1 ? 'account' : 'accounts'} ${missing.join(' and ')}`,
    );
  }
  if (otherPrincipals.size > 0) differences.push(`also trusts ${[...otherPrincipals].join(', ')}`);

  const externalIds = allows.flatMap(externalIdValues);
  const statementsWithoutId = allows.filter((statement) => externalIdValues(statement).length === 0);
  if (allows.length > 0 && statementsWithoutId.length > 0) {
    differences.push('does not require the External ID');
  } else if (externalIds.some((value) => sha256Hex(value) !== connection.externalIdSha256)) {
    differences.push(
      `External ID differs from the one given to the platform (ending ${connection.externalIdLast4})`,
    );
  }

  // The template checker's structural rules (only sts:AssumeRole, no NotPrincipal, ...), on the live document.
  const asTemplate: CfnTemplate = {
    Resources: { LiveRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: document } } },
  };
  const problems = trustPolicyProblems(asTemplate, { platformAccountIds: platformAccounts }).map(
    formatPolicyProblem,
  );
  if (differences.length === 0 && problems.length > 0)
    differences.push(problems[0]?.replace(/^LiveRole AssumeRolePolicyDocument\S*: /, '') ?? 'differs');

  if (differences.length === 0) {
    return result('role-trust', 'pass', `Trusts only ${platformLabel}, with the External ID.`);
  }
  const summary = `The role ${differences.join('; ')}.`;
  return result('role-trust', 'fail', summary.charAt(0).toUpperCase() + summary.slice(1), {
    fix: fixFor(connection, FIX),
    detail: problems,
  });
}

export const roleTrustCheck: HealthCheck = {
  id: 'role-trust',
  needsAws: true,
  async run({ connection, role }) {
    const found = await role();
    if (found.found !== true)
      return result(
        'role-trust',
        'unknown',
        'Trust not checked: the role could not be read (see role-exists).',
      );
    return evaluateTrustPolicy(connection, found.value.AssumeRolePolicyDocument);
  },
};
