/**
 * Which SSO-OIDC and SSO portal endpoints to use. An explicit endpoint wins, then the service-specific
 * environment variable, then `AWS_ENDPOINT_URL` (the SDK's "configured endpoints" order), then AWS's own.
 * Resolved here rather than left to the SDK because the authorize URL of the auth-code flow is not an SDK
 * operation: it must be built on the same base the OIDC client talks to.
 */
import { SSOClient } from '@aws-sdk/client-sso';
import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';

export type Env = Record<string, string | undefined>;

export function resolveOidcEndpoint(options: { endpoint?: string; env?: Env }): string | undefined {
  const env = options.env ?? process.env;
  return (
    nonEmpty(options.endpoint) ??
    nonEmpty(env['AWS_ENDPOINT_URL_SSO_OIDC']) ??
    nonEmpty(env['AWS_ENDPOINT_URL'])
  );
}

export function resolvePortalEndpoint(options: { endpoint?: string; env?: Env }): string | undefined {
  const env = options.env ?? process.env;
  return (
    nonEmpty(options.endpoint) ?? nonEmpty(env['AWS_ENDPOINT_URL_SSO']) ?? nonEmpty(env['AWS_ENDPOINT_URL'])
  );
}

// Both clients get their endpoint explicitly, even AWS's default, so an injected `env` is the only one read:
// left alone, the SDK would also consult process.env and could disagree with the authorize URL.
export function createOidcClient(region: string, options: { endpoint?: string; env?: Env }): SSOOIDCClient {
  return new SSOOIDCClient({ region, endpoint: oidcBaseUrl(region, options) });
}

export function createPortalClient(region: string, options: { endpoint?: string; env?: Env }): SSOClient {
  const endpoint = resolvePortalEndpoint(options) ?? defaultPortalUrl(region);
  return new SSOClient({ region, endpoint });
}

/** `https://oidc.<region>.amazonaws.com` (or the partition's equivalent, or the configured endpoint), no slash. */
export function oidcBaseUrl(region: string, options: { endpoint?: string; env?: Env }): string {
  const endpoint = resolveOidcEndpoint(options);
  if (endpoint !== undefined) return endpoint.replace(/\/+$/, '');
  // The client's own rules know the partitions (amazonaws.com.cn, GovCloud), so ask them.
  const client = new SSOOIDCClient({ region });
  try {
    const resolved = client.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false });
    return resolved.url.href.replace(/\/+$/, '');
  } finally {
    client.destroy();
  }
}

function defaultPortalUrl(region: string): string {
  const client = new SSOClient({ region });
  try {
    const resolved = client.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false });
    return resolved.url.href.replace(/\/+$/, '');
  } finally {
    client.destroy();
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
