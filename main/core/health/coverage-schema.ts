/**
 * The published shape of coverage (`health --json`'s and the JSON report's `coverage`, and what the hosts send
 * the renderer), as zod schemas; coverage.ts's types are checked against them at compile time.
 */
import { z } from 'zod';
import { COVERAGE_STATUSES, NOT_CONNECTED_REASONS, type Coverage } from './coverage.js';

const count = z.number().int().nonnegative();

export const coverageAccountSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/),
  accountName: z.string(),
  ouPath: z.string(),
  accountState: z.enum(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'PENDING_ACTIVATION', 'CLOSED', 'LEFT']),
  joinedAt: z.string().nullable(),
  isManagement: z.boolean(),
  isNew: z.boolean(),
  status: z.enum(COVERAGE_STATUSES),
  reason: z.enum(NOT_CONNECTED_REASONS).optional(),
  code: z.string().optional(),
  detail: z.string(),
  fix: z.string().optional(),
  connectionKinds: z.array(z.enum(['billing', 'resource'])),
});

export const coverageSchema = z.object({
  organizationId: z.string(),
  managementAccountId: z.string(),
  discoveredAt: z.string(),
  lastLookAt: z.string().nullable(),
  summary: z.object({
    accounts: count,
    activeAccounts: count,
    connectedActive: count,
    share: z.number().min(0).max(1).nullable(),
    counts: z.record(z.enum(COVERAGE_STATUSES), count),
    newNotConnected: count,
  }),
  accounts: z.array(coverageAccountSchema),
});

export const coveragePointSchema = z.object({
  /** UTC day, YYYY-MM-DD. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** ISO 8601 of the write that produced this point (the day's last). */
  at: z.iso.datetime(),
  healthy: z.number().int().nonnegative(),
  degraded: z.number().int().nonnegative(),
  unhealthy: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative(),
  activeAccounts: z.number().int().nonnegative(),
  connectedActive: z.number().int().nonnegative(),
  /** 0..1; null for an Organization without active accounts. */
  share: z.number().min(0).max(1).nullable(),
});
export type CoveragePoint = z.infer<typeof coveragePointSchema>;

// Compile-time: the schema and the model's type describe the same value.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof coverageSchema>, Coverage> = true;
void sameShape;
