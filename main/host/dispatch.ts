/**
 * The one request path both hosts share: check the channel, parse the payload with the contract, then call the
 * handler. Anything malformed is answered with INVALID_REQUEST and never reaches a handler; every failure
 * crosses as `{ ok: false, error: { code, title, message, fix?, details? } }` (no stack traces, no echoed payloads — a payload may
 * hold an External ID).
 */
import type { z } from 'zod';
import {
  channels,
  isChannel,
  type Channel,
  type ErrorPayload,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../../preload/contract.js';
import { toPersonError } from '../core/person-error.js';

export type Handlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

export type Dispatch = (channel: unknown, payload: unknown) => Promise<Result<unknown>>;

export function createDispatcher(handlers: Handlers): Dispatch {
  return async (channel, payload) => {
    if (!isChannel(channel)) {
      return invalid(
        `Unknown channel "${typeof channel === 'string' ? channel.slice(0, 64) : typeof channel}".`,
      );
    }
    // A call without arguments (ipcRenderer.invoke(channel)) arrives as undefined; null is not a payload.
    const parsed = channels[channel].request.safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) return invalid(`Malformed ${channel} request: ${issueSummary(parsed.error)}`);
    try {
      const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      return { ok: false, error: toErrorPayload(error) };
    }
  };
}

function invalid(message: string): Result<never> {
  return {
    ok: false,
    error: {
      code: 'INVALID_REQUEST',
      message,
      fix: 'This is a bug in the UI; restart the app and try again.',
    },
  };
}

/** Paths and zod's messages only: zod messages describe the rule broken, never the value. */
function issueSummary(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(payload)'}: ${issue.message}`)
    .join('; ');
}

export function toErrorPayload(error: unknown): ErrorPayload {
  return toPersonError(error).toJSON();
}
