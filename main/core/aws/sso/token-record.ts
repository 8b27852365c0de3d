/** Turns a CreateToken answer into the cache record the CLI would write, and writes it. */
import type { CreateTokenCommandOutput } from '@aws-sdk/client-sso-oidc';
import { formatCacheTimestamp, writeCachedToken } from './cache-file.js';
import type { SsoCachedToken, SsoClientRegistration, SsoClock, SsoTarget, SsoToken } from './types.js';

export async function saveNewToken(
  target: SsoTarget,
  registration: SsoClientRegistration,
  response: CreateTokenCommandOutput,
  deps: { clock: SsoClock; homeDir?: string },
): Promise<SsoToken> {
  const { accessToken, expiresIn } = response;
  if (!accessToken || expiresIn === undefined) throw new Error('CreateToken returned no access token');
  // Whole seconds, as the file holds them, so the returned expiry and the cached one agree.
  const expiresAt = new Date(Math.floor((deps.clock.now() + expiresIn * 1000) / 1000) * 1000);
  const record: SsoCachedToken = {
    startUrl: target.startUrl,
    region: target.region,
    accessToken,
    expiresAt: formatCacheTimestamp(expiresAt),
    // The registration travels with the token (as the CLI does) so the SDK and the CLI can refresh it too.
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    registrationExpiresAt: registration.expiresAt,
    ...(response.refreshToken ? { refreshToken: response.refreshToken } : {}),
  };
  await writeCachedToken(target, record, { homeDir: deps.homeDir });
  return { accessToken, expiresAt };
}
