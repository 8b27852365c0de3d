/**
 * "Check access": who the profile is, the Organization it reaches and its Cost and Usage Report. Kept apart from
 * the step so the wizard's Next can wait for a check still running (with progress) instead of refusing, and so an
 * Organization already open in another tab is shown there rather than opened twice.
 */
import { orgconnectApi } from '../../bridge/index.js';
import {
  activeWorkspaceId,
  clearErrors,
  closeWorkspace,
  getState,
  reportError,
  update as updateActive,
  workspaceUpdater,
  workspaceWithOrganization,
} from '../../store/wizard-store.js';
import { withFlash } from '../../store/wizard-state.js';

const inFlight = new Map<string, Promise<void>>();

/** The check running in the visible workspace, if any. */
export function accessCheckInFlight(): Promise<void> | undefined {
  return inFlight.get(activeWorkspaceId());
}

export function checkAccess(profile: string): Promise<void> {
  const workspaceId = activeWorkspaceId();
  const running = run(profile, workspaceId).finally(() => inFlight.delete(workspaceId));
  inFlight.set(workspaceId, running);
  return running;
}

async function run(profile: string, workspaceId: string): Promise<void> {
  const update = workspaceUpdater();
  clearErrors();
  update((s) => {
    const { identity: _i, snapshot: _s, planned: _p, costAndUsageReport: _c, ...rest } = s;
    return { ...rest, selected: [] };
  });
  try {
    const api = orgconnectApi();
    const who = await api.identity.whoami({ profile });
    update((s) => ({ ...s, identity: who }));
    const found = await api.org.discover({ profile });
    const openElsewhere = workspaceWithOrganization(found.organization.id, workspaceId);
    if (openElsewhere && getState().runId === undefined) {
      // One tab per Organization: adding the same one again shows the tab it already has.
      closeWorkspace(workspaceId, openElsewhere);
      updateActive((s) =>
        withFlash(s, {
          type: 'info',
          title: 'This Organization is already open',
          message: `Organization ${found.organization.id} is open in this tab; the duplicate tab was closed.`,
        }),
      );
      return;
    }
    update((s) => ({
      ...s,
      snapshot: found,
      // Every active account is chosen by default; the user narrows it down on the Accounts step.
      selected: found.accounts.filter((a) => a.status === 'ACTIVE').map((a) => a.id),
    }));
    if (who.isManagementAccount) {
      // Reads only; a failure here is shown as "not checked", never as a blocker.
      const cur = await api.cur.status({ profile });
      update((s) => ({
        ...s,
        costAndUsageReport: cur,
        settings:
          cur.bucket && s.settings.costAndUsageReportBucket === ''
            ? { ...s.settings, costAndUsageReportBucket: cur.bucket }
            : s.settings,
      }));
    }
  } catch (error) {
    reportError(error);
  }
}
