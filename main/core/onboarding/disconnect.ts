/**
 * The disconnect flow over one management profile: discover → select → read each selected account's stack →
 * plan, and a disconnect run built from that plan (or resumed from its journal). Glue only; the decisions live in
 * disconnect-plan (what), stack-remover (how a stack goes) and disconnect-run (order, journal, resume).
 */
import type { AwsClientFactory } from '../aws/client-factory.js';
import type { SsoPortal } from '../aws/sso/index.js';
import { OrgConnectError } from '../errors.js';
import { DEFAULT_ACCESS_ROLE_NAME } from './account-credentials.js';
import { buildDisconnectPlan, disconnectTargets, type DisconnectPlan } from './disconnect-plan.js';
import { buildGoneDisconnectPlan, type GoneConnection } from './disconnect-gone.js';
import {
  disconnectSecrets,
  resumeDisconnect,
  startDisconnect,
  type Deregister,
  type DisconnectRun,
} from './disconnect-run.js';
import { assertValidExternalId } from './external-id.js';
import { readRunState } from './journal.js';
import { accountCredentials, type OnboardingContext, type RunHooks } from './onboarding.js';
import { preflightClientsFrom, runPreflight, type PreflightResult } from './preflight.js';
import { DEFAULT_CONCURRENCY } from './run-engine.js';
import { parseSelection, resolveSelection } from './selection.js';
import { CLOUDZERO_PROFILE } from '../platform/cloudzero-profile.js';

export interface DisconnectRequest {
  /** The External ID the connections were made with (the platform's deprovision message names it). */
  externalId: string;
  platformAccountId?: string;
  /** `all`, `<id,id>`, or `ou:<ou-id>[,…]`, as for deploy. */
  select?: string;
  exclude?: string;
  accessRoleName?: string;
  accessMode?: 'access-role' | 'identity-center';
  ssoRoleName?: string;
  /** Only deregister; leave the stacks and roles in place. */
  keepStacks?: boolean;
  platformUrl?: string;
}

export interface DisconnectPlanResult {
  plan: DisconnectPlan;
  preflight: PreflightResult[];
  organizationId: string;
}

/** Builds the deregister function for a run, from what it recorded and its External ID (the host's wiring). */
export type DeregisterFor = (link: {
  platformUrl: string | undefined;
  platformAccountId: string;
  externalId: string;
  /** The Region named in the platform's link message (`cloud_region`). */
  region: string;
}) => Deregister;

function access(request: DisconnectRequest) {
  return {
    accessRoleName: request.accessRoleName ?? DEFAULT_ACCESS_ROLE_NAME,
    ...(request.accessMode === undefined ? {} : { accessMode: request.accessMode }),
    ...(request.ssoRoleName === undefined ? {} : { ssoRoleName: request.ssoRoleName }),
  };
}

/** Reads AWS only: credentials into each selected account and its orgconnect stack. Writes nothing. */
export async function planDisconnect(
  context: OnboardingContext,
  request: DisconnectRequest,
  options: {
    onPreflight?: (result: PreflightResult) => void;
    signal?: AbortSignal;
    concurrency?: number;
  } = {},
): Promise<DisconnectPlanResult> {
  assertValidExternalId(request.externalId);
  const selection = parseSelection(request.select ?? 'all', request.exclude);
  const { snapshot } = context;
  const resolved = resolveSelection(selection, snapshot.accounts, snapshot.ous);
  const preflight = await readStacks(context, request, disconnectTargets(resolved.active), options);
  const plan = buildDisconnectPlan({
    accounts: snapshot.accounts,
    units: snapshot.ous,
    selection,
    preflight,
    keepStacks: request.keepStacks === true,
  });
  return { plan, preflight, organizationId: snapshot.organization.id };
}

type ReadOptions = {
  onPreflight?: (result: PreflightResult) => void;
  signal?: AbortSignal;
  concurrency?: number;
};

