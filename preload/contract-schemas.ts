import { z } from 'zod';
import {
  ACCOUNT_STATES,
  registrationRecordSchema,
  runSettingsRecordSchema,
  stateCountsSchema,
} from '../main/core/onboarding/run-events.js';
import { externalIdProblem } from '../main/core/onboarding/external-id.js';
import { managedPolicyArnSchema } from '../main/core/platform/platform-profile.js';
import { CHECK_IDS } from '../main/core/health/check-result.js';
import { coveragePointSchema, coverageSchema } from '../main/core/health/coverage-schema.js';

// ---------------------------------------------------------------------------------------------- shared pieces

export const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits');
/** AWS profile names: what the CLI accepts in `[profile …]`, bounded so a hostile payload stays small. */
export const profileNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.@+=,:/-]+$/, 'a profile name has letters, digits and . @ + = , : / - _');
export const runIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.-]+$/, 'a run id has letters, digits, . - _');
/** Ids the host hands out for plans it keeps in memory (deploy.start takes one, never a plan body). */
export const planIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a plan id');

export const externalIdSchema = z.string().superRefine((value, context) => {
  const problem = externalIdProblem(value);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

export const onboardingRequestSchema = z.strictObject({
  externalId: externalIdSchema,
  /** The platform profile (default cloudzero); custom trusts `platformAccountIds`. */
  platform: z.enum(['cloudzero', 'custom']).optional(),
  platformAccountId: accountId.optional(),
  platformAccountIds: z.array(accountId).min(1).max(20).optional(),
  managedPolicyArns: z.array(managedPolicyArnSchema).min(1).max(10).optional(),
  select: z.string().min(1).max(20_000).optional(),
  exclude: z.string().max(20_000).optional(),
  accessRoleName: z.string().min(1).max(64).optional(),
  roleName: z.string().min(1).max(64).optional(),
  rolePath: z.string().min(1).max(512).optional(),
  mode: z.enum(['stacks', 'stacksets']).optional(),
  /** How member accounts are reached in stacks mode: the access role (default) or an Identity Center permission set. */
  accessMode: z.enum(['access-role', 'identity-center']).optional(),
  ssoRoleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,32}$/, 'a permission set name has 1–32 letters, digits and + = , . @ - _')
    .optional(),
  namePrefix: z.string().max(64).optional(),
  nameOverrides: z.record(accountId, z.string().min(1).max(128)).optional(),
  costAndUsageReportBucket: z.string().min(3).max(63).optional(),
  /** `manual`: "Roles we create ourselves" — verify and register the role `roleName` under `rolePath` (adopt). */
  source: z.literal('manual').optional(),
  /** With `source: manual`: the roles file's text (`account_id,role_arn[,connection_name]`), checked by the host. */
  rolesCsv: z.string().min(1).max(2_000_000).optional(),
});
export type OnboardingRequestPayload = z.infer<typeof onboardingRequestSchema>;

export const errorPayloadSchema = z.object({
  /** Stable, for support and scripts: show it small and copyable, after the words. */
  code: z.string(),
  /** What went wrong in plain words ("Cannot reach AWS"): the banner's header. Hosts always send it. */
  title: z.string().optional(),
  /** The reason, one line. */
  message: z.string(),
  fix: z.string().optional(),
  /** Only with INTERNAL_ERROR: name, message and stack for a bug report ("Copy details"). */
  details: z.string().optional(),
});
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;

// ------------------------------------------------------------------------------------------------- responses
// Responses list the fields the UI relies on. They are plain (non-strict) objects: the core's results carry more,
// which is fine on the wire; the contract tests parse real results against these schemas.

export const profileSummarySchema = z.object({
  name: z.string(),
  kind: z.enum([
    'static',
    'assume-role',
    'credential-process',
    'web-identity',
    'sso',
    'sso-legacy',
    'unknown',
  ]),
  region: z.string().optional(),
  hasExternalId: z.boolean(),
  ssoSession: z.string().optional(),
  ssoStartUrl: z.string().optional(),
  ssoAccountId: z.string().optional(),
  ssoRoleName: z.string().optional(),
  roleArn: z.string().optional(),
  sourceProfile: z.string().optional(),
});
export const localAwsConfigSchema = z.object({
  configFile: z.string(),
  credentialsFile: z.string(),
  selectedProfile: z.string(),
  profiles: z.array(profileSummarySchema),
  ssoSessions: z.array(z.object({ name: z.string(), startUrl: z.string(), region: z.string() })),
  warnings: z.array(z.object({ code: z.string(), file: z.string(), line: z.number(), message: z.string() })),
  /** True when the host runs against the local AWS emulator (`npm run demo`): the UI shows a sandbox label. */
  sandbox: z.boolean().optional(),
});

export const identitySchema = z.object({
  accountId,
  arn: z.string(),
  organizationId: z.string().nullable(),
  managementAccountId: z.string().nullable(),
  featureSet: z.enum(['ALL', 'CONSOLIDATED_BILLING']).nullable(),
  isManagementAccount: z.boolean(),
});

