/**
 * What the Cost and Usage Report APIs answered, for the judgement in cur-judgement.ts: the legacy reports, the
 * CUR 2.0 Data Exports and, when an S3 client is configured, each delivery bucket's policy. A call that fails is
 * kept with its reason (an unknown, never a pass).
 */
import { cannotCheck } from '../aws/cannot-check.js';
import type { CurPort, CurReportDefinition, DataExportDetail } from './cur-port.js';

export type Fetched<T> =
  | { ok: true; value: T }
  | { ok: false; reason: string; /** The endpoint lacks the API. */ notAvailable?: boolean };

export interface CurEvidence {
  reports: Fetched<CurReportDefinition[]>;
  exports: Fetched<DataExportDetail[]>;
  /** Bucket → its policy JSON (undefined: no policy), or why it could not be read. Absent: not checked. */
  bucketPolicies?: Record<string, Fetched<string | undefined>>;
}

async function fetched<T>(load: () => Promise<T>, what: string): Promise<Fetched<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    const why = cannotCheck(error, what);
    return { ok: false, reason: why.reason, notAvailable: why.kind === 'not-implemented' };
  }
}

export async function gatherCurEvidence(port: CurPort): Promise<CurEvidence> {
  const [reports, exports] = await Promise.all([
    fetched(() => port.describeReportDefinitions(), 'cur:DescribeReportDefinitions'),
    fetched(async () => {
      const list = await port.listExports();
      return Promise.all(list.flatMap((entry) => (entry.ExportArn ? [port.getExport(entry.ExportArn)] : [])));
    }, 'bcm-data-exports:ListExports/GetExport'),
  ]);
  const evidence: CurEvidence = { reports, exports };
  if (port.bucketPolicy) {
    const buckets = new Set<string>();
    if (reports.ok) reports.value.forEach((r) => r.S3Bucket && buckets.add(r.S3Bucket));
    if (exports.ok)
      exports.value.forEach(
        (e) =>
          e.Export?.DestinationConfigurations?.S3Destination?.S3Bucket &&
          buckets.add(e.Export.DestinationConfigurations.S3Destination.S3Bucket),
      );
    const policies: Record<string, Fetched<string | undefined>> = {};
    for (const bucket of buckets)
      policies[bucket] = await fetched(() => port.bucketPolicy!(bucket), `s3:GetBucketPolicy ${bucket}`);
    evidence.bucketPolicies = policies;
  }
  return evidence;
}
