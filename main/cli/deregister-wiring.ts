/**
 * The single wiring point between `orgconnect disconnect` and the platform: the function that deregisters one
 * connection (POST of the platform's `account-link-deprovisioned` link message, core/platform's client), or,
 * with ORGCONNECT_NO_REGISTER=1, nothing (the outcome says so).
 */
export {
  platformDeregisterFor as deregisterFor,
  deregisterNothing,
} from '../core/onboarding/disconnect-deregistration.js';
