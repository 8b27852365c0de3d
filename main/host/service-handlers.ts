/**
 * The contract's channels mapped onto the core façade, plus the little state a host keeps between calls:
 * plans it computed (deploy.start takes a plan id, so the UI can deploy only what the host itself planned)
 * and the runs it is driving. Live things (run progress, login prompts, discovery) go out as events.
 */
import type { PlannedPlatform } from '../core/onboarding/onboarding.js';
import { randomBytes } from 'node:crypto';
import type { HostEvent, OnboardingRequestPayload, ResponseOf } from '../../preload/contract.js';
import { connectionKey } from '../core/onboarding/connection-key.js';
import { healthSummary } from '../core/health/health-summary.js';
import { timelineEntry } from '../core/health/health-timeline.js';
import { OrgConnectError } from '../core/errors.js';
import type { HealthRowResult, OrgConnectService } from '../core/service.js';
import type { DiscoveryProgress, OrganizationSnapshot } from '../core/org/index.js';
import type { Plan } from '../core/onboarding/plan.js';
import type { CurSetupPlan } from '../core/billing/cur-setup.js';
import type { DeployRun } from '../core/onboarding/runner.js';
import { loadTemplates } from '../core/onboarding/templates.js';
import { exportRoleTemplates } from '../core/onboarding/template-export.js';
import { platformChoiceFor, resolvePlatformProfile } from '../core/platform/platforms.js';
import type { Handlers } from './dispatch.js';
import { createDisconnectHandlers } from './disconnect-handlers.js';
import { createReportHandlers, type SaveReport } from './report-handlers.js';
import type { MfaPrompts } from './mfa-prompts.js';
import { toErrorPayload } from './dispatch.js';

/** `npm run demo` (scripts/sandbox.ts) sets this for the app it starts against the emulator. */
export const SANDBOX_ENV = 'ORGCONNECT_SANDBOX';

function isSandbox(): boolean {
  return process.env[SANDBOX_ENV] === '1';
}

/** Plans are kept for the Review → Deploy step only; a handful is plenty and bounds memory (they hold secrets). */
const MAX_KEPT_PLANS = 16;

interface KeptPlan {
  profile: string;
  request: OnboardingRequestPayload;
  plan: Plan;
  snapshot: OrganizationSnapshot;
}

export interface ServiceHandlers {
  handlers: Handlers;
  /** Stops every run this host drives (stacks in flight are recorded unknown, resumable) and forgets plans. */
  close(): Promise<void>;
}

