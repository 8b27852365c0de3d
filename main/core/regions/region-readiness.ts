/**
 * Before deploying: are the Regions in use enabled in every selected account? Read from the management account
 * through the Account API (account:ListRegions with the member's AccountId; without it for the management account
 * itself, as the API requires). `enableRegions` is the fix, run only after the user agreed (deploy
 * --enable-regions): account:EnableRegion for each planned Region.
 */
import { EnableRegionCommand, type AccountClient } from '@aws-sdk/client-account';
import pLimit from 'p-limit';
import type { Sender } from '../health/check-context.js';
import { cannotCheck } from '../aws/cannot-check.js';
import { listAccountRegions } from '../health/checks/regions-sts.js';
import {
  fixFor,
  isOptInRegion,
  problemFromOptStatus,
  type RegionFix,
  type RegionProblem,
} from './region-fixes.js';

export interface RegionTarget {
  accountId: string;
  accountName: string;
}

export interface RegionGap {
  accountId: string;
  accountName: string;
  region: string;
  problem: RegionProblem;
  fix: RegionFix;
}

export interface RegionReadiness {
  regionsInUse: string[];
  gaps: RegionGap[];
  /** Accounts whose Regions could not be read (the API refused or is not there), with why. */
  unchecked: Array<{ accountId: string; reason: string }>;
}

export async function assessRegions(
  account: Sender<AccountClient>,
  input: {
    managementAccountId: string;
    targets: RegionTarget[];
    regionsInUse: string[];
    concurrency?: number;
  },
): Promise<RegionReadiness> {
  const limit = pLimit(input.concurrency ?? 4);
  const regionsInUse = [...new Set(input.regionsInUse)];
  const gaps: RegionGap[] = [];
  const unchecked: RegionReadiness['unchecked'] = [];
  // Regions enabled by default cannot be off anywhere: no call at all unless an opt-in Region is in use.
  if (!regionsInUse.some(isOptInRegion)) return { regionsInUse, gaps, unchecked };
  await Promise.all(
    input.targets.map((target) =>
      limit(async () => {
        const accountId = target.accountId === input.managementAccountId ? undefined : target.accountId;
        try {
          const listed = await listAccountRegions(account, accountId);
          const status = new Map(listed.map((r) => [r.RegionName, r.RegionOptStatus]));
          for (const region of regionsInUse) {
            const problem = problemFromOptStatus(status.get(region));
            if (problem) gaps.push({ ...target, region, problem, fix: fixFor(problem, region) });
          }
        } catch (error) {
          unchecked.push({
            accountId: target.accountId,
            reason: cannotCheck(error, 'account:ListRegions').reason,
          });
        }
      }),
    ),
  );
  const order = new Map(input.targets.map((t, i) => [t.accountId, i]));
  gaps.sort((a, b) => order.get(a.accountId)! - order.get(b.accountId)! || a.region.localeCompare(b.region));
  return { regionsInUse, gaps, unchecked };
}

/** The gaps `--enable-regions` fixes: opt-in Regions that are off. */
export function enableableGaps(readiness: RegionReadiness): RegionGap[] {
  return readiness.gaps.filter((gap) => gap.fix.kind === 'api');
}

export interface EnableRegionOutcome {
  accountId: string;
  region: string;
  ok: boolean;
  reason?: string;
}

/** Writes: account:EnableRegion for each gap (AWS then enables it in the background: ENABLING, then ENABLED). */
export async function enableRegions(
  account: Sender<AccountClient>,
  managementAccountId: string,
  gaps: readonly RegionGap[],
): Promise<EnableRegionOutcome[]> {
  const out: EnableRegionOutcome[] = [];
  for (const gap of gaps) {
    try {
      await account.send(
        new EnableRegionCommand({
          RegionName: gap.region,
          ...(gap.accountId === managementAccountId ? {} : { AccountId: gap.accountId }),
        }),
      );
      out.push({ accountId: gap.accountId, region: gap.region, ok: true });
    } catch (error) {
      out.push({
        accountId: gap.accountId,
        region: gap.region,
        ok: false,
        reason: cannotCheck(error, `account:EnableRegion ${gap.region}`).reason,
      });
    }
  }
  return out;
}
