/**
 * What plan.create is asked for, built from the wizard state in one place. Its key decides whether the plan on
 * screen is still the plan of what the user chose: any change to the profile, the settings, the selection or a
 * connection name gives another key, and Review/Deploy plan again instead of showing the previous plan.
 */
import type { RequestOf } from '../../../preload/contract.js';
import { selectionSpec, type WizardState } from './wizard-state.js';

export type PlanRequest = RequestOf<'plan.create'>;

export function planRequest(state: WizardState): PlanRequest | undefined {
  const { profile, snapshot, settings } = state;
  if (!profile || !snapshot) return undefined;
  const overrides = Object.entries(state.nameOverrides).filter(([id]) => state.selected.includes(id));
  return {
    profile,
    request: {
      externalId: settings.externalId,
      platformAccountId: settings.platformAccountId,
      select: selectionSpec(snapshot, state.selected),
      ...(overrides.length > 0 ? { nameOverrides: Object.fromEntries(overrides) } : {}),
      accessRoleName: settings.accessRoleName,
      mode: settings.access === 'stacksets' ? 'stacksets' : 'stacks',
      ...(settings.access === 'manual'
        ? {
            source: 'manual' as const,
            ...(settings.rolePath ? { rolePath: settings.rolePath } : {}),
            ...(settings.rolesCsv ? { rolesCsv: settings.rolesCsv } : {}),
          }
        : {}),
      ...(settings.access === 'identity-center'
        ? { accessMode: 'identity-center' as const, ssoRoleName: settings.ssoRoleName }
        : {}),
      ...(settings.roleName ? { roleName: settings.roleName } : {}),
      ...(settings.costAndUsageReportBucket
        ? { costAndUsageReportBucket: settings.costAndUsageReportBucket }
        : {}),
    },
  };
}

/** A stable key of the request (and of the concurrency the run will use, which the recap shows). */
export function planRequestKey(state: WizardState): string | undefined {
  const request = planRequest(state);
  if (!request) return undefined;
  const sortedOverrides = Object.entries(request.request.nameOverrides ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  return JSON.stringify([request, sortedOverrides, [...state.selected].sort(), state.settings.concurrency]);
}

/** True when a plan is shown that was made from other inputs than the current ones. */
export function planIsStale(state: WizardState): boolean {
  return state.planned !== undefined && state.plannedKey !== planRequestKey(state);
}
