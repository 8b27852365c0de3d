/** Parent side of scale-deploy-child.ts: forks it from dist/ and runs one deploy stage per call. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ProxyChain } from './proxy-chain.js';
import type { DeployChildConfig, DeployChildMessage, DeployChildRequest } from './scale-deploy-child.js';
import { emulatorFigures, type StageMeasure } from './scale-summary.js';

export interface DeployStageMeasure extends StageMeasure {
  planMs: number;
  runId: string;
  counts: Record<string, number>;
}

export interface DeployChild {
  deploy(select: string, concurrency: number): Promise<DeployStageMeasure>;
  stop(): Promise<void>;
}

export async function startDeployChild(
  root: string,
  proxy: ProxyChain,
  config: DeployChildConfig,
): Promise<DeployChild> {
  const child: ChildProcess = fork(
    path.join(root, 'dist/bench/support/scale-deploy-child.js'),
    [JSON.stringify(config)],
    // Plain node, as bin/orgconnect.js runs: no tsx loader in the child (its RSS is the product's).
    { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const next = <T extends DeployChildMessage['type']>(type: T) =>
    new Promise<Extract<DeployChildMessage, { type: T }>>((resolve, reject) => {
      const onExit = (code: number | null): void =>
        reject(new Error(`deploy child exited ${code} before '${type}'`));
      child.once('exit', onExit);
      child.once('message', (message: DeployChildMessage) => {
        child.off('exit', onExit);
        if (message.type === type) resolve(message as Extract<DeployChildMessage, { type: T }>);
        else reject(new Error(`deploy child: '${message.type}' before '${type}'`));
      });
    });
  const request = (message: DeployChildRequest): void => {
    child.send(message);
  };
  await next('ready');
  return {
    async deploy(select, concurrency) {
      const planned = next('planned');
      request({ type: 'plan', select, concurrency });
      const { planMs } = await planned;
      await proxy.resetLog();
      const deployed = next('deployed');
      request({ type: 'go' });
      const done = await deployed;
      const stats = await proxy.stats();
      return {
        planMs,
        runId: done.runId,
        counts: done.counts,
        wallMs: Math.round(done.deployMs),
        ...emulatorFigures(stats),
        peakRssMiB: done.peakRssMiB,
      };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      request({ type: 'exit' });
      await exited;
    },
  };
}
