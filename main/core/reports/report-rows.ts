/**
 * The rows every report format shares: one per connection, from the connection and its latest health. The
 * first two columns are the connection name and the role ARN, so the CSV and the Connections sheet can be
 * pasted into the platform's bulk connection import as they are.
 */
import { createHash } from 'node:crypto';
import type { ConnectionHealth, OverallHealth } from '../health/check-result.js';
import { connectionKey, expectedRoleArn, type Connection } from '../health/connection.js';
import type { OrganizationSnapshot } from '../org/types.js';
import type { Coverage } from '../health/coverage.js';
import type { CoveragePoint } from '../health/coverage-history.js';

export interface ReportRow {
  connectionName: string;
  roleArn: string;
  connectionType: 'Billing' | 'Resource';
  managementAccountId: string;
  accountId: string;
  accountName: string;
  ouPath: string;
  stackStatus: string;
  health: OverallHealth | 'not checked';
  /** `role-trust (fail); cur (warn)`; empty when all passed. */
  failingChecks: string;
  lastChecked: string;
  /** `••••abcd`, or the value itself where `revealExternalId` matched this connection. */
  externalId: string;
  /** The time the platform accepted the connection, or why it has not. */
  registeredWithPlatform: string;
}

export const REPORT_COLUMNS: readonly { key: keyof ReportRow; header: string }[] = [
  { key: 'connectionName', header: 'Connection name' },
  { key: 'roleArn', header: 'Role ARN' },
  { key: 'connectionType', header: 'Connection type' },
  { key: 'managementAccountId', header: 'Management account' },
  { key: 'accountId', header: 'Account ID' },
  { key: 'accountName', header: 'Account name' },
  { key: 'ouPath', header: 'OU path' },
  { key: 'stackStatus', header: 'Stack status' },
  { key: 'health', header: 'Health' },
  { key: 'failingChecks', header: 'Failing checks' },
  { key: 'lastChecked', header: 'Last checked' },
  { key: 'externalId', header: 'External ID' },
  { key: 'registeredWithPlatform', header: 'Registered with platform' },
];

/** "2025-…Z", or why not: the platform's refusal, registration turned off, or never sent. */
export function registeredWithPlatform(connection: Pick<Connection, 'registration'>): string {
  const registration = connection.registration;
  if (registration === undefined) return 'never registered';
  if (registration.status === 'registered') return registration.at;
  if (registration.status === 'failed') return `not registered: ${registration.reason}`;
  return `not registered: ${registration.reason}`;
}

export interface ReportInput {
  connections: readonly Connection[];
  /** Latest health by connection key (`<accountId>/<kind>`). */
  health: ReadonlyMap<string, ConnectionHealth> | Readonly<Record<string, ConnectionHealth>>;
  /** The Organization, for its id and the share of accounts connected. */
  snapshot?: OrganizationSnapshot | undefined;
  generatedAt?: Date | string;
  /** Every account of the Organization with its status (core/health/coverage.ts); wins over `snapshot`. */
  coverage?: Coverage | undefined;
  /** The Organization's daily health and coverage, oldest first (the XLSX Summary carries it). */
  series?: readonly CoveragePoint[] | undefined;
  /**
   * The External ID itself, given by the person asking for the report. It is shown only for connections whose
   * stored sha256 matches it; everything else stays masked.
   */
  revealExternalId?: string | undefined;
}

export function maskExternalId(last4: string): string {
  return `••••${last4}`;
}

export function healthFor(input: Pick<ReportInput, 'health'>, key: string): ConnectionHealth | undefined {
  return input.health instanceof Map
    ? input.health.get(key)
    : (input.health as Readonly<Record<string, ConnectionHealth>>)[key];
}

