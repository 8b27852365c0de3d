/**
 * A platform profile: everything orgconnect needs to know about the cost platform a role is made for — whom the
 * role trusts, where it lives, and what it may read — as one versioned value. Templates, the role checks and
 * exporters are all generated from (or checked against) a profile, so they cannot drift apart.
 *
 * Strings in permission resources may hold placeholders in CloudFormation's `${Name}` spelling; see
 * role-permissions.ts for the ones it fills in (`${AWS::Partition}`, `${RolePath}`, `${CostAndUsageReportBucket}`).
 */
import { z } from 'zod';
import type { PlatformRegistrationSettings } from './registration-settings.js';

/** The two connection kinds: Billing (management / payer account) and Resource (member accounts). */
export type RoleKind = 'billing' | 'resource';

export const PLATFORM_IDS = ['cloudzero', 'custom'] as const;
export type PlatformId = (typeof PLATFORM_IDS)[number];
export const DEFAULT_PLATFORM_ID: PlatformId = 'cloudzero';

/** In a statement's resources: the profile's managed policy ARNs (the role may read its own policies' definitions). */
export const MANAGED_POLICY_ARNS_PLACEHOLDER = '${ManagedPolicyArns}';

/** One Allow statement of the role's inline read policy: a purpose, its read-only actions and where they apply. */
export interface PermissionStatement {
  /** Statement id in the generated policy (letters and digits only, as IAM requires). */
  readonly sid: string;
  /** The platform's priority for the statement: 0 = cost data it cannot work without, 2 = nice to have. */
  readonly tier: 0 | 1 | 2;
  readonly purpose: string;
  readonly actions: readonly string[];
  /** Resource ARNs (placeholders allowed); `['*']` when absent. */
  readonly resources?: readonly string[];
}

export interface PlatformProfile {
  readonly id: PlatformId;
  /** For people: "CloudZero". */
  readonly name: string;
  /**
   * ISO date of the published policies the profile mirrors. A newer version makes every stack deployed with an
   * older one out of date, so one run brings a whole Organization up to date.
   */
  readonly version: string;
  /** Where the facts come from, for a person checking them. */
  readonly source?: { readonly repository: string; readonly release: string; readonly file: string };
  /** The platform's AWS accounts; the role trusts each account's root, and only with the External ID. */
  readonly trustedAccountIds: readonly string[];
  /** IAM path of the roles (`/cloudzero/`); `fixedRolePath` says whether a user may choose another. */
  readonly rolePath: string;
  readonly fixedRolePath: boolean;
  readonly roleNames: Readonly<Record<RoleKind, string>>;
  /** AWS managed (or customer managed) policy ARNs attached to both roles. */
  readonly managedPolicyArns: readonly string[];
  /** Inline read statements of both roles. */
  readonly statements: readonly PermissionStatement[];
  /** Billing only: what the role may do on the Cost and Usage Report bucket (bucket and objects). */
  readonly costAndUsageReportBucketActions: readonly string[];
  /** How the platform learns of a connection; absent when nothing is registered. */
  readonly registration?: PlatformRegistrationSettings;
}

/** The identity of a profile as stacks, journals and plans record it. */
export interface PlatformStamp {
  readonly id: PlatformId;
  readonly version: string;
}

export function platformStamp(profile: Pick<PlatformProfile, 'id' | 'version'>): PlatformStamp {
  return { id: profile.id, version: profile.version };
}

/** `cloudzero@2026-06-16`: how a stamp reads on a stack tag. */
export function formatPlatformStamp(stamp: PlatformStamp): string {
  return `${stamp.id}@${stamp.version}`;
}

export function parsePlatformStamp(text: string | undefined): PlatformStamp | undefined {
  const match = /^([a-z][a-z0-9-]*)@(\d{4}-\d{2}-\d{2})$/.exec(text ?? '');
  if (!match) return undefined;
  const id = match[1] as string;
  return (PLATFORM_IDS as readonly string[]).includes(id)
    ? { id: id as PlatformId, version: match[2] as string }
    : undefined;
}

const accountIdSchema = z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits');
/** An IAM policy ARN in any partition: AWS managed (`iam::aws:policy/...`) or customer managed (`iam::<id>:policy/...`). */
export const managedPolicyArnSchema = z
  .string()
  .max(2048)
  .regex(
    /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/,
    'a managed policy ARN looks like arn:aws:iam::aws:policy/ReadOnlyAccess',
  );

const cloudzeroChoice = z.object({ id: z.literal('cloudzero') });
const customChoice = z.object({
  id: z.literal('custom'),
  accountIds: z.array(accountIdSchema).min(1).max(20),
  managedPolicyArns: z.array(managedPolicyArnSchema).max(10).optional(),
});

/**
 * What the user chose, in a form that can be journaled and sent over the contract: the profile's id and, for
 * `custom`, the parts the user supplies. `resolvePlatformProfile` turns it into a profile.
 */
export const platformChoiceSchema = z.discriminatedUnion('id', [cloudzeroChoice, customChoice]);
export type PlatformChoice = z.infer<typeof platformChoiceSchema>;

const versionSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a profile version is a date (YYYY-MM-DD)');
/** A choice as a run records it: with the profile version the run deployed. */
export const platformRecordSchema = z.discriminatedUnion('id', [
  cloudzeroChoice.extend({ version: versionSchema }),
  customChoice.extend({ version: versionSchema }),
]);
export type PlatformRecord = z.infer<typeof platformRecordSchema>;
