/**
 * What one check says about one connection, and how the results add up to a connection's health.
 *
 * `unknown` means the check could not run (access denied, the API is missing in this partition or emulator);
 * it is never read as a pass. `skipped` means the caller chose not to run the check (for example drift
 * detection in an emulator that lacks it); it is shown, and it neither helps nor hurts the overall result.
 */
import { z } from 'zod';
import type { CannotCheck } from '../aws/cannot-check.js';

export const CHECK_IDS = [
  'account-active',
  'stack-status',
  'stack-drift',
  'role-exists',
  'role-trust',
  'role-policies',
  'role-last-used',
  'cur',
  'regions-sts',
  'platform-registration',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const checkStatusSchema = z.enum(['pass', 'warn', 'fail', 'unknown', 'skipped']);
export type CheckStatus = z.infer<typeof checkStatusSchema>;

export const checkResultSchema = z.object({
  id: z.enum(CHECK_IDS),
  status: checkStatusSchema,
  /** One line for a person. */
  summary: z.string(),
  fix: z.string().optional(),
  /** Supporting facts (what differs, what was seen); plain lines, never a credential or an External ID. */
  detail: z.array(z.string()).optional(),
  /** Machine-readable facts a table or report shows as columns (e.g. `stackStatus`). */
  facts: z.record(z.string(), z.string()).optional(),
  /**
   * With `unknown`: the check cannot run here at all — the endpoint (an emulator such as the sandbox's, or a
   * partition) lacks the API. Shown with its reason; like a skipped check it neither helps nor hurts the overall
   * result, because it says nothing about the connection.
   */
  notAvailableHere: z.boolean().optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const overallHealthSchema = z.enum(['healthy', 'degraded', 'unhealthy', 'unknown']);
export type OverallHealth = z.infer<typeof overallHealthSchema>;

export const connectionHealthSchema = z.object({
  connectionKey: z.string(),
  overall: overallHealthSchema,
  /** ISO 8601. */
  checkedAt: z.iso.datetime(),
  checks: z.array(checkResultSchema),
});
export type ConnectionHealth = z.infer<typeof connectionHealthSchema>;

export function result(
  id: CheckId,
  status: CheckStatus,
  summary: string,
  extra: {
    fix?: string | undefined;
    detail?: readonly string[] | undefined;
    facts?: Record<string, string>;
    notAvailableHere?: boolean;
  } = {},
): CheckResult {
  const out: CheckResult = { id, status, summary };
  if (extra.fix !== undefined) out.fix = extra.fix;
  if (extra.facts !== undefined) out.facts = extra.facts;
  if (status === 'unknown' && extra.notAvailableHere === true) out.notAvailableHere = true;
  if (extra.detail !== undefined && extra.detail.length > 0) out.detail = [...extra.detail];
  return out;
}

/** The `unknown` result for a check stopped by `why`; marked not-available-here when the API is missing. */
export function cannotCheckResult(id: CheckId, why: CannotCheck): CheckResult {
  return result(id, 'unknown', why.reason, { notAvailableHere: why.kind === 'not-implemented' });
}

/**
 * The overall health of a connection:
 * - `unhealthy`: any check failed (the platform cannot, or soon will not, read the account);
 * - `unknown`: nothing could be checked (every check that ran is unknown, or none ran);
 * - `degraded`: no failure, but some check warned or could not run — an unknown is never healthy;
 * - `healthy`: every check that ran passed (skipped checks and checks not available at this endpoint are left
 *   out, and listed).
 */
export function overallHealth(
  checks: readonly Pick<CheckResult, 'status' | 'notAvailableHere'>[],
): OverallHealth {
  const ran = checks.filter((check) => check.status !== 'skipped' && check.notAvailableHere !== true);
  if (ran.some((check) => check.status === 'fail')) return 'unhealthy';
  if (ran.length === 0 || ran.every((check) => check.status === 'unknown')) return 'unknown';
  if (ran.some((check) => check.status === 'warn' || check.status === 'unknown')) return 'degraded';
  return 'healthy';
}

/** Checks that did not pass, for tables and reports ("role-trust, cur"); a check not available here is none. */
export function failingChecks(health: Pick<ConnectionHealth, 'checks'>): CheckResult[] {
  return health.checks.filter(
    (check) =>
      check.status === 'fail' ||
      check.status === 'warn' ||
      (check.status === 'unknown' && check.notAvailableHere !== true),
  );
}
