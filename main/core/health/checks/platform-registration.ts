/**
 * Does the platform have this connection? Read from what the run journaled when it registered (the platform
 * offers no read-back of a link): pass when it accepted this role ARN (the live one, when the account is
 * reachable) with this connection's External ID; fail when it refused or could not be reached; warn when the
 * connection was never registered.
 */
import type { HealthCheck } from '../check-context.js';
import { result } from '../check-result.js';

const REGISTER_FIX = 'Run "orgconnect register" (add --external-id once the run has finished).';

export const platformRegistrationCheck: HealthCheck = {
  id: 'platform-registration',
  needsAws: false,
  async run({ connection, role, clients }) {
    const registration = connection.registration;
    if (registration === undefined) {
      return result('platform-registration', 'warn', 'Never registered with the platform.', {
        fix: REGISTER_FIX,
      });
    }
    if (registration.status === 'not-sent') {
      return result(
        'platform-registration',
        'warn',
        `Not registered with the platform: ${registration.reason}.`,
        {
          fix: REGISTER_FIX,
        },
      );
    }
    if (registration.status === 'failed') {
      return result(
        'platform-registration',
        'fail',
        `The platform did not accept it: ${registration.reason}`,
        {
          ...(registration.fix ? { fix: registration.fix } : { fix: REGISTER_FIX }),
          facts: { registrationCode: registration.code },
        },
      );
    }
    const live = clients ? await role() : undefined;
    const current = live?.found === true ? live.value.Arn : connection.roleArn;
    if (current !== undefined && current !== registration.roleArn) {
      return result(
        'platform-registration',
        'fail',
        `The platform was given ${registration.roleArn}, but the role is now ${current}.`,
        { fix: 'Register the current role: deploy again, or run "orgconnect register".' },
      );
    }
    return result(
      'platform-registration',
      'pass',
      `Registered with the platform at ${registration.at} (HTTP ${registration.httpStatus}).`,
      { facts: { registeredAt: registration.at } },
    );
  },
};
