/**
 * The JSON connection report. Its schema is versioned and exported so other tools can validate it:
 *
 * ```jsonc
 * {
 *   "schemaVersion": 1,
 *   "generatedAt": "2025-03-01T12:00:00.000Z",
 *   "organization": {
 *     "id": "o-abc123" | null,                 // null without a discovery
 *     "managementAccountIds": ["111122223333"],
 *     "activeAccounts": 42 | null,
 *     "connectedAccounts": 40,
 *     "connectedShare": 0.952 | null            // 0..1 of the active accounts
 *   },
 *   "summary": { "billingConnections": 1, "resourceConnections": 41,
 *                "health": { "healthy": 39, "degraded": 1, "unhealthy": 1, "unknown": 0, "not checked": 1 } },
 *   "connections": [{
 *     "connectionName": "prod-payments", "roleArn": "arn:aws:iam::…:role/…", "connectionType": "Resource",
 *     "managementAccountId": "…", "accountId": "…", "accountName": "…", "ouPath": "Root/Workloads",
 *     "stackStatus": "CREATE_COMPLETE", "health": "healthy", "failingChecks": "", "lastChecked": "…",
 *     "externalId": "••••abcd",
 *     "checks": [{ "id": "role-trust", "status": "pass", "summary": "…", "fix"?: "…" }]
 *   }],
 *   "coverage"?: { … },                          // core/health/coverage-schema.ts: every account and its status
 *   "series"?: [{ "day": "2025-03-01", "healthy": 40, …, "share": 0.95 }]
 * }
 * ```
 * Version 1 only ever gains optional fields; anything else is schemaVersion 2.
 */
import { z } from 'zod';
import { checkResultSchema } from '../health/check-result.js';
import { coverageSchema } from '../health/coverage-schema.js';
import { coveragePointSchema } from '../health/coverage-history.js';
import { connectionKey } from '../health/connection.js';
import { buildReportRows, buildSummary, generatedAtIso, healthFor, type ReportInput } from './report-rows.js';

const healthValue = z.enum(['healthy', 'degraded', 'unhealthy', 'unknown', 'not checked']);

export const reportConnectionSchema = z.object({
  connectionName: z.string(),
  roleArn: z.string(),
  connectionType: z.enum(['Billing', 'Resource']),
  managementAccountId: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  ouPath: z.string(),
  stackStatus: z.string(),
  health: healthValue,
  failingChecks: z.string(),
  lastChecked: z.string(),
  externalId: z.string(),
  checks: z.array(checkResultSchema.pick({ id: true, status: true, summary: true, fix: true })),
});

export const connectionReportSchema = z.object({
  schemaVersion: z.literal(1),
  generatedAt: z.iso.datetime(),
  organization: z.object({
    id: z.string().nullable(),
    managementAccountIds: z.array(z.string()),
    activeAccounts: z.number().int().nonnegative().nullable(),
    connectedAccounts: z.number().int().nonnegative(),
    connectedShare: z.number().min(0).max(1).nullable(),
  }),
  summary: z.object({
    billingConnections: z.number().int().nonnegative(),
    resourceConnections: z.number().int().nonnegative(),
    health: z.record(healthValue, z.number().int().nonnegative()),
  }),
  connections: z.array(reportConnectionSchema),
  /** Every account of the Organization with its status (absent when no discovery was recorded). */
  coverage: coverageSchema.optional(),
  /** One point per day: connections by health and the share connected, oldest first. */
  series: z.array(coveragePointSchema).optional(),
});
export type ConnectionReport = z.infer<typeof connectionReportSchema>;

export function buildJsonReport(input: ReportInput): ConnectionReport {
  const rows = buildReportRows(input);
  const summary = buildSummary(input, rows);
  const report: ConnectionReport = {
    schemaVersion: 1,
    generatedAt: generatedAtIso(input),
    organization: {
      id: summary.organizationId,
      managementAccountIds: summary.managementAccountIds,
      activeAccounts: summary.activeAccounts,
      connectedAccounts: summary.connectedAccounts,
      connectedShare: summary.connectedShare,
    },
    summary: {
      billingConnections: summary.billingConnections,
      resourceConnections: summary.resourceConnections,
      health: summary.health,
    },
    connections: rows.map((row, index) => {
      const connection = input.connections[index];
      const checks =
        connection === undefined ? [] : (healthFor(input, connectionKey(connection))?.checks ?? []);
      return {
        ...row,
        checks: checks.map((check) => ({
          id: check.id,
          status: check.status,
          summary: check.summary,
          ...(check.fix === undefined ? {} : { fix: check.fix }),
        })),
      };
    }),
    ...(input.coverage ? { coverage: input.coverage } : {}),
    ...(input.series ? { series: [...input.series] } : {}),
  };
  // Parse what we produce: a report that does not match its own published schema is a bug, caught here.
  return connectionReportSchema.parse(report);
}

export function renderJsonReport(input: ReportInput): string {
  return `${JSON.stringify(buildJsonReport(input), null, 2)}\n`;
}
