/** Every check, in the order results are shown. */
import type { HealthCheck } from '../check-context.js';
import { accountActiveCheck } from './account-active.js';
import { curCheck } from './cur.js';
import { platformRegistrationCheck } from './platform-registration.js';
import { regionsStsCheck } from './regions-sts.js';
import { roleExistsCheck } from './role-exists.js';
import { roleLastUsedCheck } from './role-last-used.js';
import { rolePoliciesCheck } from './role-policies.js';
import { roleTrustCheck } from './role-trust.js';
import { stackDriftCheck } from './stack-drift.js';
import { stackStatusCheck } from './stack-status.js';

export const ALL_CHECKS: readonly HealthCheck[] = [
  accountActiveCheck,
  stackStatusCheck,
  stackDriftCheck,
  roleExistsCheck,
  roleTrustCheck,
  rolePoliciesCheck,
  roleLastUsedCheck,
  curCheck,
  regionsStsCheck,
  platformRegistrationCheck,
];

export {
  accountActiveCheck,
  curCheck,
  platformRegistrationCheck,
  regionsStsCheck,
  roleExistsCheck,
  roleLastUsedCheck,
  rolePoliciesCheck,
  roleTrustCheck,
  stackDriftCheck,
  stackStatusCheck,
};
