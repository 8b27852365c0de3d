/**
 * Health → Disconnect… in a host: `disconnect.plan` plans (reads AWS only) and keeps the plan by id, as
 * plan.create does for deploys; `disconnect.start` runs only a plan this host made, once, and its progress goes
 * out as `run-event` host events like a deploy's. The platform wiring is the service's (ORGCONNECT_PLATFORM_URL,
 * ORGCONNECT_NO_REGISTER=1), the same as `orgconnect disconnect`.
 */
import { randomBytes } from 'node:crypto';
import type { HostEvent } from '../../preload/contract.js';
import { OrgConnectError } from '../core/errors.js';
import type { DisconnectRequest } from '../core/onboarding/disconnect.js';
import type { DisconnectPlan } from '../core/onboarding/disconnect-plan.js';
import type { DisconnectRun } from '../core/onboarding/disconnect-run.js';
import type { OrganizationSnapshot } from '../core/org/index.js';
import type { OrgConnectService } from '../core/service.js';
import type { Handlers } from './dispatch.js';
import { toErrorPayload } from './dispatch.js';

/** Kept for the modal's Review → Disconnect only; a handful bounds memory (they hold the External ID). */
const MAX_KEPT_PLANS = 16;

interface KeptDisconnect {
  profile: string;
  request: DisconnectRequest;
  plan: DisconnectPlan;
  snapshot: OrganizationSnapshot;
}

export interface DisconnectHandlers {
  handlers: Pick<Handlers, 'disconnect.plan' | 'disconnect.start'>;
  close(): Promise<void>;
}

export function createDisconnectHandlers(
  service: OrgConnectService,
  emit: (event: HostEvent) => void,
): DisconnectHandlers {
  const planned = new Map<string, KeptDisconnect>();
  const runs = new Map<string, DisconnectRun>();

  const watch = (run: DisconnectRun): void => {
    runs.set(run.runId, run);
    run.onEvent((event, state) =>
      emit({ type: 'run-event', runId: run.runId, event, status: state.status, counts: state.counts }),
    );
  };

  return {
    handlers: {
      'disconnect.plan': async ({ profile, externalId, select, keepStacks }) => {
        const asked: DisconnectRequest = {
          externalId,
          select: select.join(','),
          keepStacks: keepStacks === true,
        };
        const request = service.withPlatformDefaults(asked);
        const result = await service.planDisconnect(profile, request);
        const planId = randomBytes(18).toString('base64url');
        planned.set(planId, { profile, request, plan: result.plan, snapshot: result.snapshot });
        while (planned.size > MAX_KEPT_PLANS) planned.delete(planned.keys().next().value as string);
        return { planId, plan: result.plan };
      },
      'disconnect.start': async ({ planId }) => {
        const kept = planned.get(planId);
        if (!kept) {
          throw new OrgConnectError('PLAN_NOT_FOUND', 'That disconnect plan is no longer available.', {
            fix: 'Choose Disconnect… on Health again and review the plan.',
          });
        }
        planned.delete(planId); // one plan, one run: a double click must not disconnect twice
        const run = await service.createDisconnectRun(kept.profile, kept.request, kept, {
          deregisterFor: service.deregisterForHost(),
        });
        watch(run);
        run
          .start()
          .catch((error: unknown) =>
            emit({ type: 'run-error', runId: run.runId, error: toErrorPayload(error) }),
          );
        return { runId: run.runId };
      },
    },
    async close() {
      planned.clear();
      await Promise.all([...runs.values()].map((run) => run.close()));
      runs.clear();
    },
  };
}
