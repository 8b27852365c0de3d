/** Which IAM Identity Center session a profile signs in to, from the profile as the AWS CLI reads it. */
import { OrgConnectError } from '../errors.js';
import type { LocalAwsConfig } from './config/index.js';
import type { SsoTarget } from './sso/index.js';

export function ssoTargetForProfile(config: LocalAwsConfig, profileName: string): SsoTarget {
  const profile = config.profiles.find((p) => p.name === profileName);
  if (profile === undefined) {
    throw new OrgConnectError(
      'PROFILE_NOT_FOUND',
      `Profile "${profileName}" is not in ${config.configFile}.`,
      {
        fix: 'Run "orgconnect profiles" to see the profiles this machine has.',
      },
    );
  }
  if (profile.kind === 'sso' && profile.ssoSession !== undefined) {
    const session = config.ssoSessions.find((s) => s.name === profile.ssoSession);
    if (session === undefined) {
      throw new OrgConnectError(
        'SSO_SESSION_MISSING',
        `Profile "${profileName}" names sso_session "${profile.ssoSession}", which is not in ${config.configFile}.`,
        { fix: `Add an [sso-session ${profile.ssoSession}] section with sso_start_url and sso_region.` },
      );
    }
    return {
      sessionName: session.name,
      startUrl: session.startUrl,
      region: session.region,
      ...(session.registrationScopes ? { registrationScopes: session.registrationScopes } : {}),
    };
  }
  if (profile.kind === 'sso-legacy' && profile.ssoStartUrl !== undefined && profile.ssoRegion !== undefined) {
    return { startUrl: profile.ssoStartUrl, region: profile.ssoRegion };
  }
  throw new OrgConnectError(
    'NOT_AN_SSO_PROFILE',
    `Profile "${profileName}" does not use IAM Identity Center.`,
    {
      fix: 'Only profiles with sso_session or sso_start_url sign in with "orgconnect login".',
    },
  );
}