export const orgAccountSchema = z.object({
  id: accountId,
  arn: z.string(),
  name: z.string(),
  email: z.string(),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE']),
  state: z.string().nullable(),
  ouId: z.string(),
  ouPath: z.string(),
  isManagement: z.boolean(),
});
export const organizationSnapshotSchema = z.object({
  organization: z.object({
    id: z.string(),
    arn: z.string(),
    featureSet: z.enum(['ALL', 'CONSOLIDATED_BILLING']),
    managementAccountId: accountId,
    managementAccountEmail: z.string(),
  }),
  caller: z.object({ accountId, arn: z.string(), isManagementAccount: z.boolean() }),
  roots: z.array(z.object({ id: z.string(), name: z.string() })),
  ous: z.array(z.object({ id: z.string(), name: z.string(), parentId: z.string(), path: z.string() })),
  accounts: z.array(orgAccountSchema),
  discoveredAt: z.string(),
});

export const planItemSchema = z.object({
  accountId,
  accountName: z.string(),
  ouPath: z.string(),
  kind: z.enum(['billing', 'resource']),
  connectionName: z.string(),
  stackName: z.string(),
  action: z.enum(['create', 'update', 'skip', 'blocked']),
  reason: z.string().optional(),
  code: z.string().optional(),
  fix: z.string().optional(),
});
export const planSchema = z.object({
  managementAccountId: accountId,
  items: z.array(planItemSchema),
  counts: z.object({
    total: z.number(),
    create: z.number(),
    update: z.number(),
    skip: z.number(),
    blocked: z.number(),
    billing: z.number(),
    resource: z.number(),
  }),
});

export const runStatusSchema = z.enum(['running', 'paused', 'cancelling', 'finished']);
export const runStateSchema = z.object({
  runId: z.string(),
  createdAt: z.string(),
  managementAccountId: accountId,
  profile: z.string().nullable(),
  settings: runSettingsRecordSchema,
  status: runStatusSchema,
  finishedStatus: z.enum(['completed', 'cancelled']).optional(),
  pausedFor: z
    .object({
      reason: z.enum(['user', 'sign-in-required']),
      code: z.string().optional(),
      message: z.string().optional(),
      fix: z.string().optional(),
    })
    .optional(),
  cancelRequested: z.boolean(),
  accounts: z.array(
    planItemSchema.extend({
      action: z.enum(['create', 'update', 'skip', 'blocked', 'delete', 'deregister']),
      state: z.enum(ACCOUNT_STATES),
      roleArn: z.string().optional(),
      registration: registrationRecordSchema.optional(),
      attempt: z.number(),
      updatedAt: z.string(),
    }),
  ),
  counts: stateCountsSchema,
  updatedAt: z.string(),
});
export const runListingSchema = z.object({
  runId: z.string(),
  status: z.union([runStatusSchema, z.literal('unreadable')]),
  createdAt: z.string().optional(),
  managementAccountId: z.string().optional(),
  profile: z.string().nullable().optional(),
  counts: stateCountsSchema.optional(),
  problem: z.string().optional(),
  /** True when this host is driving the run right now (a `running` journal may belong to a dead process). */
  live: z.boolean(),
});

/** One row per connection with its latest checks: what the Health table shows (same shape as `health --json`). */
/** One connection's row of the Health table (core: health-summary.ts). */
export const healthRowSchema = z.object({
  accountId,
  accountName: z.string(),
  kind: z.enum(['billing', 'resource']),
  connectionName: z.string(),
  roleArn: z.string().nullable(),
  /** Deployed with an older version of its platform's permissions: a deploy (or sync) updates it. */
  olderTemplate: z.boolean().optional(),
  overall: z.enum(['healthy', 'degraded', 'unhealthy', 'unknown']),
  checkedAt: z.string().nullable(),
  checks: z.array(
    z.object({
      id: z.enum(CHECK_IDS),
      status: z.enum(['pass', 'warn', 'fail', 'unknown', 'skipped']),
      summary: z.string(),
      fix: z.string().optional(),
      /** With `unknown`: this endpoint lacks the API (e.g. the sandbox's emulator); not counted against health. */
      notAvailableHere: z.boolean().optional(),
    }),
  ),
});
export type HealthRow = z.infer<typeof healthRowSchema>;

export const healthSummarySchema = z.object({
  organizationId: z.string(),
  summary: z.object({
    total: z.number(),
    healthy: z.number(),
    degraded: z.number(),
    unhealthy: z.number(),
    unknown: z.number(),
  }),
  connections: z.array(healthRowSchema),
  /** Every account of the Organization with its status (core: health/coverage.ts). */
  coverage: coverageSchema.optional(),
  /** The Organization's daily health and coverage, oldest first (the Health chart). */
  series: z.array(coveragePointSchema).optional(),
});
export type HealthSummary = z.infer<typeof healthSummarySchema>;
export type Coverage = z.infer<typeof coverageSchema>;
export type CoveragePoint = z.infer<typeof coveragePointSchema>;

/** One kept result of a connection: its timeline in the Health split panel. */
export const healthTimelineEntrySchema = z.object({
  checkedAt: z.string(),
  overall: z.enum(['healthy', 'degraded', 'unhealthy', 'unknown']),
  /** Checks that did not pass, as `id (status)`. */
  failing: z.array(z.string()),
});
export type HealthTimelineEntry = z.infer<typeof healthTimelineEntrySchema>;

export const runControlResponse = z.object({ runId: z.string(), status: runStatusSchema });
export const emptyRequest = z.strictObject({});
export const runRequest = z.strictObject({ runId: runIdSchema });
export const reportRequest = z.strictObject({
  format: z.enum(['csv', 'json', 'xlsx']),
  runId: runIdSchema.optional(),
  /** Discover the Organization with this profile first, so the report lists every account as it is now. */
  profile: profileNameSchema.optional(),
});
