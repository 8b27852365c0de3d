/** Does the platform's role still exist, under the ARN the platform was given? */
import type { HealthCheck } from '../check-context.js';
import { result } from '../check-result.js';
import { cannotCheck } from '../../aws/cannot-check.js';
import { fixFor } from '../connection.js';

export const roleExistsCheck: HealthCheck = {
  id: 'role-exists',
  needsAws: true,
  async run({ connection, role }) {
    const found = await role();
    if (found.found === 'error')
      return result(
        'role-exists',
        'unknown',
        cannotCheck(found.error, `GetRole ${connection.roleName}`).reason,
      );
    if (!found.found) {
      return result(
        'role-exists',
        'fail',
        `Role ${connection.roleName} does not exist in ${connection.accountId}.`,
        {
          fix: fixFor(
            connection,
            'Deploy the connection again to recreate the role (delete the stack first if it still exists).',
          ),
        },
      );
    }
    const arn = found.value.Arn;
    if (connection.roleArn !== undefined && arn !== undefined && arn !== connection.roleArn) {
      return result(
        'role-exists',
        'fail',
        `Role ${connection.roleName} now has ARN ${arn}; the platform was given ${connection.roleArn}.`,
        {
          fix: 'Update the connection in the platform with the new role ARN, or deploy again with the old role path.',
        },
      );
    }
    return result('role-exists', 'pass', `Role ${connection.roleName} exists.`);
  },
};
