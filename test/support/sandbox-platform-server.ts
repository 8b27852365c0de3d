/**
 * A sandbox cost platform: the link endpoint orgconnect registers connections with, on 127.0.0.1. It validates
 * every message with the contract's zod schema on its own (never with orgconnect's builder), keeps connections
 * by account as the platform would (provisioned upserts, deprovisioned removes), can be told to fail (5xx,
 * timeouts, dropped connections, 4xx) and serves a page listing what it holds as Billing and Resource
 * Connections, like the platform's Cloud Integrations page. Tests assert on what it received and holds.
 *
 * It keeps the External ID only as sha256 + last 4 characters: the page and `/api/connections` show neither
 * more nor the message bodies, as a real platform would not echo a secret back.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import {
  describeLinkMessageIssues,
  linkMessageSchema,
  type LinkMessage,
} from '../../main/core/platform/link-contract.js';

export const LINK_PATH = '/accounts/v1/link';

export type ConnectionType = 'billing' | 'resource';

export interface HeldConnection {
  type: ConnectionType;
  accountId: string;
  name: string;
  roleArn: string;
  region: string;
  externalIdSha256: string;
  externalIdLast4: string;
  billingBucket: string | null;
  /** ISO time of the last provisioned message for it. */
  updatedAt: string;
  /** How many accepted provisioned messages it took (an upsert counts each). */
  provisionedCount: number;
}

/** Every request to the link endpoint, answered or not, in arrival order. */
export interface ReceivedRequest {
  at: string;
  /** What was answered: an HTTP status, or `timeout` / `dropped` for an injected fault. */
  answer: number | 'timeout' | 'dropped';
  /** The parsed message when it fit the contract (faults are applied after validation). */
  message?: LinkMessage;
  /** Why a 400 was answered. */
  problem?: string;
  accountId?: string;
  messageType?: string;
  hadAuthorizationHeader: boolean;
  contentType: string | undefined;
}

export interface Fault {
  kind: 'status' | 'timeout' | 'drop';
  /** For `status`: e.g. 503 or 403. */
  status?: number;
  /** Only messages for this account (default: any). */
  accountId?: string;
  /** How many matching messages it applies to (default 1). */
  times?: number;
}

export interface SandboxPlatform {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The link endpoint to pass as --platform-url. */
  linkUrl: string;
  /** The Cloud Integrations page. */
  pageUrl: string;
  readonly received: readonly ReceivedRequest[];
  /** Accepted messages only (2xx), in order. */
  accepted(): ReceivedRequest[];
  connections(): HeldConnection[];
  inject(fault: Fault): void;
  clearFaults(): void;
  stop(): Promise<void>;
}

const MAX_BODY = 256 * 1024;

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
      if (body.length > MAX_BODY) resolve(undefined);
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function connectionType(message: LinkMessage): ConnectionType {
  return message.data.links.master_payer.role_arn !== null ? 'billing' : 'resource';
}

function key(type: ConnectionType, accountId: string): string {
  return `${type}/${accountId}`;
}

