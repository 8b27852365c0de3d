/**
 * The management account's Cost and Usage Report, for the service: is one usable, and — when none is — what a
 * CUR 2.0 set-up would write and writing it once agreed.
 */
import { OrgConnectError } from '../errors.js';
import { curPortsFor } from '../health/health-service.js';
import { detectCostAndUsageReport, type CostAndUsageReportStatus } from '../onboarding/cur-detection.js';
import {
  applyCurSetup,
  createCurSetupClients,
  planCurSetup,
  type CurSetupPlan,
  type CurSetupResult,
} from '../billing/cur-setup.js';
import type { ServiceSession } from './session.js';

/** The management account's Cost and Usage Reports: is one usable by the platform, and its bucket. Reads only. */
export async function costAndUsageReport(
  session: ServiceSession,
  profile: string,
): Promise<CostAndUsageReportStatus> {
  const factory = await session.clientFactory(profile);
  const curPortWith = await curPortsFor(factory);
  return detectCostAndUsageReport(curPortWith(factory.credentials));
}

/**
 * Connect's "set up a report" button: what a CUR 2.0 set-up would write, for the management account of `profile`.
 * Reads only; refused when a usable report exists (a second export is billed twice) or the APIs cannot tell.
 */
export async function planCostAndUsageReportSetup(
  session: ServiceSession,
  profile: string,
  options: { bucket?: string } = {},
): Promise<CurSetupPlan> {
  const snapshot = await session.discover(profile);
  if (!snapshot.caller.isManagementAccount) {
    throw new OrgConnectError(
      'NOT_MANAGEMENT_ACCOUNT',
      `Profile "${profile}" is not the management account.`,
      {
        fix: 'The Cost and Usage Report is set up in the management account: choose its profile.',
      },
    );
  }
  const found = await costAndUsageReport(session, profile);
  if (found.status !== 'fail') {
    throw new OrgConnectError('CUR_SETUP_NOT_NEEDED', `Not setting up a report: ${found.summary}`, {
      fix:
        found.status === 'unknown'
          ? 'Allow the Cost and Usage Report read actions (README, "Permissions").'
          : 'Nothing to do: the existing report is used.',
    });
  }
  return planCurSetup(await curSetupClients(session, profile), {
    managementAccountId: snapshot.organization.managementAccountId,
    ...(options.bucket ? { bucket: options.bucket } : {}),
  });
}

/** Writes a planned CUR set-up (bucket, its policy, the Data Export) in the management account, once agreed. */
export async function setUpCostAndUsageReport(
  session: ServiceSession,
  profile: string,
  setup: CurSetupPlan,
): Promise<CurSetupResult> {
  return applyCurSetup(await curSetupClients(session, profile), setup);
}

export async function curSetupClients(session: ServiceSession, profile: string) {
  const factory = await session.clientFactory(profile);
  const s3Endpoint = await factory.resolveEndpoint('S3');
  // Data Exports shares the Cost and Usage Report endpoint (one [services] entry reaches both, as for reading).
  const dataExportsEndpoint = await factory.resolveEndpoint('Cost and Usage Report Service');
  return createCurSetupClients({
    credentials: factory.credentials,
    ...(s3Endpoint ? { s3Endpoint } : {}),
    ...(dataExportsEndpoint ? { dataExportsEndpoint } : {}),
  });
}
