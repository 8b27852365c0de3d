/**
 * Is there a Cost and Usage Report the platform can use? Either a legacy CUR (hourly, with resource IDs, GZIP CSV
 * or Parquet, new report versions, closed months refreshed) or a CUR 2.0 Data Export (hourly, resource IDs,
 * Parquet). The latest delivery's age is checked where the API tells it.
 *
 * Pure, so it is tested with recorded responses; onboarding (before the deploy) and the Billing health check
 * (after it) both ask it, so "usable" means the same thing in both.
 */
import type { ApiDate, CurReportDefinition, DataExportDetail } from './cur-port.js';
import type { CurEvidence } from './cur-evidence.js';
import { asList, parsePolicyDocument } from '../aws/policy-documents.js';

/** The verdict on the reports: `unknown` when the APIs could not be read (with why). */
export interface CurJudgement {
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  /** One line for a person. */
  summary: string;
  fix?: string;
  detail?: string[];
  /** With `unknown`: neither API exists at this endpoint. */
  notAvailableHere?: boolean;
}

interface Candidate {
  label: string;
  bucket: string | undefined;
  problems: string[];
  warnings: string[];
}

const HOUR = 3_600_000;
const BILLING_REPORTS = 'billingreports.amazonaws.com';

/** CUR's `lastDelivery` is `20240131T235959Z`; Data Exports send a timestamp. */
function toMillis(value: ApiDate | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  const parsed = compact
    ? Date.UTC(+compact[1]!, +compact[2]! - 1, +compact[3]!, +compact[4]!, +compact[5]!, +compact[6]!)
    : Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function deliveryAge(candidate: Candidate, at: ApiDate | undefined, now: number, staleHours: number): void {
  const when = toMillis(at);
  if (when === undefined) return;
  const hours = Math.floor((now - when) / HOUR);
  if (hours >= staleHours)
    candidate.warnings.push(`${candidate.label} was last delivered ${hours} hours ago`);
}

/** True when the policy lets AWS's billing reports service write objects into the bucket. */
export function bucketPolicyAllowsBillingReports(policyJson: string | undefined, bucket: string): boolean {
  const document = parsePolicyDocument(policyJson);
  if (document === undefined) return false;
  return document.Statement.some((statement) => {
    if (statement['Effect'] !== 'Allow') return false;
    const principal = statement['Principal'];
    const services =
      typeof principal === 'object' && principal !== null
        ? asList((principal as Record<string, unknown>)['Service'])
        : [];
    if (!services.includes(BILLING_REPORTS)) return false;
    const actions = asList(statement['Action']).map((a) => String(a).toLowerCase());
    if (!actions.some((a) => a === 's3:putobject' || a === 's3:*')) return false;
    return asList(statement['Resource']).some(
      (r) =>
        typeof r === 'string' &&
        (r === '*' ||
          r.startsWith(`arn:aws:s3:::${bucket}/`) ||
          r.startsWith(`arn:aws-cn:s3:::${bucket}/`) ||
          r.startsWith(`arn:aws-us-gov:s3:::${bucket}/`)),
    );
  });
}

function legacyCandidate(report: CurReportDefinition, now: number, staleHours: number): Candidate {
  const c: Candidate = {
    label: `CUR report ${report.ReportName ?? '(unnamed)'}`,
    bucket: report.S3Bucket,
    problems: [],
    warnings: [],
  };
  if (report.TimeUnit !== 'HOURLY')
    c.problems.push(`time granularity is ${report.TimeUnit ?? 'not set'}, not HOURLY`);
  if (!(report.AdditionalSchemaElements ?? []).includes('RESOURCES'))
    c.problems.push('resource IDs are not included (RESOURCES)');
  const csvGzip = report.Format === 'textORcsv' && report.Compression === 'GZIP';
  const parquet = report.Format === 'Parquet' && report.Compression === 'Parquet';
  if (!csvGzip && !parquet)
    c.problems.push(
      `format is ${report.Format ?? '?'}/${report.Compression ?? '?'}, not GZIP CSV or Parquet`,
    );
  if (report.ReportVersioning !== 'CREATE_NEW_REPORT')
    c.problems.push(`report versioning is ${report.ReportVersioning ?? 'not set'}, not CREATE_NEW_REPORT`);
  if (report.RefreshClosedReports !== true)
    c.problems.push('closed months are not refreshed (RefreshClosedReports)');
  const lastStatus = report.ReportStatus?.lastStatus;
  if (lastStatus === 'ERROR_PERMISSIONS')
    c.problems.push(`AWS cannot write to bucket ${report.S3Bucket ?? '?'} (ERROR_PERMISSIONS)`);
  else if (lastStatus === 'ERROR_NO_BUCKET')
    c.problems.push(`bucket ${report.S3Bucket ?? '?'} does not exist (ERROR_NO_BUCKET)`);
  deliveryAge(c, report.ReportStatus?.lastDelivery, now, staleHours);
  return c;
}

const CUR2_TABLE = 'COST_AND_USAGE_REPORT';

function exportCandidate(detail: DataExportDetail, now: number, staleHours: number): Candidate | undefined {
  const data = detail.Export;
  // Only CUR 2.0 exports count; FOCUS, carbon or cost-optimization exports are other tables.
  if (!data?.DataQuery?.QueryStatement?.toUpperCase().includes(CUR2_TABLE)) return undefined;
  const s3 = data.DestinationConfigurations?.S3Destination;
  const c: Candidate = {
    label: `Data Export ${data.Name ?? '(unnamed)'}`,
    bucket: s3?.S3Bucket,
    problems: [],
    warnings: [],
  };
  const table = data.DataQuery.TableConfigurations?.[CUR2_TABLE] ?? {};
  if (table['TIME_GRANULARITY'] !== 'HOURLY')
    c.problems.push(`time granularity is ${table['TIME_GRANULARITY'] ?? 'not set'}, not HOURLY`);
  if (table['INCLUDE_RESOURCES'] !== 'TRUE')
    c.problems.push('resource IDs are not included (INCLUDE_RESOURCES)');
  const format = s3?.S3OutputConfigurations?.Format;
  if (format !== 'PARQUET') c.problems.push(`format is ${format ?? 'not set'}, not PARQUET`);
  const status = detail.ExportStatus;
  if (status?.StatusCode === 'UNHEALTHY')
    c.problems.push(`the export is UNHEALTHY (${status.StatusReason ?? 'no reason given'})`);
  deliveryAge(c, status?.LastRefreshedAt, now, staleHours);
  return c;
}

function candidatesFrom(evidence: CurEvidence, now: number, staleHours: number): Candidate[] {
  return [
    ...(evidence.reports.ok ? evidence.reports.value.map((r) => legacyCandidate(r, now, staleHours)) : []),
    ...(evidence.exports.ok
      ? evidence.exports.value.flatMap((e) => exportCandidate(e, now, staleHours) ?? [])
      : []),
  ];
}

/**
 * The report the platform would read — a usable one, preferring one delivered recently — with its bucket, for
 * pre-filling the Billing role's S3 read. Undefined when no report is usable.
 */
export function bestUsableReport(
  evidence: CurEvidence,
  options: { now: number; staleHours?: number },
): { label: string; bucket: string | undefined } | undefined {
  const usable = candidatesFrom(evidence, options.now, options.staleHours ?? 48).filter(
    (c) => c.problems.length === 0,
  );
  const best = usable.find((c) => c.warnings.length === 0) ?? usable[0];
  return best === undefined ? undefined : { label: best.label, bucket: best.bucket };
}

/**
 * Decides from what the APIs answered. `readableBucket` is the bucket the Billing role may read (a report
 * delivered elsewhere is not usable by it).
 */
export function judgeCostAndUsageReport(
  evidence: CurEvidence,
  options: { now: number; staleHours?: number; readableBucket?: string },
): CurJudgement {
  const readableBucket = options.readableBucket;
  const candidates = candidatesFrom(evidence, options.now, options.staleHours ?? 48);
  const notes: string[] = [];
  for (const candidate of candidates) {
    if (readableBucket && candidate.bucket && candidate.bucket !== readableBucket) {
      candidate.problems.push(
        `delivered to bucket ${candidate.bucket}, but the role may read only ${readableBucket}`,
      );
    }
    const policy = candidate.bucket === undefined ? undefined : evidence.bucketPolicies?.[candidate.bucket];
    if (policy === undefined) continue;
    if (!policy.ok) notes.push(`bucket policy of ${candidate.bucket} not checked: ${policy.reason}`);
    else if (!bucketPolicyAllowsBillingReports(policy.value, candidate.bucket ?? '')) {
      candidate.problems.push(
        `the policy of bucket ${candidate.bucket} does not let ${BILLING_REPORTS} write`,
      );
    }
  }
  const unavailable = [evidence.reports, evidence.exports].flatMap((f) => (f.ok ? [] : [f.reason]));
  if (evidence.bucketPolicies === undefined && candidates.length > 0)
    notes.push('bucket policies not checked (no S3 access configured)');

  const usable = candidates.filter((c) => c.problems.length === 0);
  const best = usable.find((c) => c.warnings.length === 0) ?? usable[0];
  if (best !== undefined) {
    const detail = [...notes, ...unavailable];
    if (best.warnings.length > 0) {
      return judgement('warn', `${best.label} is set up correctly, but ${best.warnings.join('; ')}.`, {
        fix: "Check the report's bucket in S3 and its status in the Billing console.",
        detail,
      });
    }
    return judgement('pass', `${best.label} meets the platform's requirements.`, { detail });
  }
  if (candidates.length === 0) {
    if (unavailable.length === 2)
      return judgement('unknown', `Cost and Usage Reports could not be read: ${unavailable.join('; ')}.`, {
        notAvailableHere: [evidence.reports, evidence.exports].every((f) => !f.ok && f.notAvailable === true),
      });
    if (unavailable.length === 1)
      return judgement('unknown', `No usable report found, and ${unavailable[0]}.`);
    return judgement('fail', 'No Cost and Usage Report or CUR 2.0 Data Export exists.', {
      fix: 'Create a CUR 2.0 export (hourly, include resource IDs, Parquet) or a legacy CUR in the management account.',
    });
  }
  const closest = [...candidates].sort((a, b) => a.problems.length - b.problems.length)[0] as Candidate;
  return judgement('fail', `No usable report: ${closest.label}: ${closest.problems.join('; ')}.`, {
    fix: 'Edit the report (hourly, include resource IDs, GZIP CSV or Parquet, create new report versions, refresh closed months) or create a CUR 2.0 export.',
    detail: [
      ...candidates.filter((c) => c !== closest).map((c) => `${c.label}: ${c.problems.join('; ')}`),
      ...notes,
      ...unavailable,
    ],
  });
}

function judgement(
  status: CurJudgement['status'],
  summary: string,
  extra: Omit<CurJudgement, 'status' | 'summary'> = {},
): CurJudgement {
  return { status, summary, ...extra };
}
