/**
 * Setting up a Cost and Usage Report when the management account has none the platform can use: an S3 bucket
 * (new, or one the user chose) with the bucket policy AWS requires, and a CUR 2.0 Data Export into it. Two steps,
 * as everywhere in orgconnect: `planCurSetup` only reads (does the bucket exist? its policy?) and says what will be
 * written; `applyCurSetup` writes exactly that, after the user agreed.
 */
import { BCMDataExportsClient, CreateExportCommand } from '@aws-sdk/client-bcm-data-exports';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { USER_AGENT } from '../app-info.js';
import { awsErrorName, OrgConnectError } from '../errors.js';
import { bucketPolicyWithDataExports } from './data-export-bucket-policy.js';
import {
  BILLING_REGION,
  cur2ExportRequest,
  DEFAULT_EXPORT_NAME,
  EXPORT_PREFIX,
} from './cur2-export-definition.js';

/** What `--create-cur` will write, shown in the plan before anything is written. */
export interface CurSetupPlan {
  bucket: string;
  region: string;
  /** false: the chosen bucket exists; only its policy gains the Data Exports statement. */
  createBucket: boolean;
  exportName: string;
  /** The full bucket policy that will be put (existing statements kept). */
  bucketPolicy: string;
  /** One line per write, for people. */
  steps: string[];
}

export interface CurSetupResult {
  bucket: string;
  exportArn: string;
  createdBucket: boolean;
}

export interface CurSetupClients {
  s3: Pick<S3Client, 'send'>;
  dataExports: Pick<BCMDataExportsClient, 'send'>;
}

export function createCurSetupClients(options: {
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  s3Endpoint?: string;
  dataExportsEndpoint?: string;
}): CurSetupClients {
  const common = { region: BILLING_REGION, credentials: options.credentials, customUserAgent: USER_AGENT };
  return {
    // Emulators and VPC endpoints answer path-style requests; AWS's own endpoint takes virtual-hosted ones.
    s3: new S3Client({
      ...common,
      ...(options.s3Endpoint ? { endpoint: options.s3Endpoint, forcePathStyle: true } : {}),
    }),
    dataExports: new BCMDataExportsClient({
      ...common,
      ...(options.dataExportsEndpoint ? { endpoint: options.dataExportsEndpoint } : {}),
    }),
  };
}

/** A bucket name S3 accepts and that is unlikely to be taken: it carries the account id. */
export function defaultCurBucketName(accountId: string): string {
  return `orgconnect-cur-${accountId}`;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

async function bucketExists(s3: CurSetupClients['s3'], bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    const name = awsErrorName(error);
    if (name === 'NotFound' || name === 'NoSuchBucket') return false;
    if (name === 'Forbidden' || name === 'AccessDenied') {
      throw new OrgConnectError(
        'CUR_BUCKET_NOT_OURS',
        `Bucket ${bucket} belongs to another account (or access is denied).`,
        {
          fix: 'Choose another name with --cur-bucket: Data Exports delivers only to a bucket the management account owns.',
        },
      );
    }
    throw error;
  }
}

async function currentPolicy(s3: CurSetupClients['s3'], bucket: string): Promise<string | undefined> {
  try {
    return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
  } catch (error) {
    if (awsErrorName(error) === 'NoSuchBucketPolicy') return undefined;
    throw error;
  }
}

/** Reads only. */
export async function planCurSetup(
  clients: CurSetupClients,
  input: { managementAccountId: string; bucket?: string; exportName?: string },
): Promise<CurSetupPlan> {
  const bucket = input.bucket ?? defaultCurBucketName(input.managementAccountId);
  if (!BUCKET_NAME.test(bucket)) {
    throw new OrgConnectError('CUR_BUCKET_NAME_INVALID', `"${bucket}" is not a valid S3 bucket name.`, {
      fix: 'Use 3–63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit.',
    });
  }
  const exists = await bucketExists(clients.s3, bucket);
  const existing = exists ? await currentPolicy(clients.s3, bucket) : undefined;
  const exportName = input.exportName ?? DEFAULT_EXPORT_NAME;
  const account = input.managementAccountId;
  return {
    bucket,
    region: BILLING_REGION,
    createBucket: !exists,
    exportName,
    bucketPolicy: bucketPolicyWithDataExports(existing, bucket, account),
    steps: [
      exists
        ? `Use existing S3 bucket ${bucket}`
        : `Create S3 bucket ${bucket} in ${BILLING_REGION} (account ${account})`,
      `${existing ? 'Add to' : 'Put'} its bucket policy a statement letting bcm-data-exports.amazonaws.com and billingreports.amazonaws.com write, only for account ${account}'s exports`,
      `Create CUR 2.0 Data Export ${exportName} (hourly, resource IDs, split cost allocation data, Parquet) into s3://${bucket}/${EXPORT_PREFIX}/`,
    ],
  };
}

/** Writes what the plan showed: bucket (if new), its policy, the export. */
export async function applyCurSetup(clients: CurSetupClients, plan: CurSetupPlan): Promise<CurSetupResult> {
  if (plan.createBucket) {
    // us-east-1 takes no LocationConstraint.
    await clients.s3.send(new CreateBucketCommand({ Bucket: plan.bucket }));
  }
  await clients.s3.send(new PutBucketPolicyCommand({ Bucket: plan.bucket, Policy: plan.bucketPolicy }));
  const created = await clients.dataExports.send(
    new CreateExportCommand(cur2ExportRequest({ name: plan.exportName, bucket: plan.bucket })),
  );
  if (!created.ExportArn) {
    throw new OrgConnectError('CUR_EXPORT_NOT_CREATED', 'Data Exports answered without the new export.', {
      fix: 'Look for the export in the Billing console (Data Exports) and run the plan again.',
    });
  }
  return { bucket: plan.bucket, exportArn: created.ExportArn, createdBucket: plan.createBucket };
}
