/** A contract client for tests of the browser host (`orgconnect serve`), over the `ws` package. */
import WebSocket from 'ws';
import { hostEventSchema, type HostEvent, type Result } from '../../preload/contract.js';

/** A WebSocket client that speaks the contract: call() for requests, events collected as they come. */
export class ContractClient {
  readonly events: HostEvent[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as {
        kind: string;
        id?: number;
        event?: unknown;
      } & Result<unknown>;
      if (message.kind === 'event') {
        this.events.push(hostEventSchema.parse(message.event));
        for (const wake of this.waiters) wake();
      } else if (message.id !== undefined) {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      }
    });
  }

  static open(
    url: string,
    headers: Record<string, string>,
    protocols: string[] = [],
  ): Promise<ContractClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols, { headers });
      ws.once('open', () => resolve(new ContractClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  call(channel: string, payload: unknown): Promise<Result<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, channel, payload }));
    });
  }

  async waitFor(predicate: (event: HostEvent) => boolean, timeoutMs = 30_000): Promise<HostEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('event did not arrive');
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
        setTimeout(wake, 200);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}
