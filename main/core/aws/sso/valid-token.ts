/**
 * A usable access token without a login when one can be had: the cached token if it has more than five
 * minutes left (the SDK's window), else a silent refresh with the cached refresh token. When neither works
 * the answer is SSO_LOGIN_REQUIRED, which the hosts turn into a "sign in again" prompt.
 */
import { CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
import { awsErrorName, describeError, OrgConnectError } from '../../errors.js';
import {
  formatCacheTimestamp,
  parseCacheTimestamp,
  readCachedToken,
  ssoCacheFilePath,
  writeCachedToken,
} from './cache-file.js';
import { createOidcClient } from './endpoints.js';
import { loginRequiredError, ssoDisplayName } from './sso-errors.js';
import { systemSsoClock } from './system-clock.js';
import type { SsoCachedToken, SsoEnvironmentOptions, SsoTarget, SsoToken } from './types.js';

export const TOKEN_REFRESH_WINDOW_MS = 5 * 60 * 1000;

/** Answers from CreateToken that mean the refresh token or the client registration is no longer any good. */
const LOGIN_AGAIN_ERRORS = new Set([
  'InvalidGrantException',
  'InvalidClientException',
  'ExpiredTokenException',
  'UnauthorizedClientException',
  'AccessDeniedException',
]);

/**
 * Refresh tokens may be single-use, so two callers refreshing the same session at once would log each other
 * out: callers in this process share one refresh per cache file.
 */
const inFlight = new Map<string, Promise<SsoToken>>();

export async function getValidToken(
  target: SsoTarget,
  options: SsoEnvironmentOptions & { signal?: AbortSignal } = {},
): Promise<SsoToken> {
  const key = ssoCacheFilePath(target, options);
  const pending = inFlight.get(key);
  if (pending !== undefined) return pending;
  const work = resolveToken(target, options).finally(() => inFlight.delete(key));
  inFlight.set(key, work);
  return work;
}

async function resolveToken(
  target: SsoTarget,
  options: SsoEnvironmentOptions & { signal?: AbortSignal },
): Promise<SsoToken> {
  const clock = options.clock ?? systemSsoClock;
  const cached = await readCachedToken(target, options);
  if (cached === undefined || !sameStartUrl(cached, target))
    throw loginRequiredError(target, options.profile);
  const expiresAtMs = parseCacheTimestamp(cached.expiresAt);
  const now = clock.now();
  if (expiresAtMs - now > TOKEN_REFRESH_WINDOW_MS) {
    return { accessToken: cached.accessToken, expiresAt: new Date(expiresAtMs) };
  }

  const { clientId, clientSecret, refreshToken, registrationExpiresAt } = cached;
  const registrationExpired =
    registrationExpiresAt !== undefined && !(parseCacheTimestamp(registrationExpiresAt) > now);
  if (!clientId || !clientSecret || !refreshToken || registrationExpired) {
    throw loginRequiredError(target, options.profile);
  }

  const oidc = createOidcClient(target.region, options);
  try {
    const response = await oidc.send(
      new CreateTokenCommand({ clientId, clientSecret, grantType: 'refresh_token', refreshToken }),
      { abortSignal: options.signal },
    );
    if (!response.accessToken || response.expiresIn === undefined) {
      throw new Error('CreateToken returned no access token');
    }
    const expiresAt = new Date(Math.floor((clock.now() + response.expiresIn * 1000) / 1000) * 1000);
    const refreshed: SsoCachedToken = {
      ...cached,
      accessToken: response.accessToken,
      expiresAt: formatCacheTimestamp(expiresAt),
      // The service may rotate the refresh token; keep the old one only when it sends none.
      refreshToken: response.refreshToken || refreshToken,
    };
    await writeCachedToken(target, refreshed, options);
    return { accessToken: response.accessToken, expiresAt };
  } catch (error) {
    if (LOGIN_AGAIN_ERRORS.has(awsErrorName(error) ?? ''))
      throw loginRequiredError(target, options.profile, error);
    // A failed refresh (network, outage) need not stop work while the old token still has a few minutes.
    if (expiresAtMs > clock.now())
      return { accessToken: cached.accessToken, expiresAt: new Date(expiresAtMs) };
    const fix =
      options.profile === undefined
        ? 'Run: orgconnect login'
        : `Run: orgconnect login --profile ${options.profile}`;
    throw new OrgConnectError(
      'SSO_REFRESH_FAILED',
      `Could not refresh the IAM Identity Center session for ${ssoDisplayName(target)}: ${describeError(error)}`,
      { fix: `Check the network connection, or sign in again. ${fix}`, cause: error },
    );
  } finally {
    oidc.destroy();
  }
}

/** A cache file written for another portal (e.g. the sso-session's URL was changed) is not this session's. */
function sameStartUrl(cached: SsoCachedToken, target: SsoTarget): boolean {
  if (cached.startUrl === undefined) return true;
  const normalise = (url: string): string => url.trim().replace(/\/+$/, '').toLowerCase();
  return normalise(cached.startUrl) === normalise(target.startUrl);
}
