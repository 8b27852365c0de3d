/**
 * What the app's Disconnect… modal says while a disconnect run goes and when it ends, from the run's events only: an
 * account counts as disconnected once its `disconnected` event arrived, and as deregistered only when the
 * platform said so. Pure, so the final message can say exactly what is true.
 */
import type { RunEvent } from './run-events.js';
import { connectionKey } from './connection-key.js';

type AccountStateEvent = Extract<RunEvent, { type: 'account-state' }>;

export interface DisconnectTally {
  /** Accounts the run acts on (skipped ones excluded once known). */
  total: number;
  disconnected: number;
  deregistered: number;
  /** Disconnected, but the platform was not told (registration off, or it had no such connection). */
  notRegistered: number;
  failed: number;
  skipped: number;
  finished: boolean;
}

/** The latest state of each connection (account and kind) in the events, tallied. */
export function tallyDisconnect(events: readonly RunEvent[], planned: number): DisconnectTally {
  const latest = new Map<string, AccountStateEvent>();
  let finished = false;
  for (const event of events) {
    if (event.type === 'account-state') latest.set(connectionKey(event), event);
    if (event.type === 'run-finished') finished = true;
  }
  const tally: DisconnectTally = {
    total: planned,
    disconnected: 0,
    deregistered: 0,
    notRegistered: 0,
    failed: 0,
    skipped: 0,
    finished,
  };
  for (const event of latest.values()) {
    if (event.state === 'disconnected') {
      tally.disconnected += 1;
      if (event.deregistration?.status === 'deregistered') tally.deregistered += 1;
      else tally.notRegistered += 1;
    } else if (event.state === 'failed' || event.state === 'cancelled' || event.state === 'unknown') {
      tally.failed += 1;
    } else if (event.state === 'skipped') {
      tally.skipped += 1;
    }
  }
  return tally;
}

/** "2 disconnected and deregistered, 0 failed", or what differs from it (never more than happened). */
export function disconnectMessage(tally: DisconnectTally): string {
  const { disconnected, deregistered, notRegistered, failed } = tally;
  const done =
    disconnected === 0
      ? '0 disconnected'
      : notRegistered === 0
        ? `${disconnected} disconnected and deregistered`
        : deregistered === 0
          ? `${disconnected} disconnected (the platform was not told: not registered or registration off)`
          : `${disconnected} disconnected (${deregistered} deregistered, ${notRegistered} not registered with the platform)`;
  const skipped = tally.skipped > 0 ? `, ${tally.skipped} skipped` : '';
  return `${done}, ${failed} failed${skipped}`;
}
