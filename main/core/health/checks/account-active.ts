/** Is the account still an ACTIVE member of the Organization? Read from a discovery snapshot, not from AWS. */
import type { HealthCheck } from '../check-context.js';
import { result } from '../check-result.js';

export const accountActiveCheck: HealthCheck = {
  id: 'account-active',
  needsAws: false,
  async run({ connection, snapshot }) {
    if (snapshot === undefined) {
      return result('account-active', 'unknown', 'No Organization discovery to compare with.', {
        fix: 'Refresh the account list (orgconnect accounts), then check again.',
      });
    }
    if (snapshot.organization.managementAccountId !== connection.managementAccountId) {
      return result(
        'account-active',
        'unknown',
        `The discovery is of another Organization (management account ${snapshot.organization.managementAccountId}).`,
      );
    }
    const account = snapshot.accounts.find((candidate) => candidate.id === connection.accountId);
    if (account === undefined) {
      return result(
        'account-active',
        'fail',
        `Account ${connection.accountId} is no longer in the Organization.`,
        {
          fix: 'Remove this connection from the platform, or invite the account back into the Organization.',
          detail: [`discovered at ${snapshot.discoveredAt}`],
        },
      );
    }
    // `state` is AWS's newer, finer field; the older `status` is the fallback.
    const state = account.state ?? account.status;
    if (state === 'ACTIVE')
      return result('account-active', 'pass', 'The account is active in the Organization.');
    if (state === 'PENDING_ACTIVATION') {
      return result('account-active', 'warn', 'The account is still being activated.', {
        fix: 'Wait for AWS to finish activating it.',
      });
    }
    return result('account-active', 'fail', `The account is ${state} (closed or suspended).`, {
      fix: 'Remove this connection from the platform; a closed account has no costs to read.',
    });
  },
};
