/**
 * The CreateExport request as the Data Exports API reference defines it (API_CreateExport, API_Export,
 * API_DataQuery, API_S3Destination, API_S3OutputConfigurations, API_RefreshCadence: required members, lengths,
 * patterns and enums), plus what the platform needs of a CUR 2.0 export — hourly, resource IDs, split cost
 * allocation data, Parquet — so the test server refuses what AWS would refuse and what the platform could not use.
 */
import { z } from 'zod';

const s3OutputConfigurations = z.strictObject({
  OutputType: z.enum(['CUSTOM']),
  Format: z.enum(['TEXT_OR_CSV', 'PARQUET']),
  Compression: z.enum(['GZIP', 'PARQUET']),
  Overwrite: z.enum(['CREATE_NEW_REPORT', 'OVERWRITE_REPORT']),
});

const exportShape = z.strictObject({
  Name: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[0-9A-Za-z\-_]+$/),
  Description: z.string().max(1024).optional(),
  DataQuery: z.strictObject({
    QueryStatement: z.string().min(1).max(36000),
    TableConfigurations: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  }),
  DestinationConfigurations: z.strictObject({
    S3Destination: z.strictObject({
      S3Bucket: z.string().min(1).max(1024),
      S3Prefix: z.string().max(1024),
      S3Region: z.string().min(1).max(1024),
      S3OutputConfigurations: s3OutputConfigurations,
    }),
  }),
  RefreshCadence: z.strictObject({ Frequency: z.enum(['SYNCHRONOUS']) }),
});

export const createExportRequest = z
  .strictObject({
    Export: exportShape,
    ResourceTags: z
      .array(z.strictObject({ Key: z.string().min(1).max(128), Value: z.string().max(256) }))
      .optional(),
  })
  .superRefine(({ Export: data }, ctx) => {
    const require = (ok: boolean, message: string) => ok || ctx.addIssue({ code: 'custom', message });
    const query = data.DataQuery.QueryStatement;
    require(/\bFROM\s+COST_AND_USAGE_REPORT\b/i.test(
      query,
    ), 'platform: the export must query COST_AND_USAGE_REPORT');
    require(/\bline_item_resource_id\b/.test(query), 'platform: the query must select line_item_resource_id');
    require(/\bsplit_line_item_/.test(
      query,
    ), 'platform: the query must select the split cost allocation columns');
    const table = data.DataQuery.TableConfigurations?.['COST_AND_USAGE_REPORT'] ?? {};
    require(table['TIME_GRANULARITY'] === 'HOURLY', 'platform: TIME_GRANULARITY must be HOURLY');
    require(table['INCLUDE_RESOURCES'] === 'TRUE', 'platform: INCLUDE_RESOURCES must be TRUE');
    require(table['INCLUDE_SPLIT_COST_ALLOCATION_DATA'] ===
      'TRUE', 'platform: INCLUDE_SPLIT_COST_ALLOCATION_DATA must be TRUE');
    const out = data.DestinationConfigurations.S3Destination.S3OutputConfigurations;
    require(out.Format === 'PARQUET' &&
      out.Compression === 'PARQUET', 'platform: the format must be Parquet');
  });

export type CreateExportRequest = z.infer<typeof createExportRequest>;