/** Credentials into each target account and its orgconnect stack, through the preflight. Reads only. */
async function readStacks(
  context: OnboardingContext,
  request: DisconnectRequest,
  targets: { accountId: string; stackName: string }[],
  options: ReadOptions,
): Promise<PreflightResult[]> {
  const { snapshot, factory } = context;
  const settings = access(request);
  const credentials = accountCredentials(
    factory,
    snapshot.organization.managementAccountId,
    settings,
    context.ssoPortal,
  );
  return runPreflight({
    targets,
    credentialsFor: async (accountId) => credentials.providerFor(accountId),
    clientFactory: preflightClientsFrom(factory),
    accessRoleName: settings.accessRoleName,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    ...(options.onPreflight ? { onResult: options.onPreflight } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * A disconnect plan for connections whose account closed or left (sync): the closed accounts' stacks are read
 * (an account that left cannot be reached from the management account); see disconnect-gone.
 */
export async function planGoneDisconnect(
  context: OnboardingContext,
  request: DisconnectRequest,
  gone: readonly GoneConnection[],
  options: ReadOptions = {},
): Promise<DisconnectPlanResult> {
  assertValidExternalId(request.externalId);
  const closed = gone.filter((connection) => connection.gone === 'closed');
  const preflight =
    closed.length === 0
      ? []
      : await readStacks(
          context,
          request,
          closed.map(({ accountId, stackName }) => ({ accountId, stackName })),
          options,
        );
  const { snapshot } = context;
  const plan = buildGoneDisconnectPlan(snapshot.organization.managementAccountId, gone, preflight);
  return { plan, preflight, organizationId: snapshot.organization.id };
}

/** Journals a new disconnect run for a plan the user has seen, ready to `start()`. */
export async function createDisconnectRun(
  context: OnboardingContext,
  request: DisconnectRequest,
  plan: DisconnectPlan,
  hooks: RunHooks & { deregisterFor: DeregisterFor },
): Promise<DisconnectRun> {
  assertValidExternalId(request.externalId);
  const platformAccountId = request.platformAccountId ?? CLOUDZERO_PROFILE.trustedAccountIds[0]!;
  if (!/^\d{12}$/.test(platformAccountId)) {
    throw new OrgConnectError(
      'USAGE_PLATFORM_ACCOUNT_INVALID',
      `"${platformAccountId}" is not a 12-digit AWS account id.`,
    );
  }
  const settings = access(request);
  const credentials = accountCredentials(
    context.factory,
    context.snapshot.organization.managementAccountId,
    settings,
    context.ssoPortal,
  );
  const deregister = hooks.deregisterFor({
    platformUrl: request.platformUrl,
    platformAccountId,
    externalId: request.externalId,
    region: context.factory.region,
  });
  return startDisconnect({
    dataDir: hooks.dataDir,
    items: plan.items,
    settings: {
      ...settings,
      platformAccountId,
      externalId: request.externalId,
      region: context.factory.region,
      keepStacks: plan.keepStacks,
      ...(request.platformUrl === undefined ? {} : { platformUrl: request.platformUrl }),
    },
    managementAccountId: context.snapshot.organization.managementAccountId,
    profile: context.profile,
    credentialsFor: (accountId) => credentials.credentialsFor(accountId),
    cloudFormationFor: (accountId, provider) =>
      context.factory.client('CloudFormation', { accountKey: accountId, credentials: provider }),
    deregister,
    ...runOptions(hooks),
  });
}

/** Re-opens a disconnect run; `start()` reconciles with CloudFormation before deleting anything. */
export async function openDisconnectForResume(
  factory: AwsClientFactory,
  runId: string,
  hooks: RunHooks & {
    deregisterFor: DeregisterFor;
    externalId?: string;
    ssoPortal?: () => Promise<SsoPortal>;
  },
): Promise<DisconnectRun> {
  const state = await readRunState(hooks.dataDir, runId);
  const secrets = await disconnectSecrets(hooks.dataDir, state, hooks.externalId);
  const credentials = accountCredentials(factory, state.managementAccountId, state.settings, hooks.ssoPortal);
  const deregister = hooks.deregisterFor({
    platformUrl: state.settings.platformUrl,
    platformAccountId: state.settings.platformAccountId,
    externalId: secrets.externalId,
    region: state.settings.region,
  });
  return resumeDisconnect({
    runId,
    dataDir: hooks.dataDir,
    secrets,
    credentialsFor: (accountId) => credentials.credentialsFor(accountId),
    cloudFormationFor: (accountId, provider) =>
      factory.client('CloudFormation', {
        accountKey: accountId,
        credentials: provider,
        region: state.settings.region,
      }),
    deregister,
    ...runOptions(hooks),
  });
}

function runOptions(hooks: RunHooks) {
  return {
    ...(hooks.concurrency === undefined ? {} : { concurrency: hooks.concurrency }),
    ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
  };
}
