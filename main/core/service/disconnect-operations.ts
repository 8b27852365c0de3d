/** Disconnecting accounts, for the service: plan what is deleted and deregistered, journal a run, re-open one. */
import type { OrganizationSnapshot } from '../org/index.js';
import type { RunHooks } from '../onboarding/onboarding.js';
import {
  createDisconnectRun as createDisconnectRunFor,
  openDisconnectForResume,
  planDisconnect as planDisconnectFor,
  type DeregisterFor,
  type DisconnectPlanResult,
  type DisconnectRequest,
} from '../onboarding/disconnect.js';
import type { DisconnectPlan } from '../onboarding/disconnect-plan.js';
import type { DisconnectRun } from '../onboarding/disconnect-run.js';
import { ensureDataDirWritable } from '../onboarding/data-dir.js';
import type { PlanProgress, ServiceSession } from './session.js';

export type DisconnectHooks = Omit<RunHooks, 'dataDir'> & { deregisterFor: DeregisterFor };

export type OpenDisconnectRunOptions = DisconnectHooks & { profile?: string; externalId?: string };

/**
 * Discover, then read each selected account's orgconnect stack and plan a disconnect: what is deleted where and
 * what is deregistered. Reads AWS only.
 */
export async function planDisconnect(
  session: ServiceSession,
  profile: string,
  request: DisconnectRequest,
  options: PlanProgress = {},
): Promise<DisconnectPlanResult & { snapshot: OrganizationSnapshot }> {
  const factory = await session.clientFactory(profile);
  const snapshot = await session.managementSnapshot(profile, options);
  const result = await planDisconnectFor(
    { profile, factory, snapshot, ssoPortal: session.ssoPortalFor(profile) },
    request,
    options,
  );
  return { ...result, snapshot };
}

/** Journals a disconnect run for a plan the user has confirmed; `deregisterFor` is the host's platform wiring. */
export async function createDisconnectRun(
  session: ServiceSession,
  profile: string,
  request: DisconnectRequest,
  planned: { plan: DisconnectPlan; snapshot: OrganizationSnapshot },
  hooks: DisconnectHooks,
): Promise<DisconnectRun> {
  await ensureDataDirWritable(session.dataDir);
  const context = await session.runContext(profile, planned.snapshot);
  return createDisconnectRunFor(context, request, planned.plan, { ...hooks, dataDir: session.dataDir });
}

/** Re-opens a disconnect run from its journal (after a crash or a stop). */
export async function openDisconnectRun(
  session: ServiceSession,
  runId: string,
  options: OpenDisconnectRunOptions,
): Promise<DisconnectRun> {
  const state = await session.runState(runId);
  const profile = session.runProfile(runId, options.profile ?? state.profile);
  const factory = await session.clientFactory(profile);
  return openDisconnectForResume(factory, runId, {
    ...options,
    dataDir: session.dataDir,
    ssoPortal: session.ssoPortalFor(profile),
  });
}
