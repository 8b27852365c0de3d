/**
 * The events of a deploy run: the journal's line format, the live progress feed, and the input of `foldRun`.
 * One schema for all three so what the UI shows, what survives a crash and what resume reads cannot drift.
 *
 * No event carries a credential or the External ID: `run-started` keeps only its sha256 (to check a re-entered
 * value on resume) and a short tail (so a person can recognise it). The schemas strip unknown keys, so a
 * stray `externalId` passed in by mistake is dropped before anything is written.
 */
import { z } from 'zod';
import { platformRecordSchema } from '../platform/platform-profile.js';

export const ACCOUNT_STATES = [
  'pending',
  'deploying',
  'registering',
  'connected',
  'skipped',
  'failed',
  'cancelled',
  'unknown',
  // A disconnect run's states: the stack is being deleted, the platform is told, and both are done.
  'deleting',
  'deregistering',
  'disconnected',
] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];

/** States an account does not leave on its own; everything else is reconciled on resume. */
export const TERMINAL_STATES: ReadonlySet<AccountState> = new Set([
  'connected',
  'skipped',
  'failed',
  'cancelled',
  'disconnected',
]);

export function isTerminalState(state: AccountState): boolean {
  return TERMINAL_STATES.has(state);
}

const accountIdSchema = z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits');
export const connectionKindSchema = z.enum(['billing', 'resource']);
export type ConnectionKind = z.infer<typeof connectionKindSchema>;
const at = z.iso.datetime();

/**
 * What happened when the platform was told about a connection: registered (its time and HTTP status), failed
 * (code, reason, fix, and the HTTP status when it answered), or not sent (why: registration turned off, or a
 * profile without registration). The role ARN registered is kept so a later role change shows as stale.
 */
export const registrationRecordSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('registered'),
    at,
    endpoint: z.string(),
    httpStatus: z.number().int(),
    roleArn: z.string(),
    attempts: z.number().int().positive(),
  }),
  z.object({
    status: z.literal('failed'),
    at,
    endpoint: z.string(),
    code: z.string(),
    reason: z.string(),
    fix: z.string().optional(),
    httpStatus: z.number().int().optional(),
    roleArn: z.string().optional(),
    attempts: z.number().int().nonnegative(),
  }),
  z.object({ status: z.literal('not-sent'), at, reason: z.string() }),
]);
export type RegistrationRecord = z.infer<typeof registrationRecordSchema>;

/** Where a run registers its connections (not secret); absent with `off` when it registers nothing. */
export const runRegistrationSettingsSchema = z.union([
  z.object({ endpoint: z.string(), reactorId: z.string(), messageSource: z.string() }),
  z.object({ off: z.string() }),
]);
export type RunRegistrationSettings = z.infer<typeof runRegistrationSettingsSchema>;

export const runSettingsRecordSchema = z.object({
  /** The first account the platform role trusts (all of them are in `platform` for a custom platform). */
  platformAccountId: accountIdSchema,
  /** The platform profile and version the run deploys; absent in runs journaled before profiles existed. */
  platform: platformRecordSchema.optional(),
  externalIdSha256: z.string().regex(/^[0-9a-f]{64}$/),
  externalIdLast4: z.string().max(4),
  accessRoleName: z.string().min(1),
  /** How member accounts are reached: the access role (default) or an IAM Identity Center permission set. */
  accessMode: z.enum(['access-role', 'identity-center']).optional(),
  ssoRoleName: z.string().optional(),
  region: z.string().min(1),
  concurrency: z.number().int().positive(),
  roleName: z.string().optional(),
  rolePath: z.string().optional(),
  mode: z.enum(['stacks', 'stacksets']).optional(),
  namePrefix: z.string().optional(),
  /** Billing only; a bucket name is not a secret, and resume must deploy with the same one. */
  costAndUsageReportBucket: z.string().optional(),
  /** Absent in runs journaled before registration existed: those register nothing on resume. */
  registration: runRegistrationSettingsSchema.optional(),
  /** What the run does; absent in deploy runs journaled before disconnect existed. */
  operation: z.enum(['deploy', 'disconnect']).optional(),
  /** Disconnect only: deregister from the platform but leave the stacks (and roles) in place. */
  keepStacks: z.boolean().optional(),
  /** Disconnect only: the platform endpoint deregistration goes to (not a secret; resume uses the same one). */
  platformUrl: z.string().optional(),
  /** `manual`: an adopt run — the roles were made by hand and are verified, never deployed. */
  source: z.literal('manual').optional(),
});
export type RunSettingsRecord = z.infer<typeof runSettingsRecordSchema>;

