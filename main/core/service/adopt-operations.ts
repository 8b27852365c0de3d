/**
 * `adopt`, for the service: verify and register hand-made roles (main/core/adopt). Reads AWS only; nothing is
 * written but the journal and the platform's registrations.
 */
import {
  createAdoptRun as createAdoptRunFor,
  planAdopt as planAdoptFor,
  type AdoptRequest,
} from '../adopt/adopt.js';
import type { OrganizationSnapshot } from '../org/index.js';
import { registrationSettingsFor, type RunHooks } from '../onboarding/onboarding.js';
import type { Plan } from '../onboarding/plan.js';
import type { DeployRun } from '../onboarding/runner.js';
import { ensureDataDirWritable } from '../onboarding/data-dir.js';
import { OrgConnectError } from '../errors.js';
import type { RegistrationPreview } from './deploy-operations.js';
import type { ServiceSession } from './session.js';

export interface AdoptPlanned {
  plan: Plan;
  snapshot: OrganizationSnapshot;
  organizationId: string;
  registration: RegistrationPreview;
}

/**
 * Discovers the Organization and journals a run that verifies and registers hand-made roles.
 * With `reviewed` (what Review showed, from `planAdopt`), that snapshot is used and the roles it found wanting
 * are recorded failed with their fix.
 */
export async function createAdoptRun(
  session: ServiceSession,
  profile: string,
  request: AdoptRequest,
  hooks: Omit<RunHooks, 'dataDir'> = {},
  reviewed?: { plan: Plan; snapshot: OrganizationSnapshot },
): Promise<DeployRun> {
  const withDefaults = session.withPlatformDefaults(request);
  registrationSettingsFor(withDefaults); // an insecure --platform-url is refused before anything is read
  await ensureDataDirWritable(session.dataDir);
  const context = await adoptContext(session, profile, reviewed?.snapshot);
  return createAdoptRunFor(context, withDefaults, { ...hooks, dataDir: session.dataDir }, reviewed?.plan);
}

/** Review for `adopt`: each account's role verified now, as a plan (`create` = verified, `blocked` = why not). */
export async function planAdopt(
  session: ServiceSession,
  profile: string,
  request: AdoptRequest,
): Promise<AdoptPlanned> {
  const withDefaults = session.withPlatformDefaults(request);
  const settings = registrationSettingsFor(withDefaults);
  const context = await adoptContext(session, profile);
  const plan = await planAdoptFor(context, withDefaults);
  return {
    plan,
    snapshot: context.snapshot,
    organizationId: context.snapshot.organization.id,
    registration:
      'off' in settings ? settings : { endpoint: settings.endpoint, connections: plan.counts.create },
  };
}

async function adoptContext(session: ServiceSession, profile: string, known?: OrganizationSnapshot) {
  const factory = await session.clientFactory(profile);
  const snapshot = known ?? (await session.discover(profile));
  if (!snapshot.caller.isManagementAccount) {
    throw new OrgConnectError(
      'NOT_MANAGEMENT_ACCOUNT',
      `Profile "${profile}" is account ${snapshot.caller.accountId}, not the management account ${snapshot.organization.managementAccountId}.`,
      { fix: 'Adopting roles needs the management account and its access into member accounts.' },
    );
  }
  return { profile, factory, snapshot, ssoPortal: session.ssoPortalFor(profile) };
}
