/**
 * What Settings shows of the platform a host deploys for: the profile (name, version), the principals its roles
 * trust, the role path, and where connections are registered (or why nothing is). Pure: the registration comes
 * from the settings the service resolved (flags or ORGCONNECT_PLATFORM_URL / ORGCONNECT_NO_REGISTER).
 */
import type { PlatformProfile } from './platform-profile.js';

export interface PlatformDescription {
  id: PlatformProfile['id'];
  name: string;
  version: string;
  trustedAccountIds: string[];
  rolePath: string;
  registration: { endpoint: string } | { off: string };
}

export function describePlatform(
  profile: PlatformProfile,
  registration: { endpoint: string } | { off: string },
): PlatformDescription {
  return {
    id: profile.id,
    name: profile.name,
    version: profile.version,
    trustedAccountIds: [...profile.trustedAccountIds],
    rolePath: profile.rolePath,
    registration: 'off' in registration ? { off: registration.off } : { endpoint: registration.endpoint },
  };
}

/** The principals a profile's roles trust, as IAM writes them (`arn:aws:iam::<id>:root`). */
export function trustedPrincipalArns(trustedAccountIds: readonly string[]): string[] {
  return trustedAccountIds.map((accountId) => `arn:aws:iam::${accountId}:root`);
}
