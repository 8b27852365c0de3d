/**
 * Desktop notifications for connections that turn unhealthy. In Electron the main process shows them (Electron's
 * Notification, main/app/health-notifications.ts); in the browser host the page does, with the Web Notification
 * API, once the person allowed it (asked when they turn automatic checks on — a browser asks only on a click).
 * The host sends `health-alert` only on the turn to unhealthy, so a connection failing every round notifies once.
 */
import type { HostEvent } from '../../../../preload/contract.js';
import { orgconnectApi } from '../../bridge/index.js';
import { getState, setStep, update } from '../../store/wizard-store.js';
import { connectionKey } from '../../../../main/core/onboarding/connection-key.js';

/** Opens the Health step on one connection's row (its timeline shows). */
export function openHealthRow(key: string): void {
  update((s) => ({ ...s, focusedHealthRow: key }));
  setStep('health');
}

function inBrowserHost(): boolean {
  return window.orgconnect === undefined && typeof Notification !== 'undefined';
}

/** Asks for permission to notify (browser host only; Electron needs none). Call from a click handler. */
export async function askToNotify(): Promise<void> {
  if (!inBrowserHost() || Notification.permission !== 'default') return;
  try {
    await Notification.requestPermission();
  } catch {
    // Older browsers take a callback instead; without permission there are Flashbar items only.
  }
}

function notify(event: Extract<HostEvent, { type: 'health-alert' }>): void {
  const key = connectionKey(event.connection);
  const failing = event.connection.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const notification = new Notification(`${event.connection.accountName} is unhealthy`, {
    body: `${event.connection.connectionName} (${event.connection.accountId}): ${failing.join(', ') || 'checks failed'}`,
    // One notification per connection at a time: a newer one replaces an older one on screen.
    tag: `orgconnect-health-${key}`,
  });
  notification.onclick = () => {
    window.focus();
    openHealthRow(key);
  };
}

let connected = false;
export function connectHealthNotifications(): void {
  if (connected || !inBrowserHost()) return;
  connected = true;
  orgconnectApi().onEvent((event) => {
    if (event.type !== 'health-alert' || event.profile !== getState().profile) return;
    if (Notification.permission === 'granted') notify(event);
  });
}
