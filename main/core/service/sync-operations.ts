/**
 * Sync (README, "orgconnect sync"), for the service: one discovery, then the deploy plan restricted to what changed
 * and the disconnect plan of connections whose account closed or left; each is run by its usual engine.
 */
import type { OrganizationSnapshot } from '../org/index.js';
import type { OnboardingRequest } from '../onboarding/onboarding.js';
import {
  planGoneDisconnect,
  type DisconnectPlanResult,
  type DisconnectRequest,
} from '../onboarding/disconnect.js';
import { latestHealth } from '../health/health-service.js';
import type { Coverage } from '../health/coverage.js';
import { coverageFromDataDir } from '../health/coverage-inputs.js';
import { goneConnections, repairsFrom, syncDeployPlan, syncDisconnectRequest } from '../sync/sync-plan.js';
import { planDeploy, registrationPreview, type DeployPlanned } from './deploy-operations.js';
import type { PlanProgress, ServiceSession } from './session.js';

/** A sync's two plans from one discovery (README, "orgconnect sync"); each is run by its usual engine. */
export interface SyncPlanned {
  snapshot: OrganizationSnapshot;
  coverage: Coverage;
  deploy: DeployPlanned;
  disconnect: DisconnectPlanResult & { request: DisconnectRequest };
}

/** Reads AWS and local files only. */
export async function planSync(
  session: ServiceSession,
  profile: string,
  request: OnboardingRequest,
  options: PlanProgress & { detectCurBucket?: boolean } = {},
): Promise<SyncPlanned> {
  const snapshot = await session.managementSnapshot(profile, options);
  const full = await planDeploy(session, profile, request, { ...options, snapshot });
  const managementAccountId = snapshot.organization.managementAccountId;
  const connections = await session.connections({ managementAccountId });
  const [coverage, latest] = await Promise.all([
    coverageFromDataDir(session.dataDir, snapshot),
    latestHealth(session.dataDir, connections),
  ]);
  const plan = syncDeployPlan(full.plan, snapshot.accounts, repairsFrom(latest.values(), connections));
  const deploy = { ...full, plan, registration: await registrationPreview(session, full.request, plan) };
  const disconnectRequest = syncDisconnectRequest(session.withPlatformDefaults(request));
  const context = await session.runContext(profile, snapshot);
  const disconnect = await planGoneDisconnect(
    context,
    disconnectRequest,
    goneConnections(coverage, connections),
    options,
  );
  return { snapshot, coverage, deploy, disconnect: { ...disconnect, request: disconnectRequest } };
}
