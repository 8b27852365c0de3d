/**
 * Makes moto's instant stacks take time, for the deploy benchmark: moto finishes CreateStack before it answers,
 * so a stack is CREATE_COMPLETE on the first DescribeStacks. Real CloudFormation keeps an IAM-role stack
 * CREATE_IN_PROGRESS for ~20 s, and that wait is what bounds a deploy's throughput. This proxy sits between the
 * fault proxy and moto, notes when each stack was created (from moto's CreateStack answer) and, until `stackMs`
 * later, rewrites DescribeStacks answers about that stack from CREATE_COMPLETE to CREATE_IN_PROGRESS.
 *
 * Everything else is forwarded byte for byte; moto still does the real work (template, IAM role, tags, outputs).
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage } from 'node:http';

export interface InProgressProxy {
  url: string;
  /**
   * CreateStack answers seen, and DescribeStacks answers rewritten to CREATE_IN_PROGRESS (since start); moto's
   * own time since the last reset: the sum of every call's round trip to it, and how long ≥ 1 call was at it.
   */
  stats(): { created: number; rewritten: number; emulator: EmulatorTime };
  resetEmulatorTime(): void;
  stop(): Promise<void>;
}

export interface EmulatorTime {
  calls: number;
  sumMs: number;
  busyMs: number;
}

export interface InProgressProxyOptions {
  /** moto's base URL. */
  target: string;
  /** How long after CreateStack a stack reports CREATE_IN_PROGRESS. */
  stackMs: number;
}

function actionOf(req: IncomingMessage, body: string): string {
  // CloudFormation speaks the query protocol: the operation is `Action=` in the form body.
  if (typeof req.headers['x-amz-target'] === 'string') return '';
  return new URLSearchParams(body).get('Action') ?? '';
}

export async function startInProgressProxy(options: InProgressProxyOptions): Promise<InProgressProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  const createdAt = new Map<string, number>();
  let rewritten = 0;
  let emulator: EmulatorTime = { calls: 0, sumMs: 0, busyMs: 0 };
  let atMoto = 0;
  let busySince = 0;
  const timed = <T>(work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    if (atMoto++ === 0) busySince = started;
    const done = (): void => {
      const now = performance.now();
      emulator.calls += 1;
      emulator.sumMs += now - started;
      if (--atMoto === 0) emulator.busyMs += now - busySince;
    };
    return work().finally(done);
  };

  const forward = (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, 'content-length': String(body.length) },
          agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const rewrite = (action: string, xml: string): string | undefined => {
    if (action === 'CreateStack') {
      const stackId = /<StackId>([^<]+)<\/StackId>/.exec(xml)?.[1];
      if (stackId) createdAt.set(stackId, Date.now());
      return undefined;
    }
    if (action !== 'DescribeStacks') return undefined;
    // The engine always describes one stack by name or id; an answer listing several is left alone rather
    // than guessing which status belongs to which stack.
    const ids = [...xml.matchAll(/<StackId>([^<]+)<\/StackId>/g)].map((m) => m[1]);
    if (ids.length !== 1 || ids[0] === undefined) return undefined;
    const created = createdAt.get(ids[0]);
    if (created === undefined || Date.now() >= created + options.stackMs) return undefined;
    if (!xml.includes('<StackStatus>CREATE_COMPLETE</StackStatus>')) return undefined;
    rewritten += 1;
    return xml.replace(
      '<StackStatus>CREATE_COMPLETE</StackStatus>',
      '<StackStatus>CREATE_IN_PROGRESS</StackStatus>',
    );
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = actionOf(req, body.toString('utf8'));
      timed(() => forward(req, body))
        .then((upstream) => {
          let answer = upstream.body;
          if (upstream.status === 200) {
            const changed = rewrite(action, answer.toString('utf8'));
            if (changed !== undefined) answer = Buffer.from(changed, 'utf8');
          }
          const headers = { ...upstream.headers, 'content-length': String(answer.length) };
          delete headers['transfer-encoding'];
          res.writeHead(upstream.status, headers);
          res.end(answer);
        })
        .catch((error: unknown) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`in-progress proxy: ${String(error)}`);
        });
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('in-progress proxy: no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    stats: () => ({ created: createdAt.size, rewritten, emulator: { ...emulator } }),
    resetEmulatorTime() {
      emulator = { calls: 0, sumMs: 0, busyMs: 0 };
      if (atMoto > 0) busySince = performance.now();
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
