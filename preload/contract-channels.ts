import { z } from 'zod';
import { CHECK_IDS } from '../main/core/health/check-result.js';
import { coveragePointSchema } from '../main/core/health/coverage-schema.js';
import {
  accountId,
  emptyRequest,
  errorPayloadSchema,
  externalIdSchema,
  healthSummarySchema,
  healthTimelineEntrySchema,
  identitySchema,
  localAwsConfigSchema,
  onboardingRequestSchema,
  organizationSnapshotSchema,
  planIdSchema,
  planItemSchema,
  planSchema,
  profileNameSchema,
  reportRequest,
  runControlResponse,
  runIdSchema,
  runListingSchema,
  runRequest,
  runStateSchema,
} from './contract-schemas.js';
import type { ErrorPayload } from './contract-schemas.js';

// -------------------------------------------------------------------------------------------------- channels

export const channels = {
  'profiles.list': { request: emptyRequest, response: localAwsConfigSchema },
  'identity.whoami': { request: z.strictObject({ profile: profileNameSchema }), response: identitySchema },
  'org.discover': {
    request: z.strictObject({ profile: profileNameSchema }),
    response: organizationSnapshotSchema,
  },
  'sso.login': {
    request: z.strictObject({ profile: profileNameSchema, deviceCode: z.boolean().optional() }),
    response: z.object({
      profile: z.string(),
      startUrl: z.string(),
      expiresAt: z.string(),
      flow: z.enum(['auth-code', 'device-code']),
    }),
  },
  'plan.create': {
    request: z.strictObject({ profile: profileNameSchema, request: onboardingRequestSchema }),
    response: z.object({
      /** deploy.start takes this id: the host deploys only plans it computed itself. */
      planId: planIdSchema,
      plan: planSchema,
      organizationId: z.string(),
      snapshot: organizationSnapshotSchema,
      /** Where the run will register its connections and how many (Review says so), or why it will not. */
      registration: z
        .union([
          z.object({ endpoint: z.string(), connections: z.number().int().nonnegative() }),
          z.object({ off: z.string() }),
        ])
        .optional(),
      /** The platform profile the plan deploys: the accounts its roles trust and the role path (the recap shows them). */
      platform: z
        .object({
          id: z.enum(['cloudzero', 'custom']),
          name: z.string(),
          version: z.string(),
          trustedAccountIds: z.array(accountId),
          rolePath: z.string(),
        })
        .optional(),
    }),
  },
  'runs.list': { request: emptyRequest, response: z.array(runListingSchema) },
  'runs.get': { request: runRequest, response: runStateSchema.extend({ live: z.boolean() }) },
  'deploy.start': {
    request: z.strictObject({
      planId: planIdSchema,
      concurrency: z.number().int().min(1).max(64).optional(),
    }),
    response: z.object({ runId: z.string() }),
  },
  'deploy.pause': { request: runRequest, response: runControlResponse },
  'deploy.resume': {
    // externalId only when the run's secrets file is gone (the host checks it against the journal).
    request: z.strictObject({ runId: runIdSchema, externalId: externalIdSchema.optional() }),
    response: runControlResponse,
  },
  'deploy.cancel': { request: runRequest, response: runControlResponse },
  'deploy.retryFailed': {
    request: z.strictObject({ runId: runIdSchema, externalId: externalIdSchema.optional() }),
    response: runControlResponse,
  },
  'health.check': {
    request: z.strictObject({
      profile: profileNameSchema,
      runId: runIdSchema.optional(),
      /** Checks not to run (shown as skipped, never as passed), e.g. drift where the emulator lacks it. */
      skip: z.array(z.enum(CHECK_IDS)).max(CHECK_IDS.length).optional(),
    }),
    response: healthSummarySchema,
  },
  'health.watch': {
    /** Checks the profile's connections now and then every N minutes, streaming `health-checked`; no N stops. */
    request: z.strictObject({
      profile: profileNameSchema,
      everyMinutes: z.number().int().min(1).max(1440).optional(),
      runId: runIdSchema.optional(),
      skip: z.array(z.enum(CHECK_IDS)).max(CHECK_IDS.length).optional(),
    }),
    response: z.object({ profile: z.string(), everyMinutes: z.number().nullable() }),
  },
  'health.series': {
    /** The Organization's daily points (healthy / degraded / unhealthy / unknown, share connected). */
    request: z.strictObject({
      organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'not an Organization id'),
    }),
    response: z.object({ series: z.array(coveragePointSchema) }),
  },
  'health.timeline': {
    /** One connection's kept results, oldest first. */
    request: z.strictObject({ accountId, kind: z.enum(['billing', 'resource']) }),
    response: z.object({ entries: z.array(healthTimelineEntrySchema) }),
  },
  'report.export': {
    request: reportRequest,
    /** The file itself (base64): the browser host has no file system to write to on the user's side. */
    response: z.object({ filename: z.string(), mimeType: z.string(), base64: z.string() }),
  },
  /**
   * The desktop app's native save dialog: the host asks the person where, then writes the file itself (the page
   * never names a path). The browser host has no dialog of ours and answers SAVE_DIALOG_UNAVAILABLE.
   */
  'report.save': {
    request: reportRequest,
    /** Where the report was written, or null when the person cancelled the dialog. */
    response: z.object({ savedTo: z.string().nullable() }),
  },
  'mfa.answer': {
    /** No code cancels the prompt. */
    request: z.strictObject({
      promptId: z.string().regex(/^[a-f0-9]{32}$/, 'not a prompt id'),
      code: z
        .string()
        .regex(/^\d{6}$/, 'an MFA code has 6 digits')
        .optional(),
    }),
    response: z.object({ accepted: z.boolean() }),
  },
  'cur.status': {
    /** The management account's Cost and Usage Reports: usable or not (with the fix), and the usable one's bucket. */
    request: z.strictObject({ profile: profileNameSchema }),
    response: z.object({
      status: z.enum(['pass', 'warn', 'fail', 'unknown']),
      summary: z.string(),
      fix: z.string().optional(),
      bucket: z.string().optional(),
      report: z.string().optional(),
    }),
  },
  'cur.planSetup': {
    /** No usable report: what a CUR 2.0 set-up would write (reads only); the host keeps it under `setupId`. */
    request: z.strictObject({
      profile: profileNameSchema,
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'not an S3 bucket name')
        .optional(),
    }),
    response: z.object({
      setupId: planIdSchema,
      bucket: z.string(),
      createBucket: z.boolean(),
      exportName: z.string(),
      steps: z.array(z.string()),
    }),
  },
  'cur.setUp': {
    /** Writes the set-up the user confirmed, by id: the host writes only what it planned and showed. */
    request: z.strictObject({ setupId: planIdSchema }),
    response: z.object({ bucket: z.string(), exportArn: z.string(), createdBucket: z.boolean() }),
  },
  'templates.get': {
    request: emptyRequest,
    response: z.object({
      billing: z.object({ body: z.string(), sha256: z.string() }),
      resource: z.object({ body: z.string(), sha256: z.string() }),
    }),
  },
  /** Settings' read-only Platform section: the profile, the principals its roles trust, where it registers. */
  'platform.describe': {
    request: z.strictObject({ platform: z.enum(['cloudzero', 'custom']).optional() }),
    response: z.object({
      id: z.enum(['cloudzero', 'custom']),
      name: z.string(),
      version: z.string(),
      trustedAccountIds: z.array(accountId),
      rolePath: z.string(),
      registration: z.union([z.object({ endpoint: z.string() }), z.object({ off: z.string() })]),
    }),
  },
  /** Health → Disconnect…: reads each chosen account's stack and plans; disconnect.start takes the plan id. */
  'disconnect.plan': {
    request: z.strictObject({
      profile: profileNameSchema,
      externalId: externalIdSchema,
      select: z.array(accountId).min(1).max(5000),
      keepStacks: z.boolean().optional(),
    }),
    response: z.object({
      planId: planIdSchema,
      plan: z.object({
        managementAccountId: accountId,
        keepStacks: z.boolean(),
        items: z.array(
          planItemSchema.extend({
            action: z.enum(['delete', 'deregister', 'skip', 'blocked']),
            roleArn: z.string().optional(),
          }),
        ),
        counts: z.object({
          total: z.number(),
          delete: z.number(),
          deregister: z.number(),
          skip: z.number(),
          blocked: z.number(),
        }),
      }),
    }),
  },
  'disconnect.start': {
    request: z.strictObject({ planId: planIdSchema }),
    response: z.object({ runId: z.string() }),
  },
  /** The role as code for custom provisioning (Review's downloads): the same files as `orgconnect templates export`. */
  'templates.export': {
    request: z.strictObject({
      kind: z.enum(['billing', 'resource']),
      format: z.enum(['cloudformation', 'stackset', 'terraform', 'iam-json']),
      platform: z.enum(['cloudzero', 'custom']).optional(),
      platformAccountIds: z.array(accountId).min(1).max(20).optional(),
      roleName: z
        .string()
        .regex(/^[\w+=,.@-]{1,64}$/)
        .optional(),
      rolePath: z
        .string()
        .regex(/^\/([\x21-\x7E]*\/)?$/)
        .max(512)
        .optional(),
      externalId: externalIdSchema.optional(),
      costAndUsageReportBucket: z.string().min(3).max(63).optional(),
    }),
    response: z.object({
      files: z.array(z.object({ name: z.string(), content: z.string() })),
    }),
  },
} as const;

export type Channel = keyof typeof channels;
export const CHANNELS = Object.keys(channels) as Channel[];
export type RequestOf<C extends Channel> = z.infer<(typeof channels)[C]['request']>;
/** What a request looks like before parsing (optional fields may be left out). */
export type RequestInputOf<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = z.infer<(typeof channels)[C]['response']>;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(channels, value);
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: errorPayloadSchema }),
  ]);
}
