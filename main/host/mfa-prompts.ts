/**
 * Asks the person at the window for an MFA code when a profile's role chain needs one (`mfa_serial`): the core
 * calls `ask`, the UI gets an `mfa-prompt` event and answers on the `mfa.answer` channel. A code is only ever
 * handed to the SDK's AssumeRole call; it is never logged or kept.
 */
import { randomBytes } from 'node:crypto';
import type { HostEvent, RequestOf } from '../../preload/contract.js';
import { OrgConnectError } from '../core/errors.js';

/** MFA codes rotate every 30 s; a prompt left open this long belongs to someone who walked away. */
const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export interface MfaPrompts {
  /** The service's `mfaCodeProvider`. */
  ask(mfaSerial: string): Promise<string>;
  /** Connects the UI's event stream; until a UI is attached, `ask` fails with MFA_REQUIRED. Returns detach. */
  attach(emit: (event: HostEvent) => void): () => void;
  /** A code, or no code to cancel. False when the prompt is unknown (answered already, timed out). */
  answer(request: RequestOf<'mfa.answer'>): { accepted: boolean };
}

interface Pending {
  resolve(code: string): void;
  reject(error: OrgConnectError): void;
  timer: NodeJS.Timeout;
}

export function createMfaPrompts(options: { timeoutMs?: number } = {}): MfaPrompts {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pending = new Map<string, Pending>();
  let emit: ((event: HostEvent) => void) | undefined;

  return {
    ask(mfaSerial) {
      const send = emit;
      if (send === undefined) {
        return Promise.reject(
          new OrgConnectError('MFA_REQUIRED', `The profile needs a code from MFA device ${mfaSerial}.`, {
            fix: 'Open the orgconnect window so it can ask for the code, then try again.',
          }),
        );
      }
      const promptId = randomBytes(16).toString('hex');
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(promptId);
          reject(
            new OrgConnectError('MFA_TIMEOUT', `No MFA code was entered for ${mfaSerial}.`, {
              fix: 'Try again and enter the current code from your MFA device.',
            }),
          );
        }, timeoutMs);
        pending.set(promptId, { resolve, reject, timer });
        send({ type: 'mfa-prompt', promptId, mfaSerial });
      });
    },
    attach(next) {
      emit = next;
      return () => {
        if (emit === next) emit = undefined;
      };
    },
    answer({ promptId, code }) {
      const prompt = pending.get(promptId);
      if (prompt === undefined) return { accepted: false };
      pending.delete(promptId);
      clearTimeout(prompt.timer);
      if (code === undefined) {
        prompt.reject(
          new OrgConnectError('MFA_CANCELLED', 'The MFA code prompt was cancelled.', {
            fix: 'Try again and enter the current code from your MFA device.',
          }),
        );
      } else prompt.resolve(code);
      return { accepted: true };
    },
  };
}
