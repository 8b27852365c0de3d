/**
 * Are the Regions the account uses enabled, and does STS answer in each? The platform assumes the role through
 * regional STS endpoints; in an opt-in Region (ap-east-1, eu-south-1, ...) STS is off until someone activates
 * it, and then it answers RegionDisabledException. Regions checked: the stack's Region, the caller's list, and
 * every opt-in Region the account has enabled (an account that opted in to a Region usually runs things there).
 */
import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import { collectPages, pagingClient } from '../../cloudformation/index.js';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsErrorName } from '../../errors.js';
import type { HealthCheck, Sender } from '../check-context.js';
import { result, type CheckResult } from '../check-result.js';
import { cannotCheck } from '../../aws/cannot-check.js';
import { fixFor, problemFromOptStatus } from '../../regions/region-fixes.js';

export interface RegionOptStatus {
  RegionName?: string;
  RegionOptStatus?: string;
}

export type StsProbe =
  { region: string; ok: true } | { region: string; ok: false; disabled: boolean; reason: string };

/** The account's Regions; `accountId` (a member, from the management account) or the caller's own. */
export async function listAccountRegions(
  account: Sender<AccountClient>,
  accountId?: string,
): Promise<RegionOptStatus[]> {
  const client = pagingClient(AccountClient, account);
  return collectPages(
    paginateListRegions({ client, pageSize: 50 }, accountId ? { AccountId: accountId } : {}),
    (page) => page.Regions,
  );
}

/** The Regions to probe: used ones plus enabled opt-in ones, in a stable order. */
export function regionsToProbe(
  used: readonly string[],
  listed: readonly RegionOptStatus[] | undefined,
): string[] {
  const optedIn = (listed ?? [])
    .filter((r) => r.RegionOptStatus === 'ENABLED')
    .map((r) => r.RegionName ?? '');
  const unusable = new Set(
    (listed ?? [])
      .filter((r) => r.RegionOptStatus === 'DISABLED' || r.RegionOptStatus === 'DISABLING')
      .map((r) => r.RegionName),
  );
  return [...new Set([...used, ...optedIn])].filter((region) => region !== '' && !unusable.has(region));
}

export type ListedRegions =
  | { ok: true; regions: RegionOptStatus[] }
  | { ok: false; reason: string; /** The endpoint lacks account:ListRegions. */ notAvailable?: boolean };

/** Pure: the verdict from the Region list (or why it is missing) and the STS probes. */
export function evaluateRegions(
  used: readonly string[],
  listed: ListedRegions,
  probes: readonly StsProbe[],
): CheckResult {
  const failures: string[] = [];
  const fixes: string[] = [];
  const warnings: string[] = [];
  if (listed.ok) {
    const status = new Map(listed.regions.map((r) => [r.RegionName, r.RegionOptStatus]));
    for (const region of used) {
      const s = status.get(region);
      const problem = problemFromOptStatus(s);
      if (problem === 'not-enabled' || problem === 'disabling') {
        failures.push(`Region ${region} is not enabled in this account`);
        fixes.push(`${region}: ${fixFor(problem, region).text}`);
      } else if (s === 'ENABLING') warnings.push(`Region ${region} is still being enabled`);
    }
  }
  const disabled = probes
    .filter((p): p is Extract<StsProbe, { ok: false }> => !p.ok && p.disabled)
    .map((p) => p.region);
  if (disabled.length > 0) {
    failures.push(`STS is not active in ${disabled.join(', ')}`);
    fixes.push(...disabled.map((region) => `${region}: ${fixFor('sts-inactive', region).text}`));
  }
  const unprobed = probes.filter((p): p is Extract<StsProbe, { ok: false }> => !p.ok && !p.disabled);
  const working = probes.filter((p) => p.ok).map((p) => p.region);

  if (failures.length > 0) {
    return result('regions-sts', 'fail', `${failures.join('; ')}.`, {
      fix: `${fixes.join('; ')}.`,
      detail: unprobed.map((p) => p.reason),
    });
  }
  const gaps = [...(listed.ok ? [] : [listed.reason]), ...unprobed.map((p) => p.reason)];
  if (gaps.length > 0) {
    return result('regions-sts', 'unknown', `Regions not fully checked: ${gaps[0]}.`, {
      detail: [...gaps.slice(1), ...(working.length ? [`STS answered in ${working.join(', ')}`] : [])],
      // Only the Region list is missing, and STS answered everywhere it was asked: nothing here is wrong
      // with the connection, the endpoint just cannot say which opt-in Regions are on.
      notAvailableHere: !listed.ok && listed.notAvailable === true && unprobed.length === 0,
    });
  }
  if (warnings.length > 0)
    return result('regions-sts', 'warn', `${warnings.join('; ')}.`, {
      fix: 'Wait for AWS to finish enabling the Region.',
    });
  return result('regions-sts', 'pass', `STS answers in ${working.join(', ')}.`);
}

export const regionsStsCheck: HealthCheck = {
  id: 'regions-sts',
  needsAws: true,
  async run({ connection, clients, options }) {
    if (!clients) return result('regions-sts', 'unknown', 'The account could not be reached.');
    const used = [...new Set([connection.region, ...(options.regions ?? [])])];
    let listed: ListedRegions;
    try {
      listed = { ok: true, regions: await listAccountRegions(clients.account) };
    } catch (error) {
      const why = cannotCheck(error, 'account:ListRegions');
      listed = { ok: false, reason: why.reason, notAvailable: why.kind === 'not-implemented' };
    }
    const probes = await Promise.all(
      regionsToProbe(used, listed.ok ? listed.regions : undefined).map(async (region): Promise<StsProbe> => {
        try {
          await clients.stsIn(region).send(new GetCallerIdentityCommand({}));
          return { region, ok: true };
        } catch (error) {
          if (awsErrorName(error) === 'RegionDisabledException')
            return { region, ok: false, disabled: true, reason: `STS is not active in ${region}` };
          return {
            region,
            ok: false,
            disabled: false,
            reason: cannotCheck(error, `sts:GetCallerIdentity in ${region}`).reason,
          };
        }
      }),
    );
    return evaluateRegions(used, listed, probes);
  },
};
