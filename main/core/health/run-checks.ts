/**
 * Runs every applicable check for one connection: resolves the account's credentials once, builds its clients,
 * and turns anything a check throws into an `unknown` result, so one broken call never hides the others.
 */
import type { AccountClient } from '@aws-sdk/client-account';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { describeError } from '../errors.js';
import type { OrganizationSnapshot } from '../org/types.js';
import {
  createCheckContext,
  type CheckOptions,
  type HealthAwsClients,
  type HealthCheck,
  type Sender,
} from './check-context.js';
import { overallHealth, result, type CheckResult, type ConnectionHealth } from './check-result.js';
import { ALL_CHECKS } from './checks/index.js';
import { connectionKey, type Connection } from './connection.js';
import type { CurPort } from '../billing/cur-port.js';

export interface HealthServiceClients {
  CloudFormation: Sender<CloudFormationClient>;
  IAM: Sender<IAMClient>;
  Account: Sender<AccountClient>;
  STS: Sender<STSClient>;
}
export type HealthService = keyof HealthServiceClients;

export interface HealthClientTarget {
  accountKey: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  region?: string;
}

/** Same shape as `AwsClientFactory.client`, so the app passes `(s, t) => factory.client(s, t)`. */
export type HealthClientBuilder = <S extends HealthService>(
  service: S,
  target: HealthClientTarget,
) => HealthServiceClients[S];

export interface ConnectionCheckDeps {
  /** Credentials in the connection's account (the access role assumed from the management account). */
  credentialsFor(accountId: string): Promise<AwsCredentialIdentity>;
  clientFor: HealthClientBuilder;
  /** The CUR / Data Exports port for a Billing account; when absent the CUR check is unknown. */
  curPortFor?(accountId: string, credentials: AwsCredentialIdentityProvider): CurPort;
  snapshot?: OrganizationSnapshot | undefined;
  options?: CheckOptions;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Defaults to ALL_CHECKS; tests may narrow it. */
  checks?: readonly HealthCheck[];
}

export async function checkConnection(
  connection: Connection,
  deps: ConnectionCheckDeps,
): Promise<ConnectionHealth> {
  const now = deps.now ?? Date.now;
  const options = deps.options ?? {};
  const skip = new Set(options.skip ?? []);
  const checks = (deps.checks ?? ALL_CHECKS).filter((check) => check.appliesTo?.(connection) ?? true);

  let clients: HealthAwsClients | undefined;
  let unreachable: string | undefined;
  if (checks.some((check) => check.needsAws && !skip.has(check.id))) {
    try {
      await deps.credentialsFor(connection.accountId);
      const provider: AwsCredentialIdentityProvider = () => deps.credentialsFor(connection.accountId);
      const target = { accountKey: connection.accountId, credentials: provider };
      clients = {
        cloudFormation: deps.clientFor('CloudFormation', { ...target, region: connection.region }),
        iam: deps.clientFor('IAM', target),
        account: deps.clientFor('Account', target),
        stsIn: (region) => deps.clientFor('STS', { ...target, region }),
      };
      if (connection.kind === 'billing' && deps.curPortFor)
        clients.cur = deps.curPortFor(connection.accountId, provider);
    } catch (error) {
      unreachable = `Cannot reach account ${connection.accountId}: ${describeError(error)}`;
    }
  }

  const context = createCheckContext({
    connection,
    snapshot: deps.snapshot,
    clients,
    unreachable,
    options,
    now,
    ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
  });

  const results = await Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      if (skip.has(check.id)) return result(check.id, 'skipped', 'Skipped by request.');
      if (check.needsAws && unreachable !== undefined) return result(check.id, 'unknown', unreachable);
      try {
        return await check.run(context);
      } catch (error) {
        return result(check.id, 'unknown', `The check could not run: ${describeError(error)}`);
      }
    }),
  );
  return {
    connectionKey: connectionKey(connection),
    overall: overallHealth(results),
    checkedAt: new Date(now()).toISOString(),
    checks: results,
  };
}
