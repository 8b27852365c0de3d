/**
 * The one store: a plain external store read through useSyncExternalStore. Host events go through
 * applyHostEvent; user actions call update(). No library: the state is small and the updates are few.
 */
import { useSyncExternalStore } from 'react';
import { orgconnectApi, toUiError } from '../bridge/index.js';
import type { HostEvent } from '../../../preload/contract.js';
import { recordStackEvents } from './stack-events.js';
import { applyHostEvent, INITIAL_STATE, withFlash, type WizardState } from './wizard-state.js';

let state: WizardState = INITIAL_STATE;
const listeners = new Set<() => void>();

export function getState(): WizardState {
  return state;
}

export function update(change: (current: WizardState) => WizardState): void {
  const next = change(state);
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useWizard<T>(select: (current: WizardState) => T): T {
  return useSyncExternalStore(subscribe, () => select(state));
}

let connected = false;
let queued: HostEvent[] = [];
/**
 * Starts applying host events; once per page. Events are applied in one batch per animation frame: a run of
 * thousands of accounts sends a hundred updates a second, and one render per frame is all the screen can show.
 */
export function connectHostEvents(): void {
  if (connected) return;
  connected = true;
  orgconnectApi().onEvent((event) => {
    queued.push(event);
    if (queued.length > 1) return;
    const flush = () => {
      const batch = queued;
      queued = [];
      recordStackEvents(batch, state.runId);
      update((current) => batch.reduce(applyHostEvent, current));
    };
    // A hidden page gets no animation frames; a timer keeps its state current all the same.
    if (document.visibilityState === 'visible') requestAnimationFrame(flush);
    else setTimeout(flush, 100);
  });
}

/** Shows a failure as code, one-line message and fix (never a stack). */
export function reportError(reason: unknown): void {
  const error = toUiError(reason);
  update((current) =>
    withFlash(current, { type: 'error', code: error.code, message: error.message, fix: error.fix }),
  );
}

export function dismissFlash(id: string): void {
  update((current) => ({ ...current, flashes: current.flashes.filter((f) => f.id !== id) }));
}

export function clearErrors(): void {
  update((current) =>
    current.flashes.some((f) => f.type === 'error')
      ? { ...current, flashes: current.flashes.filter((f) => f.type !== 'error') }
      : current,
  );
}
