/**
 * THE single wiring point between `orgconnect disconnect` and the platform: builds the function that deregisters
 * one connection (POST of the platform's `account-link-deprovisioned` link message).
 *
 * TODO(merge, issue 12): wire this to main/core/platform/registration-client.ts (being written alongside). Until
 * then every connection is reported "not registered", so disconnect deletes stacks and says plainly that nothing
 * was deregistered.
 */
import type { DeregisterFor } from '../core/onboarding/disconnect.js';

export const REGISTRATION_CLIENT_MISSING = 'not registered: registration client not available';

export const deregisterFor: DeregisterFor = (_link) => async () => ({
  status: 'not-registered',
  message: REGISTRATION_CLIENT_MISSING,
});
