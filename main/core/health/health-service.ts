/**
 * Health and reports over the connections orgconnect made: which connections exist (from the run journals), checking
 * them with the management profile's access into each account, and the latest results for reports.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsClientFactory } from '../aws/client-factory.js';
import { createAccountCredentials } from '../onboarding/account-credentials.js';
import { listRuns, readRunState } from '../onboarding/journal.js';
import type { OrganizationSnapshot } from '../org/index.js';
import { OrgConnectError } from '../errors.js';
import { connectionKey, connectionsFromRun, type Connection } from './connection.js';
import { createSdkCurPort, type CurPort } from '../billing/cur-port.js';
import { createHealthMonitor, type HealthEvent, type HealthMonitor } from './monitor.js';
import { createHealthHistory } from './history.js';
import type { ConnectionHealth } from './check-result.js';
import type { CheckOptions } from './check-context.js';

/**
 * The connections of one run, or — without a run — of every finished or running run in the data directory, the
 * newest run winning for an account it shares with an older one. `managementAccountId` narrows to one Organization.
 */
export async function loadConnections(
  dataDir: string,
  options: { runId?: string; managementAccountId?: string } = {},
): Promise<Connection[]> {
  if (options.runId !== undefined) return connectionsFromRun(await readRunState(dataDir, options.runId));
  const byKey = new Map<string, Connection>();
  // Newest run first: a connection a newer disconnect run removed is not brought back by an older deploy run.
  const disconnected = new Set<string>();
  for (const listing of await listRuns(dataDir)) {
    if (listing.status === 'unreadable') continue;
    if (options.managementAccountId && listing.managementAccountId !== options.managementAccountId) continue;
    const state = await readRunState(dataDir, listing.runId);
    for (const connection of connectionsFromRun(state)) {
      const key = connectionKey(connection);
      if (!byKey.has(key) && !disconnected.has(key)) byKey.set(key, connection);
    }
    for (const account of state.accounts) {
      const key = connectionKey(account);
      if (account.state === 'disconnected' && !byKey.has(key)) disconnected.add(key);
    }
  }
  return [...byKey.values()];
}

export interface HealthCheckRequest {
  factory: AwsClientFactory;
  snapshot: OrganizationSnapshot;
  dataDir: string;
  accessRoleName: string;
  options?: CheckOptions;
  onEvent?: (event: HealthEvent) => void;
  onChecked?: (current: ConnectionHealth, changed: boolean, previous?: ConnectionHealth) => void;
  /** After each interval round (not after checkNow), with its results. */
  onRound?: (results: ConnectionHealth[]) => void | Promise<void>;
}

/**
 * Cost and Usage Report ports over the profile's endpoint for that API (an emulator's or VPC endpoint from the AWS
 * config, AWS's own otherwise), for any credentials: the management profile's or an account's assumed ones.
 */
export async function curPortsFor(
  factory: AwsClientFactory,
): Promise<(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider) => CurPort> {
  const endpoint = await factory.resolveEndpoint('Cost and Usage Report Service');
  return (credentials) => createSdkCurPort({ credentials, ...(endpoint === undefined ? {} : { endpoint }) });
}

export async function createMonitorFor(request: HealthCheckRequest): Promise<HealthMonitor> {
  const { factory, snapshot } = request;
  const stsEndpoint = factory.endpointFor('STS');
  const credentials = createAccountCredentials({
    managementCredentials: factory.credentials,
    managementAccountId: snapshot.organization.managementAccountId,
    accessRoleName: request.accessRoleName,
    region: factory.region,
    ...(stsEndpoint === undefined ? {} : { stsEndpoint }),
  });
  const curPortWith = await curPortsFor(factory);
  return createHealthMonitor({
    dataDir: request.dataDir,
    credentialsFor: (accountId) => credentials.credentialsFor(accountId),
    clientFor: (service, target) => factory.client(service, target),
    curPortFor: (_accountId, provider) => curPortWith(provider),
    snapshot: () => snapshot,
    ...(request.options ? { options: request.options } : {}),
    ...(request.onEvent ? { onEvent: request.onEvent } : {}),
    ...(request.onChecked ? { onChecked: request.onChecked } : {}),
    ...(request.onRound ? { onRound: request.onRound } : {}),
  });
}

/** The newest recorded result of each connection (no AWS calls); for reports. */
export async function latestHealth(
  dataDir: string,
  connections: readonly Connection[],
): Promise<Map<string, ConnectionHealth>> {
  const history = createHealthHistory(dataDir);
  const latest = new Map<string, ConnectionHealth>();
  for (const connection of connections) {
    const results = await history.read(connectionKey(connection));
    const last = results.at(-1);
    if (last !== undefined) latest.set(connectionKey(connection), last);
  }
  return latest;
}

export function noConnectionsError(dataDir: string): OrgConnectError {
  return new OrgConnectError('NO_CONNECTIONS', `No connections are recorded in ${dataDir}.`, {
    fix: 'Connect accounts with "orgconnect deploy" first, or pass --data-dir where its runs are.',
  });
}
