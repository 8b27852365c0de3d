/**
 * The profile's credentials, resolved once and shared by every client of a factory until they near expiry.
 * Without it each SDK client (STS, Organizations, CloudFormation, …) resolves the profile on its own: a role
 * chain is assumed once per client and, with `mfa_serial`, the person is asked for an MFA code once per client.
 * The AWS CLI likewise asks once and reuses the session until it expires.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Refresh this long before expiry, as the SDK does. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

export function sharedIdentity(
  provider: AwsCredentialIdentityProvider,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (credentials: AwsCredentialIdentity): boolean =>
    credentials.expiration === undefined ||
    credentials.expiration.getTime() - now() > REFRESH_BEFORE_EXPIRY_MS;
  return () => {
    if (cached !== undefined && fresh(cached)) return Promise.resolve(cached);
    // Concurrent callers share one resolution (one AssumeRole, one MFA prompt); a failure is not remembered.
    pending ??= provider()
      .then((credentials) => {
        cached = credentials;
        return credentials;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
