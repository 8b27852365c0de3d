/**
 * What every check receives: the connection, the clients for its account, the inputs some checks need (the
 * discovery snapshot, the templates) and memoised lookups, so GetRole and DescribeStacks run once per
 * connection however many checks read them.
 */
import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import type { AccountClient } from '@aws-sdk/client-account';
import { GetRoleCommand, type IAMClient, type Role } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import { awsErrorName } from '../errors.js';
import type { OrganizationSnapshot } from '../org/types.js';
import type { CheckId, CheckResult } from './check-result.js';
import type { Connection } from './connection.js';
import type { CurPort } from '../billing/cur-port.js';

export type Sender<C extends { send: unknown }> = Pick<C, 'send'>;

/** The AWS clients of one connection's account (credentials already applied). */
export interface HealthAwsClients {
  /** In the connection's region, where its stack is. */
  cloudFormation: Sender<CloudFormationClient>;
  iam: Sender<IAMClient>;
  account: Sender<AccountClient>;
  /** STS in a given Region, to prove the regional endpoint is active. */
  stsIn(region: string): Sender<STSClient>;
  /** Billing connections only; absent means the CUR check is unknown. */
  cur?: CurPort;
}

export interface CheckOptions {
  /** Checks the caller chose not to run; they are reported as `skipped`, never as passed. */
  skip?: readonly CheckId[];
  /** Hours after deploy before a never-used role is a warning (default 24). */
  lastUsedGraceHours?: number;
  /** Regions the accounts use besides the stack's Region (opt-in Regions the account enabled are added). */
  regions?: readonly string[];
  /** How long to wait for drift detection before giving up as unknown (default 60 s). */
  driftTimeoutMs?: number;
  /** Hours after which a CUR/Data Export delivery counts as stale (default 48). */
  curStaleHours?: number;
}

export type Lookup<T> = { found: true; value: T } | { found: false } | { found: 'error'; error: unknown };

export interface CheckContext {
  connection: Connection;
  snapshot: OrganizationSnapshot | undefined;
  /** Undefined when the account could not be reached (then every AWS check is unknown with `unreachable`). */
  clients: HealthAwsClients | undefined;
  unreachable?: string;
  options: CheckOptions;
  now(): number;
  sleep(ms: number): Promise<void>;
  role(): Promise<Lookup<Role>>;
  stack(): Promise<Lookup<Stack>>;
}

export interface HealthCheck {
  id: CheckId;
  /** Whether the check means anything for this connection (e.g. CUR only for Billing). */
  appliesTo?(connection: Connection): boolean;
  /** Needs the account's AWS clients (false: account-active, which reads the discovery snapshot). */
  needsAws: boolean;
  run(context: CheckContext): Promise<CheckResult>;
}

function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

export interface CheckContextInput {
  connection: Connection;
  snapshot?: OrganizationSnapshot | undefined;
  clients?: HealthAwsClients | undefined;
  unreachable?: string | undefined;
  options?: CheckOptions;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createCheckContext(input: CheckContextInput): CheckContext {
  const { connection, clients } = input;
  const context: CheckContext = {
    connection,
    snapshot: input.snapshot,
    clients,
    options: input.options ?? {},
    now: input.now ?? Date.now,
    sleep: input.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    role: memo(async (): Promise<Lookup<Role>> => {
      if (!clients) return { found: 'error', error: new Error(input.unreachable ?? 'account not reachable') };
      try {
        const out = await clients.iam.send(new GetRoleCommand({ RoleName: connection.roleName }));
        return out.Role ? { found: true, value: out.Role } : { found: false };
      } catch (error) {
        const name = awsErrorName(error);
        if (name === 'NoSuchEntity' || name === 'NoSuchEntityException') return { found: false };
        return { found: 'error', error };
      }
    }),
    stack: memo(async (): Promise<Lookup<Stack>> => {
      if (!clients) return { found: 'error', error: new Error(input.unreachable ?? 'account not reachable') };
      try {
        const out = await clients.cloudFormation.send(
          new DescribeStacksCommand({ StackName: connection.stackName }),
        );
        const stack = out.Stacks?.[0];
        return stack && stack.StackStatus !== 'DELETE_COMPLETE'
          ? { found: true, value: stack }
          : { found: false };
      } catch (error) {
        // CloudFormation says "Stack with id X does not exist" as a ValidationError.
        if (
          awsErrorName(error) === 'ValidationError' &&
          /does not exist/i.test(String((error as Error).message))
        ) {
          return { found: false };
        }
        return { found: 'error', error };
      }
    }),
  };
  if (input.unreachable !== undefined) context.unreachable = input.unreachable;
  return context;
}
