/**
 * The one contract between the UI and a host (the Electron main process or `orgconnect serve`).
 * Every request, response and event is a zod schema; TypeScript types are inferred from them, so the preload,
 * the WebSocket bridge and both hosts cannot drift apart. Hosts parse every request before a handler runs.
 *
 * Requests are strict objects: an unknown key is a malformed request, not something to ignore, because the
 * renderer is the less trusted side.
 *
 * This file must stay free of Node and Electron: the renderer bundles it.
 */
import { z } from 'zod';
import {
  ACCOUNT_STATES,
  registrationRecordSchema,
  runEventSchema,
  runSettingsRecordSchema,
  stateCountsSchema,
} from '../main/core/onboarding/run-events.js';
import { externalIdProblem } from '../main/core/onboarding/external-id.js';
import { managedPolicyArnSchema } from '../main/core/platform/platform-profile.js';
import { CHECK_IDS } from '../main/core/health/check-result.js';
import { coveragePointSchema, coverageSchema } from '../main/core/health/coverage-schema.js';

// ---------------------------------------------------------------------------------------------- shared pieces

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits');
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

const externalIdSchema = z.string().superRefine((value, context) => {
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

const profileSummarySchema = z.object({
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

const orgAccountSchema = z.object({
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

const planItemSchema = z.object({
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

const runControlResponse = z.object({ runId: z.string(), status: runStatusSchema });
const emptyRequest = z.strictObject({});
const runRequest = z.strictObject({ runId: runIdSchema });
const reportRequest = z.strictObject({
  format: z.enum(['csv', 'json', 'xlsx']),
  runId: runIdSchema.optional(),
  /** Discover the Organization with this profile first, so the report lists every account as it is now. */
  profile: profileNameSchema.optional(),
});

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

// ---------------------------------------------------------------------------------------------------- events

export const hostEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run-event'),
    runId: z.string(),
    event: runEventSchema,
    status: runStatusSchema,
    counts: stateCountsSchema,
  }),
  z.object({
    type: z.literal('run-progress'),
    runId: z.string(),
    accountId,
    kind: z.enum(['billing', 'resource']),
    stackName: z.string(),
    step: z.string(),
    status: z.string().optional(),
    message: z.string(),
  }),
  /** A run's pass ended with an error that is not one account's failure (e.g. the journal became unwritable). */
  z.object({ type: z.literal('run-error'), runId: z.string(), error: errorPayloadSchema }),
  z.object({
    type: z.literal('login-prompt'),
    profile: z.string(),
    url: z.string(),
    userCode: z.string().optional(),
    verificationUri: z.string().optional(),
  }),
  /**
   * A connection was checked (during "check now" or a watch round): its new row, and whether its health changed.
   * The Health table replaces the row, so "last checked" stays current even when nothing changed.
   */
  z.object({
    type: z.literal('health-checked'),
    profile: z.string(),
    organizationId: z.string(),
    connection: healthRowSchema,
    changed: z.boolean(),
  }),
  /**
   * A connection turned unhealthy (its previous result was not unhealthy): the desktop notification and the
   * Flashbar item. A connection that stays unhealthy round after round raises this once.
   */
  z.object({
    type: z.literal('health-alert'),
    profile: z.string(),
    organizationId: z.string(),
    connection: healthRowSchema,
    previousOverall: z.enum(['healthy', 'degraded', 'unknown']),
  }),
  /** A round of automatic checks recorded the Organization's coverage and today's point of its series. */
  z.object({
    type: z.literal('coverage-recorded'),
    profile: z.string(),
    organizationId: z.string(),
    coverage: coverageSchema,
    series: z.array(coveragePointSchema),
  }),
  /** A profile's role chain needs a code from this MFA device; answer on `mfa.answer`. */
  z.object({ type: z.literal('mfa-prompt'), promptId: z.string(), mfaSerial: z.string() }),
  z.object({
    type: z.literal('discovery-progress'),
    profile: z.string(),
    phase: z.enum(['caller', 'organization', 'roots', 'tree', 'done']),
    done: z.number(),
    total: z.number().optional(),
    ous: z.number().optional(),
  }),
  z.object({
    type: z.literal('preflight-progress'),
    profile: z.string(),
    accountId,
    ok: z.boolean(),
    done: z.number(),
  }),
]);
export type HostEvent = z.infer<typeof hostEventSchema>;
export type HostEventType = HostEvent['type'];

// ------------------------------------------------------------------------------------------ the renderer API

/** A request whose fields are all optional may be left out (`api.runs.list()`). */
type Method<C extends Channel> =
  Record<never, never> extends RequestInputOf<C>
    ? (request?: RequestInputOf<C>) => Promise<ResponseOf<C>>
    : (request: RequestInputOf<C>) => Promise<ResponseOf<C>>;

/** The API group of a channel (`runs.get` → `runs`) and a channel's method name within its group (`get`). */
type GroupOf<C extends Channel> = C extends `${infer Group}.${string}` ? Group : never;
type MethodNameIn<Group extends string, C extends Channel> = C extends `${Group}.${infer Name}`
  ? Name
  : never;

/** One method per contract channel, grouped by the channel's prefix (`runs.get` → `api.runs.get`). */
export type OrgConnectMethods = {
  [Group in GroupOf<Channel>]: { [C in Channel as MethodNameIn<Group, C>]: Method<C> };
};

/**
 * What `window.orgconnect` offers, in Electron (preload) and in the browser (WebSocket bridge) alike: derived from
 * `channels`, so a new channel is a new method everywhere without writing it again.
 * Methods reject with an `OrgConnectUiError` carrying the host's code, message and fix.
 */
export interface OrgConnectApi extends OrgConnectMethods {
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (event: HostEvent) => void): () => void;
}

/** The API's method paths, one per channel (`runs.get` → api.runs.get); the preload and bridge build from it. */
export function apiMethodPath(channel: Channel): readonly [string, string] {
  const [group = '', method = ''] = channel.split('.');
  return [group, method];
}

/** Every channel's method, made by `call` (the bridge's sender); the preload does the same from the host's list. */
export function apiMethods(
  call: (channel: Channel) => (request?: unknown) => Promise<unknown>,
): OrgConnectMethods {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const channel of CHANNELS) {
    const [group, method] = apiMethodPath(channel);
    (groups[group] ??= {})[method] = call(channel);
  }
  return groups as unknown as OrgConnectMethods;
}

/** The IPC channel name for a contract channel (one namespace, so nothing else in the app can collide). */
export function ipcChannel(channel: Channel): string {
  return `orgconnect:${channel}`;
}
export const IPC_EVENT_CHANNEL = 'orgconnect:event';
/**
 * The sandboxed preload may not load the contract, so it asks main for the channel names once, synchronously,
 * before the page runs; main answers with CHANNELS (see main/app/ipc-bridge.ts).
 */
export const IPC_CHANNEL_LIST = 'orgconnect:channels';

/** An error as the renderer sees it: the host's code, title, one-line message, fix and (bugs only) details. */
export class OrgConnectUiError extends Error {
  readonly code: string;
  readonly title: string | undefined;
  readonly fix: string | undefined;
  readonly details: string | undefined;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'OrgConnectUiError';
    this.code = payload.code;
    this.title = payload.title;
    this.fix = payload.fix;
    this.details = payload.details;
  }
}

// -------------------------------------------------------------------------------------- WebSocket framing

/** Browser → host: one request with a correlation id. */
export const wsRequestSchema = z.strictObject({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(64),
  payload: z.unknown(),
});
export type WsRequest = z.infer<typeof wsRequestSchema>;

/** Host → browser: a reply to one request, or an event. */
export type WsMessage =
  ({ kind: 'reply'; id: number } & Result<unknown>) | { kind: 'event'; event: HostEvent };
