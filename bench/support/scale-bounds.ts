/**
 * Bounds for the scale bench's stages, from the latencies the proxy injects and the concurrency a stage runs at.
 *
 * A stage whose per-account work is a chain of calls (preflight, health) cannot finish before
 * ⌈accounts / c⌉ × its longest dependent path per account. Summing every call as one chain would over-estimate it
 * wherever calls inside one account run at once, so each stage's path counts calls made together once, as the
 * slowest of them: preflight's is AssumeRole, GetCallerIdentity, then its three reads at once (preflightPathMs);
 * health's is AssumeRole, then its checks' calls at once, the longest chain among them counted (healthPathMs).
 *
 * moto answers one request at a time and spends S ms on each, so against it every call on a chain costs L + S, and
 * no stage can finish before moto's busy time (the time at least one request was inside moto: S × calls, with S
 * the stage's own busy time / calls, measured in the same run). The emulator-aware bound, as bench/discovery.ts's,
 * is max(the same chain bound with L + S per call, S × calls). Every bound takes `perCallMs`: 0 for the latency
 * bound, S for the emulator-aware one.
 */
export const LATENCY_MS: Readonly<Record<string, number>> = {
  // STS
  AssumeRole: 150,
  GetCallerIdentity: 60,
  // CloudFormation
  CreateStack: 300,
  UpdateStack: 300,
  DescribeStacks: 60,
  ListStacks: 60,
  GetTemplate: 60,
  GetTemplateSummary: 60,
  DescribeStackResources: 60,
  DescribeStackResource: 60,
  DescribeStackEvents: 60,
  // IAM
  GetRole: 60,
  GetRolePolicy: 60,
  ListRolePolicies: 60,
  ListAttachedRolePolicies: 60,
  GetPolicy: 60,
  GetPolicyVersion: 60,
  // Organizations
  DescribeOrganization: 50,
  ListRoots: 50,
  ListAccounts: 50,
  ListAccountsForParent: 50,
  ListOrganizationalUnitsForParent: 50,
  ListChildren: 50,
  DescribeAccount: 50,
  ListDelegatedAdministrators: 50,
  ListAWSServiceAccessForOrganization: 50,
  // Cost and Usage Reports, Data Exports, Account, S3
  DescribeReportDefinitions: 60,
  ListExports: 60,
  GetRegionOptStatus: 60,
  ListRegions: 60,
  GetBucketPolicy: 60,
  GetBucketLocation: 60,
};

export const DISCOVERY_LATENCY_MS = 50;

export const latencyOf = (operation: string): number => LATENCY_MS[operation] ?? 0;

/** Preflight's steps one after another (main/core/onboarding/preflight.ts): credentials, then who we are. */
const PREFLIGHT_SEQUENTIAL = ['AssumeRole', 'GetCallerIdentity'];

/**
 * The reads preflight then makes at once, by operation, with how many of them one account makes: iam:GetRole on
 * the access role and on the platform role, and DescribeStacks.
 */
const PREFLIGHT_PARALLEL_READS: Readonly<Record<string, number>> = { GetRole: 2, DescribeStacks: 1 };

/**
 * Preflight's dependent path per account: AssumeRole + GetCallerIdentity + the slowest of the reads that follow
 * at once. It replaces the sum of every per-account call as one chain, which stopped being a bound when those
 * reads went parallel: it counted them one after another (390 ms an account at the proxy's latencies, against a
 * 270 ms path), so a preflight could beat it. Each step is (latency + perCallMs) × calls per account, as the
 * proxy counted them in the same run (a retried call weighs more, the management account's skipped AssumeRole
 * less); GetRole's calls are split over its two reads, since they run side by side, not one after the other.
 * With perCallMs = moto's S, the path costs 3 × S an account (three calls on it), not S per call made.
 */
export function preflightPathMs(
  byOperation: Readonly<Record<string, number>>,
  accounts: number,
  perCallMs = 0,
): number {
  const stepMs = (operation: string, readsPerAccount = 1): number =>
    ((latencyOf(operation) + perCallMs) * (byOperation[operation] ?? 0)) / (accounts * readsPerAccount);
  const sequential = PREFLIGHT_SEQUENTIAL.reduce((sum, operation) => sum + stepMs(operation), 0);
  const slowestRead = Math.max(
    0,
    ...Object.entries(PREFLIGHT_PARALLEL_READS).map(([operation, reads]) => stepMs(operation, reads)),
  );
  return sequential + slowestRead;
}

/**
 * Health's dependent path per connection, as the checks make their calls (drift, Regions and CUR skipped):
 * AssumeRole, then at once GetRole (role-exists, role-trust), DescribeStacks (stack-status) and the role-policies
 * reads, whose longest chain is ListRolePolicies → GetRolePolicy (the inline documents fetched together). Only the
 * operations made for ≥ 90% of the connections count; each call on the path costs L + perCallMs.
 */
export function healthPathMs(
  byOperation: Readonly<Record<string, number>>,
  connections: number,
  perCallMs = 0,
): number {
  const made = (operation: string): boolean => (byOperation[operation] ?? 0) >= connections * 0.9;
  const call = (operation: string): number => (made(operation) ? latencyOf(operation) + perCallMs : 0);
  const inlineChain = call('ListRolePolicies') + (made('ListRolePolicies') ? call('GetRolePolicy') : 0);
  const afterCredentials = Math.max(
    call('GetRole'),
    call('DescribeStacks'),
    call('ListAttachedRolePolicies'),
    inlineChain,
  );
  return latencyOf('AssumeRole') + perCallMs + afterCredentials;
}

export interface DeployBoundInput {
  stackMs: number;
  concurrency: number;
  /** Resource stacks the run created. */
  memberCreates: number;
  billingCreated: boolean;
  perCallMs?: number;
}

/**
 * The deploy part (after plan): billing alone first (the billing gate), then ⌈members / c⌉ waves of
 * DescribeStacks + CreateStack + T + DescribeStacks — as bench/deploy-throughput.ts, credentials from preflight.
 */
export function deployBoundMs(input: DeployBoundInput): number {
  const describe = latencyOf('DescribeStacks');
  const stack = describe + latencyOf('CreateStack') + input.stackMs + describe + 3 * (input.perCallMs ?? 0);
  const waves = Math.ceil(input.memberCreates / input.concurrency);
  return (input.billingCreated ? stack : 0) + waves * stack;
}

export function emulatorAwareBoundMs(chainWithEmulatorMs: number, motoBusyMs: number): number {
  return Math.round(Math.max(chainWithEmulatorMs, motoBusyMs));
}
