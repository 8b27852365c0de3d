/**
 * What must hold before a StackSet deploy calls CloudFormation at all — the targets and Regions against the
 * discovered Organization, and StackSets' trusted access in AWS Organizations — and, once the StackSet is read,
 * that it is one orgconnect may update: service-managed, with AutoDeployment as orgconnect sets it.
 */
import type { StackSet } from '@aws-sdk/client-cloudformation';
import {
  OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
} from '@aws-sdk/client-organizations';
import { OrgConnectError, awsErrorName } from '../errors.js';
import type { Clock } from '../clock.js';
import {
  cloudFormationFailure,
  collectPages,
  DeployError,
  pagingClient,
  type RetryPolicy,
  type StackSetCallAs,
} from '../cloudformation/index.js';
import { stackSetInputInvalid, type OrganizationsSender, type StackSetTargets } from './stackset-inputs.js';

/** The principal Organizations lists once "trusted access with AWS Organizations" is on for StackSets. */
export const STACKSETS_SERVICE_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';

/** Checks targets and regions against the discovered organization; pure, so it runs before any AWS call. */
export function checkStackSetTargets(
  targets: StackSetTargets,
  regions: readonly string[],
  knownUnits: readonly { id: string }[],
): void {
  if (targets.organizationalUnitIds.length === 0) {
    throw stackSetInputInvalid(
      'A StackSet deploy needs at least one OU (or the root) as a target.',
      'Select one or more OUs.',
    );
  }
  const known = new Set(knownUnits.map((unit) => unit.id));
  const unknown = targets.organizationalUnitIds.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new OrgConnectError(
      'SELECTION_UNKNOWN',
      `Not in the discovered organization: ${unknown.join(', ')}.`,
      {
        fix: 'Discover the organization again and choose OUs from it; an OU may have been moved or deleted.',
      },
    );
  }
  if (regions.length === 0) throw stackSetInputInvalid('A StackSet deploy needs at least one Region.');
  const filter = targets.accountFilter;
  if (filter !== undefined) {
    const bad = filter.accounts.filter((id) => !/^\d{12}$/.test(id));
    if (bad.length > 0) throw stackSetInputInvalid(`Not AWS account ids: ${bad.join(', ')}.`);
    if (filter.type !== 'NONE' && filter.accounts.length === 0)
      throw stackSetInputInvalid(`The ${filter.type} account filter needs at least one account.`);
  }
}

/** Throws STACKSETS_TRUSTED_ACCESS_DISABLED unless Organizations lists StackSets as a trusted service. */
export async function checkStackSetsTrustedAccess(input: {
  organizations: OrganizationsSender;
  callAs: StackSetCallAs;
  clock: Clock;
  signal?: AbortSignal | undefined;
  retry?: Partial<RetryPolicy> | undefined;
}): Promise<void> {
  let principals: string[];
  try {
    const client = pagingClient(OrganizationsClient, input.organizations, {
      clock: input.clock,
      signal: input.signal,
      policy: input.retry,
    });
    const services = await collectPages(
      paginateListAWSServiceAccessForOrganization({ client }, {}),
      (page) => page.EnabledServicePrincipals,
    );
    principals = services.flatMap((service) => (service.ServicePrincipal ? [service.ServicePrincipal] : []));
  } catch (error) {
    const name = awsErrorName(error);
    // Only the management account may list trusted services. A delegated administrator exists only once trusted
    // access was turned on (registering one requires it), so for it the check is moot; CloudFormation would say so.
    if (name === 'AccessDeniedException' && input.callAs === 'DELEGATED_ADMIN') return;
    if (name === 'AWSOrganizationsNotInUseException') {
      throw new OrgConnectError('ORG_NOT_IN_USE', 'This account is not in an AWS Organization.', {
        fix: 'StackSets mode needs AWS Organizations; use the management account profile or deploy with mode "stacks".',
        cause: error,
      });
    }
    if (name === 'AccessDeniedException') {
      throw new OrgConnectError(
        'ORG_ACCESS_DENIED',
        'Cannot check whether StackSets has trusted access (organizations:ListAWSServiceAccessForOrganization was denied).',
        {
          fix: 'Use the management account profile, or a StackSets delegated administrator with callAs DELEGATED_ADMIN.',
          cause: error,
        },
      );
    }
    throw cloudFormationFailure(error);
  }
  if (!principals.includes(STACKSETS_SERVICE_PRINCIPAL)) {
    throw new OrgConnectError(
      'STACKSETS_TRUSTED_ACCESS_DISABLED',
      'CloudFormation StackSets does not have trusted access to AWS Organizations, so service-managed StackSets cannot deploy.',
      {
        fix: 'In the management account open CloudFormation > StackSets and choose "Activate trusted access" (or run `aws cloudformation activate-organizations-access`), then retry.',
      },
    );
  }
}

export function assertServiceManaged(existing: StackSet, stackSetName: string): void {
  if (existing.PermissionModel !== undefined && existing.PermissionModel !== 'SERVICE_MANAGED') {
    throw new DeployError(
      'STACKSET_PERMISSION_MODEL_CONFLICT',
      `StackSet ${stackSetName} exists with the ${existing.PermissionModel} permission model; orgconnect needs a service-managed one.`,
      { fix: `Delete the StackSet ${stackSetName} (its instances first), or choose another StackSet name.` },
    );
  }
}

/** moto omits AutoDeployment; AWS returns it, and a StackSet with it off would miss new accounts. */
export function autoDeploymentDrifted(existing: StackSet): boolean {
  return (
    existing.AutoDeployment !== undefined &&
    (existing.AutoDeployment.Enabled !== true ||
      existing.AutoDeployment.RetainStacksOnAccountRemoval !== false)
  );
}

/** Everything checked before CloudFormation is called: the targets (pure), then trusted access (one read). */
export async function checkStackSetPreconditions(
  input: {
    targets: StackSetTargets;
    regions: readonly string[];
    knownUnits: readonly { id: string }[];
    organizations: OrganizationsSender;
    callAs: StackSetCallAs;
    clock: Clock;
    signal?: AbortSignal | undefined;
    retry?: Partial<RetryPolicy> | undefined;
  },
  onTrustedAccessCheck?: () => void,
): Promise<void> {
  checkStackSetTargets(input.targets, input.regions, input.knownUnits);
  onTrustedAccessCheck?.();
  await checkStackSetsTrustedAccess(input);
}
