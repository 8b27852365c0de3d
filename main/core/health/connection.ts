/**
 * A connection is what a health check looks at: one platform role (Billing or Resource) in one account, as the
 * deploy run left it. It carries no secret: the External ID is kept only as its sha256 (to compare with the
 * value found in the role's trust policy) and its last 4 characters (so a person can recognise it).
 */
import { z } from 'zod';
import { DEFAULT_ROLE_NAMES } from '../onboarding/templates.js';
import { platformRecordSchema } from '../platform/platform-profile.js';
import type { AccountRunState, RunState } from '../onboarding/run-state.js';
import { registrationRecordSchema } from '../onboarding/run-events.js';

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits');

export const connectionSchema = z.object({
  managementAccountId: accountId,
  accountId,
  accountName: z.string(),
  ouPath: z.string(),
  kind: z.enum(['billing', 'resource']),
  connectionName: z.string(),
  stackName: z.string().min(1),
  region: z.string().min(1),
  roleName: z.string().min(1),
  rolePath: z.string().min(1),
  roleArn: z.string().optional(),
  platformAccountId: accountId,
  /** The platform profile the role was deployed with; absent for runs journaled before profiles existed. */
  platform: platformRecordSchema.optional(),
  externalIdSha256: z.string().regex(/^[0-9a-f]{64}$/),
  externalIdLast4: z.string().max(4),
  templateSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** Billing only: the bucket the role was granted read access to (the CUR / Data Export destination). */
  curBucket: z.string().optional(),
  /** ISO 8601: when the stack was last deployed (the role-last-used grace period starts here). */
  createdAt: z.iso.datetime().optional(),
  /** What the platform said when the connection was registered (absent: never sent). */
  registration: registrationRecordSchema.optional(),
  /** `manual`: a role made by hand and adopted (`orgconnect adopt`); it has no stack. Absent: deployed by a stack. */
  source: z.literal('manual').optional(),
});
export type Connection = z.infer<typeof connectionSchema>;
export type ConnectionKind = Connection['kind'];

/** The run journal's account key, so health and run state join without translation. */
export { connectionKey } from '../onboarding/connection-key.js';

/** The role's ARN as recorded, or as IAM builds it from name and path (`arn:aws:iam::<id>:role<path><name>`). */
export function expectedRoleArn(connection: Connection, partition = 'aws'): string {
  return (
    connection.roleArn ??
    `arn:${partition}:iam::${connection.accountId}:role${connection.rolePath}${connection.roleName}`
  );
}

/**
 * The connections a finished (or partly finished) deploy run produced: every account the journal says is
 * connected. Accounts that failed or were skipped have no role to check.
 */
export function connectionsFromRun(
  run: RunState,
  extra: { curBucket?: string; templateSha256?: Partial<Record<ConnectionKind, string>> } = {},
): Connection[] {
  return run.accounts
    .filter((account): account is AccountRunState => account.state === 'connected')
    .map((account) => {
      const manual = run.settings.source === 'manual' ? manualRole(account.roleArn) : undefined;
      const connection: Connection = {
        managementAccountId: run.managementAccountId,
        accountId: account.accountId,
        accountName: account.accountName,
        ouPath: account.ouPath,
        kind: account.kind,
        connectionName: account.connectionName,
        stackName: account.stackName,
        region: run.settings.region,
        roleName: manual?.roleName ?? run.settings.roleName ?? DEFAULT_ROLE_NAMES[account.kind],
        rolePath: manual?.rolePath ?? run.settings.rolePath ?? '/',
        platformAccountId: run.settings.platformAccountId,
        externalIdSha256: run.settings.externalIdSha256,
        externalIdLast4: run.settings.externalIdLast4,
        createdAt: account.updatedAt,
      };
      if (run.settings.platform !== undefined) connection.platform = run.settings.platform;
      if (manual !== undefined) connection.source = 'manual';
      if (account.roleArn !== undefined) connection.roleArn = account.roleArn;
      if (account.registration !== undefined) connection.registration = account.registration;
      const templateSha = extra.templateSha256?.[account.kind];
      if (templateSha !== undefined) connection.templateSha256 = templateSha;
      const curBucket = extra.curBucket ?? run.settings.costAndUsageReportBucket;
      if (account.kind === 'billing' && curBucket) connection.curBucket = curBucket;
      return connection;
    });
}

/** An adopted role's name and path, from its ARN (each account of a CSV may name its own role). */
function manualRole(roleArn: string | undefined): { roleName: string; rolePath: string } | undefined {
  const match = /^arn:aws[a-z-]*:iam::\d{12}:role(\/(?:[^/]*\/)*)([^/]+)$/.exec(roleArn ?? '');
  if (!match) return undefined;
  return { rolePath: match[1] as string, roleName: match[2] as string };
}

/** A check's fix for this connection: an adopted role is corrected by hand and adopted again, not redeployed. */
export function fixFor(connection: Pick<Connection, 'source' | 'kind'>, deployedFix: string): string {
  return connection.source === 'manual'
    ? `Correct the hand-made role (orgconnect templates export --kind ${connection.kind} has its exact policies), then run orgconnect adopt again.`
    : deployedFix;
}
