import { z } from 'zod';
import type { Result } from './contract-channels.js';
import type { HostEvent } from './contract-events.js';

// -------------------------------------------------------------------------------------- WebSocket framing

/** Browser → host: one request with a correlation id. */
export const wsRequestSchema = z.strictObject({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(64),
  payload: z.unknown(),
});
export type WsRequest = z.infer<typeof wsRequestSchema>;

/** Host → browser: a reply to one request, or an event. */
export type WsMessage =
  ({ kind: 'reply'; id: number } & Result<unknown>) | { kind: 'event'; event: HostEvent };
