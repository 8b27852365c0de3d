/**
 * The single wiring point between `orgconnect disconnect` and the platform: the function that deregisters one
 * connection (POST of the platform's `account-link-deprovisioned` link message, core/platform's client).
 */
export { platformDeregisterFor as deregisterFor } from '../core/onboarding/disconnect-deregistration.js';

import type { DeregisterFor } from '../core/onboarding/disconnect.js';

/** ORGCONNECT_NO_REGISTER=1: the stacks go, the platform is told nothing, and the outcome says so. */
export const deregisterNothing: DeregisterFor = () => async () => ({
  status: 'not-registered',
  message: 'registration turned off (ORGCONNECT_NO_REGISTER=1)',
});
