/**
 * The desktop's notification for a connection that turned unhealthy (the host's `health-alert`, sent once per
 * turn). Clicking it brings the window forward, where the matching Flashbar item opens the row.
 */
import { Notification, type BrowserWindow } from 'electron';
import type { HostEvent } from '../../preload/contract.js';

export function notifyUnhealthy(
  event: Extract<HostEvent, { type: 'health-alert' }>,
  window: BrowserWindow | undefined,
): void {
  if (!Notification.isSupported()) return;
  const failing = event.connection.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const notification = new Notification({
    title: `${event.connection.accountName} is unhealthy`,
    body: `${event.connection.connectionName} (${event.connection.accountId}): ${failing.join(', ') || 'checks failed'}`,
  });
  notification.on('click', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  notification.show();
}
