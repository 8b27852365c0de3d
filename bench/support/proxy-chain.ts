/** Parent side of proxy-host.ts: forks the proxy chain and talks to it. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ProxyHostConfig, ProxyHostReply, ProxyStats } from './proxy-host-types.js';

export interface ProxyChain {
  /** Point the SDK here (it reaches moto through latency and the in-progress emulation). */
  url: string;
  stats(): Promise<ProxyStats>;
  resetLog(): Promise<void>;
  stop(): Promise<void>;
}

export async function startProxyChain(config: ProxyHostConfig): Promise<ProxyChain> {
  const child: ChildProcess = fork(
    path.join(import.meta.dirname, 'proxy-host.ts'),
    [JSON.stringify(config)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const next = (type: ProxyHostReply['type']): Promise<ProxyHostReply> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: ProxyHostReply): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code: number | null): void =>
        reject(new Error(`proxy host exited (${code}) before '${type}'`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next('ready');
  if (ready.type !== 'ready') throw new Error('proxy host: unexpected reply');
  return {
    url: ready.url,
    async stats() {
      const reply = next('stats');
      child.send({ type: 'stats' });
      const { type: _type, ...stats } = (await reply) as { type: 'stats' } & ProxyStats;
      return stats;
    },
    async resetLog() {
      const reply = next('reset');
      child.send({ type: 'reset' });
      await reply;
    },
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}