export function createServiceHandlers(
  service: OrgConnectService,
  emit: (event: HostEvent) => void,
  options: {
    /** The prompts behind the service's mfaCodeProvider; without them no MFA prompt reaches this UI. */
    mfa?: MfaPrompts;
    /** The desktop app's native save dialog; without it `report.save` answers SAVE_DIALOG_UNAVAILABLE. */
    saveReport?: SaveReport;
  } = {},
): ServiceHandlers {
  const detachMfa = options.mfa?.attach(emit);
  const plans = new Map<string, KeptPlan>();
  const curSetups = new Map<string, { profile: string; setup: CurSetupPlan }>();
  const runs = new Map<string, DeployRun>();
  const disconnects = createDisconnectHandlers(service, emit);

  const watch = (run: DeployRun): DeployRun => {
    if (runs.get(run.runId) === run) return run;
    runs.set(run.runId, run);
    run.onEvent((event, state) =>
      emit({ type: 'run-event', runId: run.runId, event, status: state.status, counts: state.counts }),
    );
    run.onProgress((progress) => emit({ type: 'run-progress', runId: run.runId, ...progress }));
    return run;
  };

  /** A pass runs in the background; its result arrives as events, its crash as a run-error event. */
  const drive = (run: DeployRun, pass: 'start' | 'retry'): void => {
    const promise = pass === 'start' ? run.start() : run.retryFailed();
    promise.catch((error: unknown) =>
      emit({ type: 'run-error', runId: run.runId, error: toErrorPayload(error) }),
    );
  };

  const control = (run: DeployRun): ResponseOf<'deploy.pause'> => ({
    runId: run.runId,
    status: run.snapshot.status,
  });

  const liveRun = (runId: string): DeployRun => {
    const run = runs.get(runId);
    if (!run) {
      throw new OrgConnectError('RUN_NOT_ACTIVE', `Run ${runId} is not running in this window.`, {
        fix: 'Resume it first; a run left by a closed window or a crash resumes from its journal.',
      });
    }
    return run;
  };

  /** The live run, or the run re-opened from its journal (after a restart). */
  const runForResume = async (runId: string, externalId: string | undefined): Promise<DeployRun> => {
    const live = runs.get(runId);
    if (live) return live;
    return watch(await service.openRun(runId, externalId === undefined ? {} : { externalId }));
  };

  /** Per management profile, the stop function of its interval health checks. */
  const healthWatches = new Map<string, () => void>();
  const healthEmitter =
    (profile: string) =>
    ({ organizationId, row, changed, previousOverall }: HealthRowResult) => {
      emit({ type: 'health-checked', profile, organizationId, connection: row, changed });
      // Only the turn to unhealthy alerts: a connection failing round after round is not news.
      if (row.overall === 'unhealthy' && previousOverall !== undefined && previousOverall !== 'unhealthy') {
        emit({ type: 'health-alert', profile, organizationId, connection: row, previousOverall });
      }
    };

  const discoveryEmitter = (profile: string) => (progress: DiscoveryProgress) =>
    emit({ type: 'discovery-progress', profile, ...progress });

  const handlers: Handlers = {
    ...disconnects.handlers,
    ...createReportHandlers(service, options.saveReport),
    'platform.describe': async ({ platform }) => service.describePlatform(platform),
    'mfa.answer': async (request) => options.mfa?.answer(request) ?? { accepted: false },
    'profiles.list': async () => ({ ...(await service.listProfiles()), sandbox: isSandbox() }),
    'identity.whoami': ({ profile }) => service.whoAmI(profile),
    'org.discover': ({ profile }) => service.discover(profile, { onProgress: discoveryEmitter(profile) }),
    'sso.login': ({ profile, deviceCode }) =>
      service.login(profile, {
        ...(deviceCode === undefined ? {} : { deviceCode }),
        onPrompt: (prompt) => emit({ type: 'login-prompt', profile, ...prompt }),
      }),
    'plan.create': async ({ profile, request }) => {
      let done = 0;
      // "Roles we create ourselves": Review shows each hand-made role verified, not a stack plan.
      const result =
        request.source === 'manual'
          ? await service.planAdopt(profile, request)
          : await service.plan(profile, request, {
              onDiscovery: discoveryEmitter(profile),
              onPreflight: (check) => {
                done += 1;
                emit({ type: 'preflight-progress', profile, accountId: check.accountId, ok: check.ok, done });
              },
            });
      const planId = randomBytes(18).toString('base64url');
      plans.set(planId, { profile, request, plan: result.plan, snapshot: result.snapshot });
      while (plans.size > MAX_KEPT_PLANS) plans.delete(plans.keys().next().value as string);
      return {
        planId,
        plan: result.plan,
        organizationId: result.organizationId,
        snapshot: result.snapshot,
        registration: result.registration,
        ...('platform' in result && result.platform ? { platform: result.platform as PlannedPlatform } : {}),
      };
    },
    'runs.list': async () => {
      const listings = await service.listRuns();
      return listings.map(({ path: _path, ...listing }) => ({
        ...listing,
        live: runs.get(listing.runId)?.running === true,
      }));
    },
    'runs.get': async ({ runId }) => {
      const run = runs.get(runId);
      const state = run ? run.snapshot : await service.runState(runId);
      return { ...state, live: run?.running === true };
    },
    'deploy.start': async ({ planId, concurrency }) => {
      const kept = plans.get(planId);
      if (!kept) {
        throw new OrgConnectError('PLAN_NOT_FOUND', 'That plan is no longer available.', {
          fix: 'Go back to Review and create the plan again.',
        });
      }
      // One plan, one run: a double click must not deploy twice.
      plans.delete(planId);
      const hooks = concurrency === undefined ? {} : { concurrency };
      const run = watch(
        kept.request.source === 'manual'
          ? await service.createAdoptRun(kept.profile, kept.request, hooks, kept)
          : await service.createRun(kept.profile, kept.request, kept, hooks),
      );
      drive(run, 'start');
      return { runId: run.runId };
    },
    'deploy.pause': async ({ runId }) => {
      const run = liveRun(runId);
      await run.pause();
      return control(run);
    },
    'deploy.resume': async ({ runId, externalId }) => {
      const run = await runForResume(runId, externalId);
      if (run.running) await run.resume();
      else drive(run, 'start');
      return control(run);
    },
    'deploy.cancel': async ({ runId }) => {
      const run = liveRun(runId);
      await run.cancel();
      return control(run);
    },
    'deploy.retryFailed': async ({ runId, externalId }) => {
      const run = await runForResume(runId, externalId);
      if (run.running) {
        throw new OrgConnectError('RUN_BUSY', `Run ${runId} is still deploying.`, {
          fix: 'Wait for it to finish, then retry the failed accounts.',
        });
      }
      drive(run, 'retry');
      return control(run);
    },
    'health.check': async ({ profile, runId, skip }) => {
      const { connections, health, snapshot, coverage, series } = await service.checkHealth(profile, {
        ...(runId === undefined ? {} : { runId }),
        ...(skip === undefined ? {} : { checks: { skip } }),
        onResult: healthEmitter(profile),
      });
      return { ...healthSummary(snapshot.organization.id, connections, health), coverage, series };
    },
    'health.watch': async ({ profile, everyMinutes, runId, skip }) => {
      healthWatches.get(profile)?.();
      healthWatches.delete(profile);
      if (everyMinutes !== undefined) {
        const stop = await service.watchHealth(profile, {
          intervalMs: everyMinutes * 60_000,
          ...(runId === undefined ? {} : { runId }),
          ...(skip === undefined ? {} : { checks: { skip } }),
          onResult: healthEmitter(profile),
          onRound: ({ coverage, series }) =>
            emit({
              type: 'coverage-recorded',
              profile,
              organizationId: coverage.organizationId,
              coverage,
              series,
            }),
        });
        healthWatches.get(profile)?.(); // a second watch request raced this one: the newest wins
        healthWatches.set(profile, stop);
      }
      return { profile, everyMinutes: everyMinutes ?? null };
    },
    'health.series': async ({ organizationId }) => ({
      series: await service.coverageSeries(organizationId),
    }),
    'health.timeline': async ({ accountId, kind }) => ({
      entries: (await service.connectionHistory(connectionKey({ accountId, kind }))).map(timelineEntry),
    }),
    'cur.status': ({ profile }) => service.costAndUsageReport(profile),
    'cur.planSetup': async ({ profile, bucket }) => {
      const setup = await service.planCostAndUsageReportSetup(profile, bucket ? { bucket } : {});
      const setupId = randomBytes(18).toString('base64url');
      curSetups.set(setupId, { profile, setup });
      while (curSetups.size > MAX_KEPT_PLANS) curSetups.delete(curSetups.keys().next().value as string);
      const { bucket: name, createBucket, exportName, steps } = setup;
      return { setupId, bucket: name, createBucket, exportName, steps };
    },
    'cur.setUp': async ({ setupId }) => {
      const kept = curSetups.get(setupId);
      if (!kept) {
        throw new OrgConnectError(
          'CUR_SETUP_UNKNOWN',
          'That Cost and Usage Report set-up is no longer known.',
          {
            fix: 'Choose "Set up a report" again to see what will be created.',
          },
        );
      }
      curSetups.delete(setupId); // once: a second click must not create a second export
      return service.setUpCostAndUsageReport(kept.profile, kept.setup);
    },
    'templates.export': async ({ kind, format, platform, platformAccountIds, ...options }) => {
      const profile = resolvePlatformProfile(
        platformChoiceFor({ platform, platformAccountIds, rolePath: options.rolePath }),
      );
      return { files: exportRoleTemplates(profile, { kind, format, ...options }) };
    },
    'templates.get': async () => {
      const templates = loadTemplates();
      return {
        billing: { body: templates.billing.body, sha256: templates.billing.sha256 },
        resource: { body: templates.resource.body, sha256: templates.resource.sha256 },
      };
    },
  };

  return {
    handlers,
    async close() {
      detachMfa?.();
      for (const stop of healthWatches.values()) stop();
      healthWatches.clear();
      plans.clear();
      await disconnects.close();
      await Promise.all([...runs.values()].map((run) => run.close()));
      runs.clear();
    },
  };
}
