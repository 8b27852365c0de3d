/**
 * Each Deploy row's stack history for the side panel, kept apart from the wizard state: a run of thousands of
 * accounts sends a hundred events a second, and copying a thousands-key map per event (as an immutable state
 * must) costs frames. Lines are appended in place; a panel subscribes to its one row.
 */
import { useSyncExternalStore } from 'react';
import type { HostEvent } from '../../../preload/contract.js';
import { connectionKey } from '../../../main/core/onboarding/connection-key.js';

export interface StackEventLine {
  at: string;
  text: string;
  status?: string | undefined;
}

const KEPT_PER_ROW = 50;
const lines = new Map<string, StackEventLine[]>();
const versions = new Map<string, number>();
const listeners = new Set<() => void>();
const NONE: StackEventLine[] = [];

function append(key: string, line: StackEventLine): void {
  const next = [...(lines.get(key) ?? NONE), line].slice(-KEPT_PER_ROW);
  lines.set(key, next);
  versions.set(key, (versions.get(key) ?? 0) + 1);
}

/**
 * Records what a batch of host events says about stacks, for the runs `isOurs` accepts (this window's, not another
 * window's); true when anything was recorded.
 */
export function recordStackEvents(events: readonly HostEvent[], isOurs: (runId: string) => boolean): boolean {
  let changed = false;
  for (const event of events) {
    if ((event.type === 'run-progress' || event.type === 'run-event') && !isOurs(event.runId)) continue;
    if (event.type === 'run-progress') {
      append(connectionKey(event), {
        at: new Date().toISOString(),
        text: `${event.step}: ${event.message}`,
        status: event.status,
      });
      changed = true;
    } else if (event.type === 'run-event' && event.event.type === 'account-state') {
      const inner = event.event;
      const why = [inner.code, inner.reason].filter(Boolean).join(': ');
      append(connectionKey(inner), {
        at: inner.at,
        text: `${inner.state}${why ? ` — ${why}` : ''}`,
      });
      changed = true;
    }
  }
  if (changed) for (const listener of listeners) listener();
  return changed;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** One row's lines, oldest first; re-renders only when that row changes. */
export function useStackEvents(key: string | undefined): StackEventLine[] {
  return useSyncExternalStore(subscribe, () => (key === undefined ? NONE : (lines.get(key) ?? NONE)));
}
