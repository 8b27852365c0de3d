/**
 * Region and endpoint for one (profile, service), with the precedence of the AWS SDKs' "service-specific
 * endpoints" feature as SDK v3 implements it (@smithy getEndpointUrlConfig / getEndpointFromConfig):
 *   AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls switch everything below off;
 *   AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL > [services x] <service> endpoint_url > profile endpoint_url.
 * (botocore and the SDK reference guide order the two environment variables before the config file too.)
 * Pure functions over an injected env and already-parsed files, so they are testable without any I/O.
 */
import type { ParsedIniData } from '@smithy/shared-ini-file-loader';
import { OrgConnectError } from '../../errors.js';
import type { RawProfile } from './profile-kind.js';

/** The SDK service id, as in AWS_ENDPOINT_URL_<SERVICE>; open-ended because every client has one. */
export type AwsServiceId =
  | 'STS'
  | 'Organizations'
  | 'CloudFormation'
  | 'IAM'
  | 'SSO'
  | 'SSO OIDC'
  | 'Account'
  | (string & Record<never, never>);

export type EndpointSource =
  | 'env-service' // AWS_ENDPOINT_URL_<SERVICE>
  | 'env-global' // AWS_ENDPOINT_URL
  | 'services-section' // [services x] <service> = / endpoint_url = ...
  | 'profile' // endpoint_url in the profile
  | 'ignored' // configured endpoints switched off
  | 'none';

export type RegionSource = 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile' | 'fallback';

export const FALLBACK_REGION = 'us-east-1';

export function serviceEnvName(service: string): string {
  return ['AWS_ENDPOINT_URL', ...service.split(' ').map((w) => w.toUpperCase())].join('_');
}

export function serviceConfigKey(service: string): string {
  return service
    .split(' ')
    .map((w) => w.toLowerCase())
    .join('_');
}

// The SDK's booleanSelector: exactly "true" or "false"; anything else is unusable and the next source is asked.
function strictBoolean(value: string | undefined): boolean | undefined {
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

export function resolveConfiguredEndpoint(input: {
  env: NodeJS.ProcessEnv;
  service: string;
  /** The profile with config-file values winning over credentials-file values (the SDK's default for config). */
  profile: RawProfile;
  configData: ParsedIniData;
}): { endpoint?: string; source: EndpointSource } {
  const { env, service, profile, configData } = input;
  const ignore =
    strictBoolean(env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']) ??
    strictBoolean(profile['ignore_configured_endpoint_urls']) ??
    false;
  if (ignore) return { source: 'ignored' };

  const fromServiceEnv = env[serviceEnvName(service)];
  if (fromServiceEnv) return { endpoint: fromServiceEnv, source: 'env-service' };
  const fromGlobalEnv = env['AWS_ENDPOINT_URL'];
  if (fromGlobalEnv) return { endpoint: fromGlobalEnv, source: 'env-global' };

  const servicesName = profile['services'];
  if (servicesName !== undefined) {
    const section = configData[`services.${servicesName}`];
    // The SDK's selector throws here, which discards the config file as a source: the profile's own
    // endpoint_url is not used either. loadLocalAwsConfig warns about it (SERVICES_SECTION_MISSING).
    if (section === undefined) return { source: 'none' };
    const fromSection = section[`${serviceConfigKey(service)}.endpoint_url`];
    if (fromSection) return { endpoint: fromSection, source: 'services-section' };
  }
  const fromProfile = profile['endpoint_url'];
  if (fromProfile) return { endpoint: fromProfile, source: 'profile' };
  return { source: 'none' };
}

/**
 * SDK v3 reads only AWS_REGION; the CLI v2 also reads AWS_DEFAULT_REGION (after AWS_REGION). Users who set up
 * the CLI often have only the latter, so it is honoured here, below AWS_REGION. An SSO profile's sso_region is
 * where the SSO portal lives, not where clients call, so it never counts.
 */
export function resolveRegion(
  env: NodeJS.ProcessEnv,
  profile: RawProfile,
): { region: string; source: RegionSource } {
  if (env['AWS_REGION']) return { region: env['AWS_REGION'], source: 'AWS_REGION' };
  if (env['AWS_DEFAULT_REGION']) return { region: env['AWS_DEFAULT_REGION'], source: 'AWS_DEFAULT_REGION' };
  if (profile['region']) return { region: profile['region'], source: 'profile' };
  return { region: FALLBACK_REGION, source: 'fallback' };
}

/**
 * resolveConfiguredEndpoint, refusing an endpoint the SDK cannot call over HTTP: a typo'd or hostile
 * `endpoint_url = file:///…`, `ftp://…` or a bare host name would otherwise fail deep inside the SDK, or worse.
 * The error names the profile (or variable) and the scheme, never the URL, which may carry user:password.
 */
export function resolveUsableEndpoint(input: {
  env: NodeJS.ProcessEnv;
  service: string;
  profileName: string;
  profile: RawProfile;
  configData: ParsedIniData;
}): { endpoint?: string; source: EndpointSource } {
  const resolved = resolveConfiguredEndpoint(input);
  if (resolved.endpoint === undefined) return resolved;
  let scheme: string | undefined;
  try {
    scheme = new URL(resolved.endpoint).protocol;
  } catch {
    scheme = undefined;
  }
  if (scheme === 'https:' || scheme === 'http:') return resolved;
  const where =
    resolved.source === 'env-service'
      ? serviceEnvName(input.service)
      : resolved.source === 'env-global'
        ? 'AWS_ENDPOINT_URL'
        : resolved.source === 'services-section'
          ? `the [services ${input.profile['services'] ?? ''}] section used by profile ${input.profileName}`
          : `profile ${input.profileName}`;
  throw new OrgConnectError(
    'ENDPOINT_URL_INVALID',
    `The ${input.service} endpoint_url in ${where} is not an http(s) URL (${scheme === undefined ? 'not a URL' : `scheme ${scheme}`}).`,
    { fix: `Set it to an https:// URL (http:// only for a local emulator), or remove it, in ${where}.` },
  );
}
