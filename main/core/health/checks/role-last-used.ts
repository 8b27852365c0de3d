/**
 * Has the platform used the role? IAM's RoleLastUsed says when the role was last assumed. A role nobody has
 * used a day after it was deployed usually means the connection was never registered in the platform (or was
 * registered with another ARN or External ID). Within the grace period "not used yet" is expected and passes.
 */
import type { Role } from '@aws-sdk/client-iam';
import type { HealthCheck } from '../check-context.js';
import { result, type CheckResult } from '../check-result.js';

const HOUR = 3_600_000;

/** Pure: `role` as GetRole returned it; `deployedAt` (ISO) stands in when IAM sent no CreateDate. */
export function evaluateRoleLastUsed(
  role: Pick<Role, 'RoleLastUsed' | 'CreateDate'>,
  options: { now: number; graceHours?: number; deployedAt?: string | undefined },
): CheckResult {
  const grace = options.graceHours ?? 24;
  // IAM always sends RoleLastUsed (empty when never used); its absence means the endpoint does not track it.
  if (role.RoleLastUsed === undefined) {
    return result('role-last-used', 'unknown', 'IAM did not report when the role was last used.');
  }
  const lastUsed = role.RoleLastUsed.LastUsedDate;
  if (lastUsed !== undefined) {
    const where = role.RoleLastUsed.Region ? ` in ${role.RoleLastUsed.Region}` : '';
    return result(
      'role-last-used',
      'pass',
      `The platform last used the role ${new Date(lastUsed).toISOString()}${where}.`,
    );
  }
  // The role's own creation date first: a stack updated yesterday may hold a role created months ago.
  const since = role.CreateDate
    ? new Date(role.CreateDate).getTime()
    : options.deployedAt !== undefined
      ? Date.parse(options.deployedAt)
      : NaN;
  if (Number.isNaN(since))
    return result(
      'role-last-used',
      'unknown',
      'The role has not been used, and when it was created is not known.',
    );
  const hours = Math.floor((options.now - since) / HOUR);
  if (options.now - since >= grace * HOUR) {
    return result(
      'role-last-used',
      'warn',
      `The platform has not used the role yet (${hours} hours after it was created).`,
      {
        fix: 'Register the connection in the platform with this role ARN, and check the External ID matches.',
      },
    );
  }
  return result(
    'role-last-used',
    'pass',
    `Not used yet; created ${hours} hour(s) ago (the platform usually connects within ${grace} hours).`,
  );
}

export const roleLastUsedCheck: HealthCheck = {
  id: 'role-last-used',
  needsAws: true,
  async run({ connection, role, now, options }) {
    const found = await role();
    if (found.found !== true)
      return result(
        'role-last-used',
        'unknown',
        'Last use not checked: the role could not be read (see role-exists).',
      );
    return evaluateRoleLastUsed(found.value, {
      now: now(),
      graceHours: options.lastUsedGraceHours,
      deployedAt: connection.createdAt,
    });
  },
};
