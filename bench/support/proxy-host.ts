/**
 * Child-process entry: runs the proxy chain (fault proxy with latency → in-progress proxy → moto) outside the
 * benchmarked process, so `process.cpuUsage()` in the parent measures the engine and the SDK, not the proxies.
 * Started with `fork` (IPC); argv[2] is the JSON of ProxyHostConfig. Answers 'stats' and 'reset' messages.
 */
import { startFaultProxy } from '../../test/support/fault-proxy.js';
import { startInProgressProxy } from './in-progress-proxy.js';
import type { ProxyHostConfig, ProxyHostMessage, ProxyHostReply } from './proxy-host-types.js';

const config = JSON.parse(process.argv[2] ?? '{}') as ProxyHostConfig;
const inProgress = await startInProgressProxy({ target: config.motoUrl, stackMs: config.stackMs });
const faults = await startFaultProxy({ target: inProgress.url, latencyMs: config.latencyMs });

const send = (reply: ProxyHostReply): void => {
  process.send?.(reply);
};

process.on('message', (message: ProxyHostMessage) => {
  if (message.type === 'stats') {
    const byOperation: Record<string, number> = {};
    for (const request of faults.requests) {
      byOperation[request.operation] = (byOperation[request.operation] ?? 0) + 1;
    }
    send({ type: 'stats', byOperation, total: faults.requests.length, ...inProgress.stats() });
  } else if (message.type === 'reset') {
    faults.resetLog();
    inProgress.resetEmulatorTime();
    send({ type: 'reset' });
  } else if (message.type === 'stop') {
    void Promise.all([faults.stop(), inProgress.stop()]).then(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', url: faults.url });
