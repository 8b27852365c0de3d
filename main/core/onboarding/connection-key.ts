/**
 * The one key of a connection — one platform role (Billing or Resource) in one account — wherever connections are
 * joined: run journals, health history, coverage, sync, and the app's tables. Node-free, so the renderer imports it.
 */
import { connectionKindSchema, type ConnectionKind } from './run-events.js';

/** `111122223333/billing`. */
export function connectionKey(connection: { accountId: string; kind: ConnectionKind }): string {
  return `${connection.accountId}/${connection.kind}`;
}

/** The account and kind of a well-formed key; undefined for anything else. */
export function parseConnectionKey(key: string): { accountId: string; kind: ConnectionKind } | undefined {
  const match = /^(\d{12})\/([a-z]+)$/.exec(key);
  const kind = connectionKindSchema.safeParse(match?.[2]);
  return match && kind.success ? { accountId: match[1]!, kind: kind.data } : undefined;
}