export const deployItemSchema = z.object({
  accountId: accountIdSchema,
  accountName: z.string(),
  ouPath: z.string(),
  kind: connectionKindSchema,
  connectionName: z.string(),
  stackName: z.string().min(1),
  /** delete / deregister: a disconnect run's items (delete the stack, then deregister; or only deregister). */
  action: z.enum(['create', 'update', 'skip', 'blocked', 'delete', 'deregister']),
  /** Adopt runs: the hand-made role to verify and register in this account (its result is `roleArn`). */
  requestedRoleArn: z.string().optional(),
  /** update only (sync's repair): the stack is deleted and created again; see stack-deployer's `replace`. */
  replace: z.boolean().optional(),
  reason: z.string().optional(),
  code: z.string().optional(),
  fix: z.string().optional(),
});
/** A plan item as the runner needs it (the plan's `PlanItem` is structurally one). */
export type DeployItem = z.infer<typeof deployItemSchema>;

export const runStartedSchema = z.object({
  type: z.literal('run-started'),
  at,
  journalVersion: z.literal(1),
  runId: z.string(),
  createdAt: at,
  managementAccountId: accountIdSchema,
  profile: z.string().nullable(),
  settings: runSettingsRecordSchema,
});

export const accountPlannedSchema = deployItemSchema.extend({ type: z.literal('account-planned'), at });

export const accountStateSchema = z.object({
  type: z.literal('account-state'),
  at,
  accountId: accountIdSchema,
  kind: connectionKindSchema,
  state: z.enum(ACCOUNT_STATES),
  outcome: z.enum(['created', 'updated', 'unchanged']).optional(),
  stackId: z.string().optional(),
  roleArn: z.string().optional(),
  code: z.string().optional(),
  reason: z.string().optional(),
  fix: z.string().optional(),
  attempt: z.number().int().nonnegative().optional(),
  /** On `connected`: what the platform said about this connection. */
  registration: registrationRecordSchema.optional(),
  /** Disconnect: what the platform said when the connection was deregistered. */
  deregistration: z
    .object({
      status: z.enum(['deregistered', 'not-registered', 'failed']),
      message: z.string().optional(),
    })
    .optional(),
});

/**
 * user: the person paused. sign-in-required: the management session (IAM Identity Center token or the profile's
 * credentials) expired mid-run and could not be refreshed; the run waits for a sign-in, then resumes.
 */
export const runPausedSchema = z.object({
  type: z.literal('run-paused'),
  at,
  reason: z.enum(['user', 'sign-in-required']).optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  fix: z.string().optional(),
});
export type RunPausedEvent = z.infer<typeof runPausedSchema>;
export const runResumedSchema = z.object({
  type: z.literal('run-resumed'),
  at,
  /** user: after a pause; restart: a new process picked the run up; retry-failed: failed accounts re-run. */
  reason: z.enum(['user', 'restart', 'retry-failed']),
});
export const runCancelRequestedSchema = z.object({ type: z.literal('run-cancel-requested'), at });

export const stateCountsSchema = z.object({
  total: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  deploying: z.number().int().nonnegative(),
  /** Optional so counts journaled before registration existed still parse. */
  registering: z.number().int().nonnegative().optional(),
  connected: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  cancelled: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative(),
  // Only disconnect runs count these (countStates); a deploy run's counts keep their original shape.
  deleting: z.number().int().nonnegative().optional(),
  deregistering: z.number().int().nonnegative().optional(),
  disconnected: z.number().int().nonnegative().optional(),
});
export type StateCounts = z.infer<typeof stateCountsSchema>;

export const runFinishedSchema = z.object({
  type: z.literal('run-finished'),
  at,
  status: z.enum(['completed', 'cancelled']),
  counts: stateCountsSchema,
});

export const runEventSchema = z.discriminatedUnion('type', [
  runStartedSchema,
  accountPlannedSchema,
  accountStateSchema,
  runPausedSchema,
  runResumedSchema,
  runCancelRequestedSchema,
  runFinishedSchema,
]);
export type RunEvent = z.infer<typeof runEventSchema>;
export type RunStartedEvent = z.infer<typeof runStartedSchema>;
export type AccountPlannedEvent = z.infer<typeof accountPlannedSchema>;
export type AccountStateEvent = z.infer<typeof accountStateSchema>;
export type RunFinishedEvent = z.infer<typeof runFinishedSchema>;
