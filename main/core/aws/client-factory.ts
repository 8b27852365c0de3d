/**
 * One place that builds AWS SDK clients, per (account, region, service), with the right credentials and endpoint.
 *
 * - Endpoints and the default region come from the management profile exactly as the AWS CLI resolves them
 *   (`endpoint_url`, `[services]`, `AWS_ENDPOINT_URL[_<SERVICE>]`), so the emulator in tests and a VPC endpoint in
 *   production are reached the same way, for member accounts too.
 * - Clients are cached per key, so the SDK's adaptive retry (with its client-side rate limiter) acts as one
 *   shared limit per account + service + region, as AWS throttles per account. The cache keeps the most recently
 *   used CLIENT_CACHE_LIMIT clients: an SDK client is ~60 KB of heap, so caching every client of a 10,000-account
 *   plan, deploy or Health check held ~1 GiB; the accounts in flight (a few dozen) always stay cached.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { resolveClientConfig, type AwsServiceId, type CredentialProviderOptions } from './config/index.js';
import { USER_AGENT } from '../app-info.js';
import { ORGANIZATIONS_CLIENT_RETRY } from '../org/index.js';
import { sharedRequestHandler } from './shared-connections.js';
import { sharedIdentity } from './shared-identity.js';
import { tagEndpointContext, type EndpointContext } from '../person-error.js';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

interface ServiceClients {
  STS: STSClient;
  Organizations: OrganizationsClient;
  CloudFormation: CloudFormationClient;
  IAM: IAMClient;
  Account: AccountClient;
}
type FactoryService = keyof ServiceClients;

const constructors: { [S in FactoryService]: new (config: ClientSettings) => ServiceClients[S] } = {
  STS: STSClient,
  Organizations: OrganizationsClient,
  CloudFormation: CloudFormationClient,
  IAM: IAMClient,
  Account: AccountClient,
};

interface ClientSettings {
  region: string;
  endpoint?: string;
  credentials: Credentials;
  customUserAgent: string;
  maxAttempts: number;
  retryMode: string;
  /** The endpoint was decided by resolveClientConfig; the SDK must not re-read it from process.env. */
  ignoreConfiguredEndpointUrls: boolean;
  requestHandler: ReturnType<typeof sharedRequestHandler>;
}

export interface ClientFactoryOptions extends CredentialProviderOptions {
  /** Attempts per call, including the first (SDK retry: throttling, 5xx, network). */
  maxAttempts?: number;
  /** Clients kept (least recently used dropped first); CLIENT_CACHE_LIMIT by default. */
  clientCacheLimit?: number;
}

/** Far above what is in flight at once (concurrency 64 × the ~4 services one account uses). */
export const CLIENT_CACHE_LIMIT = 1024;

/** Builds clients for one management profile and the accounts reached from it. */
export interface AwsClientFactory {
  readonly profile: string;
  /** The profile's region (where global services and stacks go unless told otherwise). */
  readonly region: string;
  /** The profile's own credentials. */
  readonly credentials: AwsCredentialIdentityProvider;
  /** The endpoint the profile's configuration names for a service, if any (an emulator, a VPC endpoint). */
  endpointFor(service: FactoryService): string | undefined;
  /** The configured endpoint for any other SDK service id (e.g. 'Cost and Usage Report Service'). */
  resolveEndpoint(serviceId: string): Promise<string | undefined>;
  client<S extends FactoryService>(
    service: S,
    target?: { accountKey?: string; credentials?: Credentials; region?: string },
  ): ServiceClients[S];
}

export async function createClientFactory(
  profile: string,
  options: ClientFactoryOptions = {},
): Promise<AwsClientFactory> {
  const services = Object.keys(constructors) as FactoryService[];
  const resolved = await Promise.all(
    services.map(
      async (service) =>
        [service, await resolveClientConfig(profile, service as AwsServiceId, options)] as const,
    ),
  );
  const byService = new Map(resolved);
  const sts = byService.get('STS');
  if (sts === undefined) throw new Error('unreachable: STS config not resolved');
  const cache = new Map<string, ServiceClients[FactoryService]>();
  const cacheLimit = options.clientCacheLimit ?? CLIENT_CACHE_LIMIT;
  // Every service resolves the same profile: resolve it once for all of them (one AssumeRole, one MFA prompt).
  const profileCredentials = sharedIdentity(sts.credentials);
  // Organizations allows only a few requests per second per account, so it gets more attempts to back off.
  const maxAttemptsFor = (service: FactoryService): number =>
    options.maxAttempts ?? (service === 'Organizations' ? ORGANIZATIONS_CLIENT_RETRY.maxAttempts : 6);

  return {
    profile,
    region: sts.region,
    credentials: profileCredentials,
    endpointFor: (service) => byService.get(service)?.endpoint,
    resolveEndpoint: async (serviceId) =>
      (await resolveClientConfig(profile, serviceId as AwsServiceId, options)).endpoint,
    client<S extends FactoryService>(
      service: S,
      target: { accountKey?: string; credentials?: Credentials; region?: string } = {},
    ): ServiceClients[S] {
      const config = byService.get(service);
      if (config === undefined) throw new Error(`no configuration for ${service}`);
      const region = target.region ?? config.region;
      const key = `${target.accountKey ?? 'profile'}|${service}|${region}`;
      const cached = cache.get(key);
      if (cached !== undefined) {
        // Most recently used last: a Map iterates in insertion order, so the first key is the one to drop.
        cache.delete(key);
        cache.set(key, cached);
        return cached as ServiceClients[S];
      }
      const settings: ClientSettings = {
        region,
        credentials: target.credentials ?? profileCredentials,
        customUserAgent: USER_AGENT,
        maxAttempts: maxAttemptsFor(service),
        retryMode: 'adaptive',
        ignoreConfiguredEndpointUrls: true,
        requestHandler: sharedRequestHandler(),
        ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
      };
      const Client = constructors[service] as new (config: ClientSettings) => ServiceClients[S];
      const created = new Client(settings);
      recordEndpointOnFailure(created, { profile, endpoint: config.endpoint, service, region });
      cache.set(key, created);
      // Dropped, not destroyed: the clients share one connection pool, and a caller may still hold this one.
      if (cache.size > cacheLimit) cache.delete(cache.keys().next().value as string);
      return created;
    },
  };
}

/**
 * A failed call's error remembers the profile and endpoint it went to, so a network failure reaching a person
 * names them (person-error.ts). Added at the initialize step: outside the SDK's retries, once per call.
 */
function recordEndpointOnFailure(
  client: { middlewareStack: { add: (middleware: never, options: never) => void } },
  context: EndpointContext,
): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>) =>
    async (args: unknown): Promise<unknown> => {
      try {
        return await next(args);
      } catch (error) {
        tagEndpointContext(error, context);
        throw error;
      }
    };
  client.middlewareStack.add(
    middleware as never,
    { step: 'initialize', name: 'orgconnectEndpointContext', override: true } as never,
  );
}
