/**
 * The OIDC client registration (RegisterClient) a login needs. Registrations last about 90 days and are
 * cached where the AWS CLI caches them, under the CLI's key, so orgconnect and `aws sso login` reuse each
 * other's instead of registering a new client on every sign-in.
 */
import { RegisterClientCommand, type SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import {
  formatCacheTimestamp,
  parseCacheTimestamp,
  readCachedRegistration,
  writeCachedRegistration,
} from './cache-file.js';
import type { SsoClientRegistration, SsoClock, SsoTarget } from './types.js';

export type SsoGrantFlow = 'auth-code' | 'device-code';

export const DEFAULT_SSO_SCOPE = 'sso:account:access';
/** The CLI registers this exact URI (no port): loopback redirects match on any port (RFC 8252 §7.3). */
export const AUTH_CODE_REDIRECT_URI = 'http://127.0.0.1/oauth/callback';
const AUTH_CODE_GRANT_TYPES = ['authorization_code', 'refresh_token'];
/** Same margin as the CLI: a registration about to expire is replaced rather than used for a new login. */
const REGISTRATION_EXPIRY_WINDOW_MS = 15 * 60 * 1000;

export async function getClientRegistration(
  target: SsoTarget,
  flow: SsoGrantFlow,
  deps: { oidc: SSOOIDCClient; clock: SsoClock; homeDir?: string; signal?: AbortSignal },
): Promise<SsoClientRegistration> {
  const cached = await readCachedRegistration(target, { homeDir: deps.homeDir });
  if (cached !== undefined && isReusable(cached, flow, deps.clock.now())) return cached;

  const scopes =
    target.registrationScopes !== undefined && target.registrationScopes.length > 0
      ? target.registrationScopes
      : undefined;
  const clientName = `orgconnect-${target.sessionName ?? Math.floor(deps.clock.now() / 1000)}`;
  const input =
    flow === 'auth-code'
      ? {
          clientName,
          clientType: 'public',
          grantTypes: AUTH_CODE_GRANT_TYPES,
          redirectUris: [AUTH_CODE_REDIRECT_URI],
          issuerUrl: target.startUrl,
          scopes: scopes ?? [DEFAULT_SSO_SCOPE],
        }
      : { clientName, clientType: 'public', ...(scopes === undefined ? {} : { scopes }) };
  const response = await deps.oidc.send(new RegisterClientCommand(input), { abortSignal: deps.signal });
  if (!response.clientId || !response.clientSecret) {
    throw new Error('RegisterClient returned no client id or secret');
  }
  const expiresAtMs =
    response.clientSecretExpiresAt === undefined ? deps.clock.now() : response.clientSecretExpiresAt * 1000;
  const registration: SsoClientRegistration = {
    clientId: response.clientId,
    clientSecret: response.clientSecret,
    expiresAt: formatCacheTimestamp(new Date(expiresAtMs)),
    ...(input.scopes === undefined ? {} : { scopes: input.scopes }),
    ...(flow === 'auth-code' ? { grantTypes: AUTH_CODE_GRANT_TYPES } : {}),
  };
  await writeCachedRegistration(target, registration, { homeDir: deps.homeDir });
  return registration;
}

function isReusable(registration: SsoClientRegistration, flow: SsoGrantFlow, now: number): boolean {
  if (parseCacheTimestamp(registration.expiresAt) - now < REGISTRATION_EXPIRY_WINDOW_MS) return false;
  // The CLI only recorded grantTypes for auth-code registrations, so "none" means a device-code one.
  const forAuthCode = registration.grantTypes?.includes('authorization_code') ?? false;
  return flow === 'auth-code' ? forAuthCode : !forAuthCode;
}
