/**
 * How a disconnect run tells the platform a connection is gone: the platform's `account-link-deprovisioned` link
 * message, sent by the same client (https-or-loopback, retry with backoff, outcome as a value) that registers.
 */
import { notifyPlatform } from '../platform/registration-client.js';
import type { DeregisterFor } from './disconnect.js';
import { registrationSettingsFor } from './onboarding.js';

export const platformDeregisterFor: DeregisterFor = (link) => {
  const settings = registrationSettingsFor({
    ...(link.platformUrl === undefined ? {} : { platformUrl: link.platformUrl }),
  });
  return async (connection, signal) => {
    if ('off' in settings) return { status: 'not-registered', message: settings.off };
    const outcome = await notifyPlatform(
      settings,
      { ...connection, region: link.region },
      link.externalId,
      'account-link-deprovisioned',
      { signal },
    );
    if (outcome.ok) return { status: 'deregistered', message: `HTTP ${outcome.httpStatus} at ${outcome.at}` };
    return { status: 'failed', message: outcome.reason, code: outcome.code, fix: outcome.fix };
  };
};

/** ORGCONNECT_NO_REGISTER=1: the stacks go, the platform is told nothing, and the outcome says so. */
export const deregisterNothing: DeregisterFor = () => async () => ({
  status: 'not-registered',
  message: 'registration turned off (ORGCONNECT_NO_REGISTER=1)',
});
