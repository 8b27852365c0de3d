/**
 * What an SDK client for (profile, service) needs, decided explicitly: region, endpoint and credentials.
 * SDK v3 would work most of this out itself from `new XClient({ profile })`, but only from process.env and with
 * files cached for the life of the process; returning the decision lets the client factory build clients that
 * follow the injected environment and the current files, and lets the UI show where each value came from.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { OrgConnectError } from '../../errors.js';
import { credentialProviderFor, type CredentialProviderOptions } from './credential-provider.js';
import {
  resolveUsableEndpoint,
  resolveRegion,
  type AwsServiceId,
  type EndpointSource,
  type RegionSource,
} from './endpoint-resolution.js';
import { readAwsConfigSnapshot } from './load-local-aws-config.js';

export interface ResolvedClientConfig {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  regionSource: RegionSource;
  endpointSource: EndpointSource;
}

export async function resolveClientConfig(
  profileName: string,
  service: AwsServiceId,
  options: CredentialProviderOptions = {},
): Promise<ResolvedClientConfig> {
  const env = options.env ?? process.env;
  const snapshot = await readAwsConfigSnapshot(env);
  const profile = snapshot.profiles[profileName];
  if (profile === undefined) {
    throw new OrgConnectError(
      'PROFILE_NOT_FOUND',
      `Profile "${profileName}" is not in ${snapshot.paths.configFile} or ${snapshot.paths.credentialsFile}.`,
      { fix: 'Choose a profile that "aws configure list-profiles" shows, or create it.' },
    );
  }
  const region = resolveRegion(env, profile);
  const endpoint = resolveUsableEndpoint({
    env,
    service,
    profileName,
    // Endpoint settings are read with config-file values winning (the SDK's preferredFile default).
    profile: { ...snapshot.credentialsData[profileName], ...snapshot.configData[profileName] },
    configData: snapshot.configData,
  });
  return {
    region: region.region,
    ...(endpoint.endpoint === undefined ? {} : { endpoint: endpoint.endpoint }),
    credentials: credentialProviderFor(profileName, { ...options, env }),
    regionSource: region.source,
    endpointSource: endpoint.source,
  };
}
