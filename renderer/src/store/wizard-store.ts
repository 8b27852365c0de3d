/**
 * The one store: a plain external store read through useSyncExternalStore. Host events go through
 * applyHostEvent; user actions call update(). No library: the state is small and the updates are few.
 */
import { useSyncExternalStore } from 'react';
import { orgconnectApi, toUiError } from '../bridge/index.js';
import type { HostEvent } from '../../../preload/contract.js';
import { recordStackEvents } from './stack-events.js';
import { applyHostEvents, INITIAL_STATE, withFlash, type WizardState } from './wizard-state.js';
import type { StepId } from '../wizard-steps.js';

/**
 * One workspace per management profile being onboarded: each Organization has its own wizard state (selection,
 * plan, run, health) and step, so several Organizations can be set up side by side while their runs go on in the
 * host. The steps read and update the active workspace only; host events reach every workspace (each keeps what
 * concerns its own profile and run).
 */
interface Workspace {
  id: string;
  state: WizardState;
  step: StepId;
}

let workspaces: Workspace[] = [{ id: 'org-1', state: INITIAL_STATE, step: 'connect' }];
let activeId = 'org-1';
let state: WizardState = INITIAL_STATE;
let version = 0;
const listeners = new Set<() => void>();

function notify(): void {
  version += 1;
  for (const listener of listeners) listener();
}

function activeWorkspace(): Workspace {
  return workspaces.find((w) => w.id === activeId) ?? (workspaces[0] as Workspace);
}

function replaceActive(change: Pick<Workspace, 'step'>): void {
  workspaces = workspaces.map((w) => (w.id === activeId ? { ...w, ...change } : w));
  state = activeWorkspace().state;
}

export function getState(): WizardState {
  return state;
}

type Change = (current: WizardState) => WizardState;

function updateWorkspace(id: string, change: Change): void {
  const workspace = workspaces.find((w) => w.id === id);
  if (!workspace) return;
  const next = change(workspace.state);
  if (next === workspace.state) return;
  workspaces = workspaces.map((w) => (w.id === id ? { ...w, state: next } : w));
  state = activeWorkspace().state;
  notify();
}

/** Changes the visible workspace's state. */
export function update(change: Change): void {
  updateWorkspace(activeId, change);
}

/**
 * An updater bound to the workspace visible now. Work that awaits the host takes one before its first await, so its
 * results land in the Organization that asked even if the user has switched tabs meanwhile.
 */
export function workspaceUpdater(): (change: Change) => void {
  const id = activeId;
  return (change) => updateWorkspace(id, change);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useWizard<T>(select: (current: WizardState) => T): T {
  return useSyncExternalStore(subscribe, () => select(state));
}

/** The active workspace's wizard step. */
export function useStep(): StepId {
  return useSyncExternalStore(subscribe, () => activeWorkspace().step);
}

export function setStep(step: StepId): void {
  if (activeWorkspace().step === step) return;
  replaceActive({ step });
  notify();
}

export interface WorkspaceSummary {
  id: string;
  label: string;
}

let summaries: { version: number; value: WorkspaceSummary[] } = { version: -1, value: [] };
/** The workspaces, labelled by profile and Organization, for the switcher. */
export function useWorkspaces(): { workspaces: WorkspaceSummary[]; activeId: string } {
  const list = useSyncExternalStore(subscribe, () => {
    if (summaries.version !== version) {
      const value = workspaces.map((w, index) => ({
        id: w.id,
        label: w.state.profile
          ? `${w.state.profile}${w.state.snapshot ? ` · ${w.state.snapshot.organization.id}` : ''}`
          : `Organization ${index + 1}`,
      }));
      // Same labels, same array: no re-render for events that change nothing here.
      const same =
        value.length === summaries.value.length &&
        value.every((v, i) => v.id === summaries.value[i]?.id && v.label === summaries.value[i]?.label);
      summaries = { version, value: same ? summaries.value : value };
    }
    return summaries.value;
  });
  const active = useSyncExternalStore(subscribe, () => activeId);
  return { workspaces: list, activeId: active };
}

/** Opens a workspace for another management profile (with the same platform settings) and switches to it. */
let workspacesOpened = 1;
export function addWorkspace(): void {
  workspacesOpened += 1;
  const id = `org-${workspacesOpened}`;
  workspaces = [
    ...workspaces,
    { id, state: { ...INITIAL_STATE, settings: state.settings }, step: 'connect' },
  ];
  activeId = id;
  state = activeWorkspace().state;
  notify();
}

/** The id of the workspace shown now. */
export function activeWorkspaceId(): string {
  return activeId;
}

/** Another workspace already open on this Organization, if any. */
export function workspaceWithOrganization(organizationId: string, exceptId: string): string | undefined {
  return workspaces.find((w) => w.id !== exceptId && w.state.snapshot?.organization.id === organizationId)
    ?.id;
}

/** Closes a workspace (an Organization opened twice) and shows `focusId` instead. */
export function closeWorkspace(id: string, focusId: string): void {
  if (!workspaces.some((w) => w.id === focusId) || id === focusId) return;
  workspaces = workspaces.filter((w) => w.id !== id);
  activeId = focusId;
  state = activeWorkspace().state;
  notify();
}

export function switchWorkspace(id: string): void {
  if (id === activeId || !workspaces.some((w) => w.id === id)) return;
  activeId = id;
  state = activeWorkspace().state;
  notify();
}

/** Management profiles open in the other workspaces (one profile, one workspace). */
export function profilesOpenElsewhere(): string[] {
  return workspaces.flatMap((w) => (w.id !== activeId && w.state.profile ? [w.state.profile] : []));
}

/** Prompts are for the person at the screen: they go to the workspace they are looking at. */
const FOR_THE_ACTIVE_WORKSPACE_ONLY = new Set<HostEvent['type']>(['mfa-prompt', 'login-prompt']);

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
      // Every tab's run (a background Organization's too). Before deploy.start has answered, the visible tab's
      // run id is not known yet; its first events still belong here.
      recordStackEvents(
        batch,
        (runId) => state.runId === undefined || workspaces.some((w) => w.state.runId === runId),
      );
      let changed = false;
      workspaces = workspaces.map((w) => {
        const events =
          w.id === activeId ? batch : batch.filter((e) => !FOR_THE_ACTIVE_WORKSPACE_ONLY.has(e.type));
        const next = applyHostEvents(w.state, events);
        if (next === w.state) return w;
        changed = true;
        return { ...w, state: next };
      });
      if (!changed) return;
      state = activeWorkspace().state;
      notify();
    };
    // A hidden page gets no animation frames; a timer keeps its state current all the same.
    if (document.visibilityState === 'visible') requestAnimationFrame(flush);
    else setTimeout(flush, 100);
  });
}

/** Shows a failure as code, one-line message and fix (never a stack). */
export function reportError(reason: unknown): void {
  const error = toUiError(reason);
  // Errors carry a title once the host sends one; older hosts' errors get one from their code.
  const title = (error as { title?: unknown }).title;
  update((current) =>
    withFlash(current, {
      type: 'error',
      ...(typeof title === 'string' ? { title } : {}),
      code: error.code,
      message: error.message,
      fix: error.fix,
    }),
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

/** Drops the messages about a problem the user has just put right (e.g. NOTHING_SELECTED once they select). */
export function dismissFlashesWithCode(code: string): void {
  update((current) =>
    current.flashes.some((f) => f.code === code)
      ? { ...current, flashes: current.flashes.filter((f) => f.code !== code) }
      : current,
  );
}
