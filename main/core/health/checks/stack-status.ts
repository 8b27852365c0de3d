/**
 * Does the connection's stack exist in a stable, successful state? UPDATE_ROLLBACK_COMPLETE works (the role is
 * as before the failed update) but is a warning; anything rolled back, failed or deleted is a failure. When the
 * connection records the template it was deployed from, a stack tagged with another template is a warning.
 */
import { stackPhase, TEMPLATE_SHA_TAG } from '../../cloudformation/index.js';
import type { HealthCheck } from '../check-context.js';
import { result } from '../check-result.js';
import { cannotCheck } from '../../aws/cannot-check.js';

const GOOD = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);

export const stackStatusCheck: HealthCheck = {
  id: 'stack-status',
  needsAws: true,
  async run({ connection, stack }) {
    const name = connection.stackName;
    if (connection.source === 'manual')
      return result('stack-status', 'skipped', 'Adopted role: made by hand, so there is no stack.');
    const found = await stack();
    if (found.found === 'error') {
      return result('stack-status', 'unknown', cannotCheck(found.error, `DescribeStacks ${name}`).reason);
    }
    if (!found.found) {
      return result('stack-status', 'fail', `Stack ${name} does not exist in ${connection.region}.`, {
        fix: 'Deploy the connection again (orgconnect deploy) to recreate the stack.',
        facts: { stackStatus: 'MISSING' },
      });
    }
    const status = found.value.StackStatus ?? 'UNKNOWN';
    const facts = { stackStatus: status };
    const reason = found.value.StackStatusReason;
    const detail = reason ? [`${status}: ${reason}`] : [];
    if (GOOD.has(status)) {
      const deployedSha = found.value.Tags?.find((tag) => tag.Key === TEMPLATE_SHA_TAG)?.Value;
      if (
        connection.templateSha256 !== undefined &&
        deployedSha !== undefined &&
        deployedSha !== connection.templateSha256
      ) {
        return result(
          'stack-status',
          'warn',
          `Stack ${name} is ${status} but was deployed from another template version.`,
          {
            fix: 'Deploy again to bring the stack to the current template.',
            facts,
          },
        );
      }
      return result('stack-status', 'pass', `Stack ${name} is ${status}.`, { facts });
    }
    if (status === 'UPDATE_ROLLBACK_COMPLETE') {
      return result('stack-status', 'warn', `Stack ${name}'s last update was rolled back (${status}).`, {
        fix: 'Look at the stack events for the failed update, then deploy again.',
        detail,
        facts,
      });
    }
    if (stackPhase(status) === 'in-progress' && !/ROLLBACK|DELETE/.test(status)) {
      return result('stack-status', 'warn', `Stack ${name} is ${status}.`, {
        fix: 'Wait for the operation to finish, then check again.',
        facts,
      });
    }
    return result('stack-status', 'fail', `Stack ${name} is ${status}.`, {
      fix: 'Look at the stack events in CloudFormation, fix the cause, then deploy again.',
      detail,
      facts,
    });
  },
};
