import { z } from 'zod';
import { runEventSchema, stateCountsSchema } from '../main/core/onboarding/run-events.js';
import { coveragePointSchema, coverageSchema } from '../main/core/health/coverage-schema.js';
import { accountId, errorPayloadSchema, healthRowSchema, runStatusSchema } from './contract-schemas.js';

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
