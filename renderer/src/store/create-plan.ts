/** plan.create for the current choices, with the plan remembering what it was made from (planRequestKey). */
import { orgconnectApi } from '../bridge/index.js';
import { planRequest, planRequestKey } from './plan-request.js';
import { getState, reportError, workspaceUpdater } from './wizard-store.js';

/** Plans what the current choices would deploy; the plan remembers what it was made from (planRequestKey). */
export async function createPlan(): Promise<boolean> {
  const s = getState();
  const request = planRequest(s);
  const key = planRequestKey(s);
  if (!request || key === undefined) return false;
  const update = workspaceUpdater();
  update((current) => {
    const {
      planned: _p,
      plannedKey: _k,
      runId: _r,
      runStatus: _s,
      counts: _c,
      finishedStatus: _f,
      focusedRow: _fr,
      focusedPlanItem: _fp,
      ...rest
    } = current;
    const { planFailedKey: _failed, ...kept } = rest;
    return { ...kept, deploy: {} };
  });
  try {
    const planned = await orgconnectApi().plan.create(request);
    update((current) => ({ ...current, planned, plannedKey: key }));
    return true;
  } catch (error) {
    reportError(error);
    update((current) => ({ ...current, planFailedKey: key }));
    return false;
  }
}
