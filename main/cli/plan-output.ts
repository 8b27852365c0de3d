import type { Plan } from '../core/onboarding/plan.js';
import type { CostAndUsageReportStatus } from '../core/onboarding/cur-detection.js';
import type { OnboardingRequest, PlannedPlatform } from '../core/onboarding/onboarding.js';
import type { RegistrationPreview } from '../core/service.js';
import type { CurSetupPlan } from '../core/billing/cur-setup.js';
import type { RegionGap, RegionReadiness } from '../core/regions/region-readiness.js';
import { formatTable, type CliIo, type TableOptions } from './output.js';

export interface PlannedForOutput {
  plan: Plan;
  organizationId: string;
  platform: PlannedPlatform;
  request: Pick<OnboardingRequest, 'costAndUsageReportBucket'>;
  costAndUsageReport?: CostAndUsageReportStatus;
  curSetup?: CurSetupPlan;
  regions?: RegionReadiness;
  regionsToEnable?: RegionGap[];
  registration?: RegistrationPreview;
}

/** "N connections will be registered with <endpoint>", or why none will be. */
export function registrationLine(registration: RegistrationPreview): string {
  if ('off' in registration)
    return `No connection will be registered with the platform: ${registration.off}.`;
  const n = registration.connections;
  return `${n} connection${n === 1 ? '' : 's'} will be registered with ${registration.endpoint}.`;
}

/** The documented `plan --json` shape (README). */
export function planJson({
  plan,
  organizationId,
  platform,
  request,
  costAndUsageReport,
  curSetup,
  regions,
  regionsToEnable,
  registration,
}: PlannedForOutput) {
  return {
    organizationId,
    managementAccountId: plan.managementAccountId,
    /** The platform profile deployed: id, version (the date of its policies), trusted accounts, role path. */
    platform: {
      id: platform.id,
      version: platform.version,
      trustedAccountIds: platform.trustedAccountIds,
      rolePath: platform.rolePath,
    },
    /** The bucket the Billing role may read (null: none). */
    costAndUsageReportBucket: request.costAndUsageReportBucket ?? null,
    /** What was found in the management account, when orgconnect looked (no --cur-bucket / --no-cur-bucket). */
    ...(costAndUsageReport ? { costAndUsageReport } : {}),
    /** With --create-cur and no usable report: what deploy writes first (README, "Cost and Usage Report set-up"). */
    ...(curSetup
      ? {
          curSetup: {
            bucket: curSetup.bucket,
            region: curSetup.region,
            createBucket: curSetup.createBucket,
            exportName: curSetup.exportName,
            bucketPolicy: JSON.parse(curSetup.bucketPolicy) as unknown,
            steps: curSetup.steps,
          },
        }
      : {}),
    /** Regions in use not usable in some account, with the fix (README, "Opt-in Regions and STS"). */
    ...(regions ? { regions } : {}),
    /** With --enable-regions: the account:EnableRegion calls deploy makes first. */
    ...(regionsToEnable
      ? { regionsToEnable: regionsToEnable.map(({ accountId, region }) => ({ accountId, region })) }
      : {}),
    /** { endpoint, connections } the run will register, or { off: why } (README, "Registration"). */
    ...(registration ? { registration } : {}),
    counts: plan.counts,
    items: plan.items.map((item) => ({
      accountId: item.accountId,
      accountName: item.accountName,
      ouPath: item.ouPath,
      kind: item.kind,
      connectionName: item.connectionName,
      stackName: item.stackName,
      action: item.action,
      ...(item.replace ? { replace: true } : {}),
      ...(item.code ? { code: item.code } : {}),
      ...(item.reason ? { reason: item.reason } : {}),
      ...(item.fix ? { fix: item.fix } : {}),
    })),
  };
}

/** One line on the Cost and Usage Report the Billing role will read, or why there is none. */
export function curLine({ request, costAndUsageReport: found, curSetup }: PlannedForOutput): string {
  const bucket = request.costAndUsageReportBucket;
  if (curSetup !== undefined) {
    const steps = curSetup.steps.map((step, n) => `\n  ${n + 1}. ${step}`).join('');
    return `No usable Cost and Usage Report; deploy sets one up first (--create-cur):${steps}\nBilling role reads CUR bucket ${curSetup.bucket}.`;
  }
  if (bucket !== undefined && found?.bucket === bucket) {
    return `Billing role reads CUR bucket ${bucket} (${found.report ?? 'the usable report'}; --cur-bucket picks another, --no-cur-bucket none).`;
  }
  if (bucket !== undefined) return `Billing role reads CUR bucket ${bucket}.`;
  if (found === undefined) return 'Billing role reads no CUR bucket.';
  const fix = found.fix ? ` Fix: ${found.fix}` : '';
  if (found.status === 'unknown') return `Billing role reads no CUR bucket: ${found.summary}`;
  return `Billing role reads no CUR bucket. ${found.summary}${fix} (--create-cur sets one up.)`;
}

export function printPlan(io: CliIo, planned: PlannedForOutput, options: TableOptions = {}): void {
  const { plan } = planned;
  io.stdout(
    formatTable(
      plan.items,
      [
        { header: 'ACCOUNT', value: (i) => i.accountId },
        { header: 'NAME', value: (i) => i.accountName },
        { header: 'KIND', value: (i) => i.kind },
        { header: 'CONNECTION', value: (i) => i.connectionName },
        { header: 'ACTION', value: (i) => i.action },
        { header: 'WHY', value: (i) => [i.reason, i.fix ? `Fix: ${i.fix}` : ''].filter(Boolean).join(' ') },
      ],
      options,
    ),
  );
  const c = plan.counts;
  io.stdout(
    `\nPlan: ${c.create} to create, ${c.update} to update, ${c.skip} already connected, ${c.blocked} blocked ` +
      `(${c.billing} Billing, ${c.resource} Resource).\n`,
  );
  if (c.billing > 0) io.stdout(`${curLine(planned)}\n`);
  const { platform } = planned;
  io.stdout(
    `Platform: ${platform.name} (permissions of ${platform.version}); roles under ${platform.rolePath} trust ` +
      `${platform.trustedAccountIds.join(', ')} with your External ID.\n`,
  );
  if (planned.registration) io.stdout(`${registrationLine(planned.registration)}\n`);
  for (const line of regionLines(planned)) io.stdout(`${line}\n`);
}

/** The accounts whose Regions in use are not ready, each with its fix; and what --enable-regions will do. */
export function regionLines({ regions, regionsToEnable }: PlannedForOutput): string[] {
  if (regions === undefined) return [];
  const lines = regions.gaps.map(
    (gap) =>
      `  ${gap.accountId} (${gap.accountName}): ${gap.region} ${gap.problem.replace('-', ' ')}. Fix: ${gap.fix.text}`,
  );
  if (lines.length > 0)
    lines.unshift(
      `Regions in use (${regions.regionsInUse.join(', ')}) not ready in ${new Set(regions.gaps.map((g) => g.accountId)).size} accounts:`,
    );
  if (regions.unchecked.length > 0)
    lines.push(
      `Regions not checked in ${regions.unchecked.length} accounts: ${regions.unchecked[0]!.reason}.`,
    );
  if (regionsToEnable?.length)
    lines.push(
      `deploy --enable-regions enables first: ${regionsToEnable.map((g) => `${g.region} in ${g.accountId}`).join(', ')}.`,
    );
  return lines;
}
