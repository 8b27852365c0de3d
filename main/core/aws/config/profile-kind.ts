/**
 * Which credential source a profile uses, decided in the same order as @aws-sdk/credential-provider-ini's
 * resolveProfileData, so the kind shown to the user is the one fromIni will actually take.
 */
import type { ProfileKind } from './types.js';

/** One profile's raw settings, as the SDK's parser returns them. */
export type RawProfile = Readonly<Record<string, string | undefined>>;
/** Profile name → settings. */
export type RawProfiles = Readonly<Record<string, RawProfile | undefined>>;

export function isAssumeRoleProfile(p: RawProfile): boolean {
  return (
    typeof p['role_arn'] === 'string' &&
    // exactly one of the two sources; with both, fromIni falls through to the other kinds
    (typeof p['source_profile'] === 'string') !== (typeof p['credential_source'] === 'string')
  );
}

export function isStaticProfile(p: RawProfile): boolean {
  return typeof p['aws_access_key_id'] === 'string' && typeof p['aws_secret_access_key'] === 'string';
}

const SSO_KEYS = ['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'];

export function profileKind(p: RawProfile): ProfileKind {
  if (isAssumeRoleProfile(p)) return 'assume-role';
  if (isStaticProfile(p)) return 'static';
  if (typeof p['web_identity_token_file'] === 'string' && typeof p['role_arn'] === 'string')
    return 'web-identity';
  if (typeof p['credential_process'] === 'string') return 'credential-process';
  if (typeof p['sso_session'] === 'string') return 'sso';
  if (SSO_KEYS.some((key) => typeof p[key] === 'string')) return 'sso-legacy';
  return 'unknown';
}

export interface CredentialChainLink {
  profile: string;
  kind: ProfileKind;
}

/**
 * The profiles fromIni walks for `name`: each assume-role hop, then the profile that supplies the base
 * credentials. Like fromIni, a source profile with static keys is used as static even if it also has role_arn.
 * Stops at a cycle or a missing profile (fromIni reports those itself).
 */
export function credentialChain(profiles: RawProfiles, name: string): CredentialChainLink[] {
  const chain: CredentialChainLink[] = [];
  const visited = new Set<string>();
  let current: string | undefined = name;
  while (current !== undefined && !visited.has(current)) {
    visited.add(current);
    const data: RawProfile | undefined = profiles[current];
    if (data === undefined) break;
    if (chain.length > 0 && isStaticProfile(data)) {
      chain.push({ profile: current, kind: 'static' });
      break;
    }
    const kind = profileKind(data);
    chain.push({ profile: current, kind });
    current = kind === 'assume-role' ? data['source_profile'] : undefined;
  }
  return chain;
}
