/**
 * Child-process entry of the scale bench's deploy stages (forked from dist/, like the CLI): `orgconnect deploy`'s
 * path through OrgConnectService — plan (preflight of the selected accounts), then createRun + start — with one
 * difference the CLI has no flag for: the engine's poll schedule is scaled by T / 20 s, as in
 * bench/deploy-throughput.ts, so a stack the in-progress proxy holds for T is noticed as a 20 s stack would be.
 * The Organization is discovered once, at start (the discovery stage measures discovery), and every plan uses it.
 *
 * Protocol (IPC): argv[2] is the DeployChildConfig JSON. The child sends 'ready' after discovery; for each
 * 'plan' message it plans and sends 'planned', waits for 'go' (the parent resets the proxy's counters in
 * between), deploys, and sends 'deployed' (deploy wall, counts, runId, the process's peak RSS so far).
 */
import { OrgConnectService } from '../../main/core/service.js';
import { DEFAULT_POLL_POLICY } from '../../main/core/onboarding/stack-deployer.js';

export interface DeployChildConfig {
  env: Record<string, string>;
  dataDir: string;
  externalId: string;
  pollScale: number;
}

export type DeployChildRequest =
  | { type: 'plan'; select: string; concurrency: number }
  | { type: 'go' }
  | { type: 'exit' };

export type DeployChildMessage =
  | { type: 'ready' }
  | { type: 'planned'; planMs: number; items: number; creates: number }
  | { type: 'deployed'; deployMs: number; runId: string; counts: Record<string, number>; peakRssMiB: number };

const config = JSON.parse(process.argv[2] ?? '{}') as DeployChildConfig;
const send = (message: DeployChildMessage): void => {
  process.send?.(message);
};
const nextRequest = (): Promise<DeployChildRequest> =>
  new Promise((resolve) => process.once('message', (message: DeployChildRequest) => resolve(message)));
const service = new OrgConnectService({ env: config.env, dataDir: config.dataDir });
const snapshot = await service.discover('emulator');
send({ type: 'ready' });

for (let request = await nextRequest(); request.type === 'plan'; request = await nextRequest()) {
  const onboarding = { externalId: config.externalId, select: request.select, register: false };
  const planStarted = performance.now();
  const planned = await service.plan('emulator', onboarding, { detectCurBucket: true, snapshot });
  send({
    type: 'planned',
    planMs: performance.now() - planStarted,
    items: planned.plan.items.length,
    creates: planned.plan.items.filter((item) => item.action === 'create').length,
  });
  await nextRequest(); // 'go'
  const run = await service.createRun('emulator', planned.request, planned, {
    concurrency: request.concurrency,
    deploy: {
      poll: {
        baseMs: DEFAULT_POLL_POLICY.baseMs * config.pollScale,
        capMs: DEFAULT_POLL_POLICY.capMs * config.pollScale,
      },
    },
  });
  const deployStarted = performance.now();
  const final = await run.start();
  const deployMs = performance.now() - deployStarted;
  await run.close();
  send({
    type: 'deployed',
    deployMs,
    runId: final.runId,
    counts: { ...final.counts },
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  });
}
process.disconnect();
