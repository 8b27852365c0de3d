/**
 * The bucket policy that lets AWS deliver a CUR 2.0 Data Export (and a legacy CUR) into a bucket, as AWS documents
 * it in "Setting up an Amazon S3 bucket for data exports"
 * (https://docs.aws.amazon.com/cur/latest/userguide/dataexports-s3-bucket.html): both billing service principals may
 * s3:PutObject and s3:GetBucketPolicy, only on behalf of the account that owns the export (aws:SourceAccount) and
 * only for its CUR definitions or Data Exports (aws:SourceArn). The statement is merged into an existing policy by
 * its Sid, so a chosen bucket keeps what else its policy allows.
 */
import { parsePolicyDocument } from '../aws/policy-documents.js';

export const DATA_EXPORTS_STATEMENT_SID = 'EnableAWSDataExportsToWriteToS3AndCheckPolicy';

export function dataExportsStatement(bucket: string, accountId: string): Record<string, unknown> {
  return {
    Sid: DATA_EXPORTS_STATEMENT_SID,
    Effect: 'Allow',
    Principal: { Service: ['billingreports.amazonaws.com', 'bcm-data-exports.amazonaws.com'] },
    Action: ['s3:PutObject', 's3:GetBucketPolicy'],
    Resource: [`arn:aws:s3:::${bucket}/*`, `arn:aws:s3:::${bucket}`],
    Condition: {
      StringLike: {
        'aws:SourceAccount': accountId,
        'aws:SourceArn': [
          `arn:aws:cur:us-east-1:${accountId}:definition/*`,
          `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/*`,
        ],
      },
    },
  };
}

/** The policy to put on the bucket: the existing one (if any) with the Data Exports statement added or replaced. */
export function bucketPolicyWithDataExports(
  existingJson: string | undefined,
  bucket: string,
  accountId: string,
): string {
  const existing = parsePolicyDocument(existingJson);
  const others = (existing?.Statement ?? []).filter((s) => s['Sid'] !== DATA_EXPORTS_STATEMENT_SID);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [...others, dataExportsStatement(bucket, accountId)],
  });
}