function renderPage(connections: HeldConnection[]): string {
  const table = (title: string, rows: HeldConnection[], extra: boolean) => `
  <h2>${title} <span class="count">(${rows.length})</span></h2>
  <table aria-label="${title}">
    <thead><tr><th>Name</th><th>Account ID</th><th>Role ARN</th>${extra ? '<th>Billing bucket</th>' : ''}<th>External ID</th><th>Status</th><th>Updated</th></tr></thead>
    <tbody>${
      rows.length === 0
        ? `<tr><td colspan="${extra ? 7 : 6}">No connections yet.</td></tr>`
        : rows
            .map(
              (c) =>
                `<tr data-account-id="${c.accountId}"><td>${escapeHtml(c.name)}</td><td>${c.accountId}</td><td>${escapeHtml(c.roleArn)}</td>${
                  extra ? `<td>${escapeHtml(c.billingBucket ?? '—')}</td>` : ''
                }<td>…${escapeHtml(c.externalIdLast4)}</td><td>Connected</td><td>${c.updatedAt}</td></tr>`,
            )
            .join('')
    }</tbody>
  </table>`;
  const sorted = [...connections].sort((a, b) => a.name.localeCompare(b.name));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cloud Integrations — sandbox platform</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #16191f; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; font-size: 0.9rem; }
  th, td { border-bottom: 1px solid #d5dbdb; padding: 0.4rem 0.6rem; text-align: left; }
  th { background: #f2f3f3; }
  .count { color: #5f6b7a; font-weight: normal; }
  .banner { background: #fff7e0; border: 1px solid #f2c94c; padding: 0.5rem 1rem; margin-bottom: 1rem; }
</style></head>
<body>
  <div class="banner">Sandbox platform on this machine — not CloudZero. It shows what orgconnect registered.</div>
  <h1>Cloud Integrations</h1>
  ${table(
    'Billing Connections',
    sorted.filter((c) => c.type === 'billing'),
    true,
  )}
  ${table(
    'Resource Connections',
    sorted.filter((c) => c.type === 'resource'),
    false,
  )}
</body></html>`;
}

export async function startSandboxPlatform(options: { port?: number } = {}): Promise<SandboxPlatform> {
  const received: ReceivedRequest[] = [];
  const held = new Map<string, HeldConnection>();
  const faults: (Fault & { times: number })[] = [];
  const sockets = new Set<Socket>();

  const takeFault = (accountId: string): Fault | undefined => {
    const index = faults.findIndex((fault) => fault.accountId === undefined || fault.accountId === accountId);
    if (index === -1) return undefined;
    const fault = faults[index] as Fault & { times: number };
    fault.times -= 1;
    if (fault.times <= 0) faults.splice(index, 1);
    return fault;
  };

  const handleLink = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const record: ReceivedRequest = {
      at: new Date().toISOString(),
      answer: 400,
      hadAuthorizationHeader: request.headers.authorization !== undefined,
      contentType: request.headers['content-type'],
    };
    received.push(record);
    const reply = (status: number, payload: unknown) => {
      record.answer = status;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    const text = await readBody(request);
    if (text === undefined) return reply(413, { reason: 'message too large' });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      record.problem = 'the body is not JSON';
      return reply(400, { reason: record.problem });
    }
    const parsed = linkMessageSchema.safeParse(json);
    if (!parsed.success) {
      record.problem = describeLinkMessageIssues(parsed.error);
      return reply(400, { reason: record.problem });
    }
    const message = parsed.data;
    const { metadata } = message.data;
    record.message = message;
    record.accountId = metadata.cloud_account_id;
    record.messageType = message.message_type;
    const fault = takeFault(metadata.cloud_account_id);
    if (fault?.kind === 'drop') {
      record.answer = 'dropped';
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout') {
      record.answer = 'timeout';
      return; // never answered; the socket is destroyed on stop()
    }
    if (fault?.kind === 'status') {
      const status = fault.status ?? 503;
      return reply(status, {
        reason:
          status >= 500 ? 'the sandbox platform was told to fail' : 'the sandbox platform was told to refuse',
      });
    }
    const type = connectionType(message);
    const id = key(type, metadata.cloud_account_id);
    if (message.message_type === 'account-link-deprovisioned') {
      held.delete(id);
      return reply(200, { status: 'deprovisioned' });
    }
    const roleArn =
      type === 'billing'
        ? message.data.links.master_payer.role_arn
        : message.data.links.resource_owner.role_arn;
    const previous = held.get(id);
    held.set(id, {
      type,
      accountId: metadata.cloud_account_id,
      name: metadata.cz_account_name,
      roleArn: roleArn ?? '',
      region: metadata.cloud_region,
      externalIdSha256: createHash('sha256').update(metadata.external_id, 'utf8').digest('hex'),
      externalIdLast4: metadata.external_id.slice(-4),
      billingBucket: message.data.discovery.master_payer_billing_bucket_name,
      updatedAt: record.at,
      provisionedCount: (previous?.provisionedCount ?? 0) + 1,
    });
    return reply(200, { status: 'provisioned' });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    if (request.method === 'POST' && url.pathname === LINK_PATH) {
      handleLink(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/api/connections') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ connections: [...held.values()] }));
      return;
    }
    if (request.method === 'GET' && (url.pathname === '/' || url.pathname === '/cloud-integrations')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(renderPage([...held.values()]));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ reason: 'not found' }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    linkUrl: `${url}${LINK_PATH}`,
    pageUrl: `${url}/cloud-integrations`,
    received,
    accepted: () => received.filter((r) => typeof r.answer === 'number' && r.answer >= 200 && r.answer < 300),
    connections: () => [...held.values()],
    inject: (fault) => faults.push({ ...fault, times: fault.times ?? 1 }),
    clearFaults: () => faults.splice(0),
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `/api/connections`, for a process that only has the URL (the demo, a child test). */
export const heldConnectionsSchema = z.object({
  connections: z.array(
    z.object({
      type: z.enum(['billing', 'resource']),
      accountId: z.string(),
      name: z.string(),
      roleArn: z.string(),
    }),
  ),
});