export function buildReportRows(input: ReportInput): ReportRow[] {
  const revealedSha =
    input.revealExternalId === undefined
      ? undefined
      : createHash('sha256').update(input.revealExternalId, 'utf8').digest('hex');
  return input.connections.map((connection) => {
    const health = healthFor(input, connectionKey(connection));
    const stackCheck = health?.checks.find((check) => check.id === 'stack-status');
    return {
      connectionName: connection.connectionName,
      roleArn: expectedRoleArn(connection),
      connectionType: connection.kind === 'billing' ? 'Billing' : 'Resource',
      managementAccountId: connection.managementAccountId,
      accountId: connection.accountId,
      accountName: connection.accountName,
      ouPath: connection.ouPath,
      stackStatus: stackCheck?.facts?.['stackStatus'] ?? (stackCheck ? stackCheck.status : ''),
      health: health?.overall ?? 'not checked',
      failingChecks: (health?.checks ?? [])
        .filter((check) => check.status === 'fail' || check.status === 'warn' || check.status === 'unknown')
        .map((check) => `${check.id} (${check.status})`)
        .join('; '),
      lastChecked: health?.checkedAt ?? '',
      externalId:
        revealedSha !== undefined &&
        revealedSha === connection.externalIdSha256 &&
        input.revealExternalId !== undefined
          ? input.revealExternalId
          : maskExternalId(connection.externalIdLast4),
      registeredWithPlatform: registeredWithPlatform(connection),
    };
  });
}

export interface ProblemRow {
  connectionName: string;
  accountId: string;
  accountName: string;
  check: string;
  status: string;
  summary: string;
  fix: string;
}

export const PROBLEM_COLUMNS: readonly { key: keyof ProblemRow; header: string }[] = [
  { key: 'connectionName', header: 'Connection name' },
  { key: 'accountId', header: 'Account ID' },
  { key: 'accountName', header: 'Account name' },
  { key: 'check', header: 'Check' },
  { key: 'status', header: 'Status' },
  { key: 'summary', header: 'Problem' },
  { key: 'fix', header: 'Fix' },
];

/** One row per check that did not pass (fail first, then warn, then unknown). */
export function buildProblemRows(input: ReportInput): ProblemRow[] {
  const order = { fail: 0, warn: 1, unknown: 2 } as const;
  return input.connections.flatMap((connection) =>
    (healthFor(input, connectionKey(connection))?.checks ?? [])
      .filter((check): check is typeof check & { status: keyof typeof order } => check.status in order)
      .sort((a, b) => order[a.status] - order[b.status])
      .map((check) => ({
        connectionName: connection.connectionName,
        accountId: connection.accountId,
        accountName: connection.accountName,
        check: check.id,
        status: check.status,
        summary: check.summary,
        fix: check.fix ?? '',
      })),
  );
}

export interface ReportSummary {
  organizationId: string | null;
  managementAccountIds: string[];
  /** Accounts in the Organization that are ACTIVE (null without a discovery). */
  activeAccounts: number | null;
  connectedAccounts: number;
  /** connectedAccounts among the active ones / activeAccounts, 0..1 (null without a discovery). */
  connectedShare: number | null;
  billingConnections: number;
  resourceConnections: number;
  health: Record<OverallHealth | 'not checked', number>;
}

export function buildSummary(
  input: ReportInput,
  rows: readonly ReportRow[] = buildReportRows(input),
): ReportSummary {
  const active = input.snapshot?.accounts.filter((account) => (account.state ?? account.status) === 'ACTIVE');
  const connected = new Set(input.connections.map((c) => c.accountId));
  const activeConnected = active?.filter((account) => connected.has(account.id)).length;
  const health: ReportSummary['health'] = {
    healthy: 0,
    degraded: 0,
    unhealthy: 0,
    unknown: 0,
    'not checked': 0,
  };
  for (const row of rows) health[row.health] += 1;
  const coverage = input.coverage?.summary;
  return {
    organizationId: input.coverage?.organizationId ?? input.snapshot?.organization.id ?? null,
    managementAccountIds: [...new Set(input.connections.map((c) => c.managementAccountId))].sort(),
    activeAccounts: coverage?.activeAccounts ?? active?.length ?? null,
    connectedAccounts: connected.size,
    connectedShare: coverage
      ? coverage.share
      : active === undefined || active.length === 0
        ? null
        : (activeConnected ?? 0) / active.length,
    billingConnections: input.connections.filter((c) => c.kind === 'billing').length,
    resourceConnections: input.connections.filter((c) => c.kind === 'resource').length,
    health,
  };
}

export function generatedAtIso(input: Pick<ReportInput, 'generatedAt'>): string {
  const at = input.generatedAt ?? new Date();
  return typeof at === 'string' ? at : at.toISOString();
}
