/**
 * The Billing check's view of the Cost and Usage Report APIs, behind a port: legacy CUR
 * (cur:DescribeReportDefinitions) and CUR 2.0 / Data Exports (bcm-data-exports:ListExports / GetExport).
 * The types are the APIs' JSON shapes (only the fields the check reads), so recorded responses load straight
 * into them; `createSdkCurPort` implements the port with the AWS SDK clients.
 *
 * Both APIs live only in us-east-1 (the billing home Region), whatever Region the stack is in.
 */
import {
  BCMDataExportsClient,
  GetExportCommand,
  paginateListExports,
} from '@aws-sdk/client-bcm-data-exports';
import {
  CostAndUsageReportServiceClient,
  paginateDescribeReportDefinitions,
} from '@aws-sdk/client-cost-and-usage-report-service';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { USER_AGENT } from '../app-info.js';
import { collectPages } from '../cloudformation/index.js';

export type ApiDate = string | Date;

export interface CurReportDefinition {
  ReportName?: string;
  TimeUnit?: string;
  Format?: string;
  Compression?: string;
  AdditionalSchemaElements?: string[];
  S3Bucket?: string;
  S3Prefix?: string;
  S3Region?: string;
  RefreshClosedReports?: boolean;
  ReportVersioning?: string;
  /** Sent by the API (newer SDK models name it); `lastDelivery` is a `yyyyMMdd'T'HHmmss'Z'` stamp. */
  ReportStatus?: { lastDelivery?: string; lastStatus?: string };
}

export interface DataExportStatus {
  StatusCode?: string;
  StatusReason?: string;
  LastRefreshedAt?: ApiDate;
  LastUpdatedAt?: ApiDate;
}

export interface DataExportReference {
  ExportArn?: string;
  ExportName?: string;
  ExportStatus?: DataExportStatus;
}

export interface DataExport {
  ExportArn?: string;
  Name?: string;
  DataQuery?: { QueryStatement?: string; TableConfigurations?: Record<string, Record<string, string>> };
  DestinationConfigurations?: {
    S3Destination?: {
      S3Bucket?: string;
      S3Prefix?: string;
      S3Region?: string;
      S3OutputConfigurations?: {
        OutputType?: string;
        Format?: string;
        Compression?: string;
        Overwrite?: string;
      };
    };
  };
  RefreshCadence?: { Frequency?: string };
}

export interface DataExportDetail {
  Export?: DataExport;
  ExportStatus?: DataExportStatus;
}

export interface CurPort {
  describeReportDefinitions(): Promise<CurReportDefinition[]>;
  listExports(): Promise<DataExportReference[]>;
  getExport(exportArn: string): Promise<DataExportDetail>;
  /**
   * The bucket's policy JSON (undefined when it has none). Optional: without an S3 client the bucket policy
   * is not verified (the check says so) — AWS itself refuses to create a report whose bucket policy is wrong,
   * and a later change shows up as the report's ERROR_PERMISSIONS status.
   */
  bucketPolicy?(bucket: string): Promise<string | undefined>;
}

export interface SdkCurPortOptions {
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** An emulator or VPC endpoint for both services; AWS's own when absent. */
  endpoint?: string;
  region?: string;
}

export function createSdkCurPort(options: SdkCurPortOptions): CurPort {
  const config = {
    region: options.region ?? 'us-east-1',
    credentials: options.credentials,
    customUserAgent: USER_AGENT,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  };
  const cur = new CostAndUsageReportServiceClient(config);
  const exports = new BCMDataExportsClient(config);
  return {
    async describeReportDefinitions() {
      const definitions = await collectPages(
        paginateDescribeReportDefinitions({ client: cur }, {}),
        (page) => page.ReportDefinitions,
      );
      return definitions as CurReportDefinition[];
    },
    listExports() {
      return collectPages(paginateListExports({ client: exports }, {}), (page) => page.Exports);
    },
    async getExport(exportArn) {
      const out = await exports.send(new GetExportCommand({ ExportArn: exportArn }));
      const detail: DataExportDetail = {};
      if (out.Export) detail.Export = out.Export;
      if (out.ExportStatus) detail.ExportStatus = out.ExportStatus;
      return detail;
    },
  };
}
