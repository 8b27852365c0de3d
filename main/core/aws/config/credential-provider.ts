/**
 * Credentials for a named profile, resolved by the SDK's own fromIni (static keys, assume-role chains with
 * external_id / mfa_serial / duration_seconds, credential_source, credential_process, web identity, SSO) and
 * turned into OrgConnectErrors a person can act on.
 *
 * Each call re-reads the files (ignoreCache), so an edited file is used without restarting; SDK clients memoise
 * the result until it nears expiry.
 */
import { fromIni } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { awsErrorName, describeError, OrgConnectError } from '../../errors.js';
import { resolveRegion, resolveUsableEndpoint } from './endpoint-resolution.js';
import { readAwsConfigSnapshot, type AwsConfigSnapshot } from './load-local-aws-config.js';
import { awsConfigPaths, awsHomeDir } from './paths.js';
import { runCredentialProcess } from './credential-process.js';
import { credentialChain, type CredentialChainLink, type RawProfiles } from './profile-kind.js';
import { DEFERRED_MFA_CODE, mfaRequired, stsRoleAssumer, stsWebIdentityAssumer } from './sts-role-assumer.js';

export interface CredentialProviderOptions {
  env?: NodeJS.ProcessEnv;
  /** Asked for the current code of the MFA device `mfaSerial` when a profile in the chain sets mfa_serial. */
  mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  /** Session name for assumed roles whose profile sets no role_session_name (shows in CloudTrail). */
  roleSessionName?: string;
}

export function credentialProviderFor(
  profileName: string,
  options: CredentialProviderOptions = {},
): AwsCredentialIdentityProvider {
  const env = options.env ?? process.env;
  return async () => {
    const snapshot = await readAwsConfigSnapshot(env);
    assertProfileExists(snapshot, profileName);
    const chain = credentialChain(snapshot.profiles, profileName);
    const base = chain.at(-1);
    const usesSso = base?.kind === 'sso' || base?.kind === 'sso-legacy';
    if (usesSso) assertSdkSeesSameFiles(snapshot, env, profileName);

    const mfaSerial = chain
      .filter((link) => link.kind === 'assume-role')
      .map((link) => snapshot.profiles[link.profile]?.['mfa_serial'])
      .find((serial) => serial !== undefined);
    if (mfaSerial !== undefined && options.mfaCodeProvider === undefined) throw mfaRequired(mfaSerial);

    const stsTarget = {
      ...stsRegionAndEndpoint(snapshot, profileName, env),
      sessionNameFor: (roleArn: string) => {
        const hop = chain.find((link) => snapshot.profiles[link.profile]?.['role_arn'] === roleArn);
        const fromProfile =
          hop === undefined ? undefined : snapshot.profiles[hop.profile]?.['role_session_name'];
        return fromProfile ?? options.roleSessionName;
      },
      ...(options.mfaCodeProvider === undefined ? {} : { mfaCode: askForMfaCode(options.mfaCodeProvider) }),
    };
    const roleAssumer = stsRoleAssumer(stsTarget);
    if (base?.kind === 'credential-process') {
      try {
        return await credentialsOverProcess(snapshot.profiles, chain, roleAssumer, env);
      } catch (error) {
        throw credentialError(error, profileName, chain);
      }
    }
    const provider = fromIni({
      profile: profileName,
      configFilepath: snapshot.paths.configFile,
      filepath: snapshot.paths.credentialsFile,
      ignoreCache: true,
      roleAssumer,
      roleAssumerWithWebIdentity: stsWebIdentityAssumer(stsTarget),
      // The real prompt happens in the role assumer; see DEFERRED_MFA_CODE for why.
      mfaCodeProvider: async () => DEFERRED_MFA_CODE,
      ...(usesSso ? ssoClientConfig(snapshot, base.profile, env) : {}),
    });
    try {
      return await provider();
    } catch (error) {
      throw credentialError(error, profileName, chain);
    }
  };
}

/**
 * A chain whose base is credential_process, walked here rather than by fromIni, whose fromProcess runs the value
 * through a shell (see credential-process.ts). The hops take the same parameters fromIni gives its role assumer.
 */
async function credentialsOverProcess(
  profiles: RawProfiles,
  chain: CredentialChainLink[],
  roleAssumer: ReturnType<typeof stsRoleAssumer>,
  env: NodeJS.ProcessEnv,
): Promise<AwsCredentialIdentity> {
  const base = chain.at(-1);
  const baseProfile = base === undefined ? undefined : profiles[base.profile];
  if (base === undefined || baseProfile?.['credential_process'] === undefined) {
    throw new Error('The profile chain has no credential_process.');
  }
  const accountId = baseProfile['aws_account_id'];
  let credentials = await runCredentialProcess({
    profile: base.profile,
    command: baseProfile['credential_process'],
    env,
    ...(accountId === undefined ? {} : { accountId }),
  });
  for (const hop of chain.slice(0, -1).reverse()) {
    const settings = profiles[hop.profile] ?? {};
    const mfaSerial = settings['mfa_serial'];
    credentials = await roleAssumer(credentials, {
      RoleArn: settings['role_arn'],
      RoleSessionName: settings['role_session_name'] || `aws-sdk-js-${Date.now()}`,
      ExternalId: settings['external_id'],
      DurationSeconds: Number.parseInt(settings['duration_seconds'] || '3600', 10),
      ...(mfaSerial ? { SerialNumber: mfaSerial, TokenCode: DEFERRED_MFA_CODE } : {}),
    });
  }
  return credentials;
}

function assertProfileExists(snapshot: AwsConfigSnapshot, profileName: string): void {
  if (snapshot.profiles[profileName] !== undefined) return;
  const known = snapshot.summary.profiles.map((p) => p.name);
  throw new OrgConnectError(
    'PROFILE_NOT_FOUND',
    `Profile "${profileName}" is not in ${snapshot.paths.configFile} or ${snapshot.paths.credentialsFile}.`,
    {
      fix:
        known.length === 0
          ? 'Create one with "aws configure --profile NAME" or "aws configure sso".'
          : `Choose one of: ${known.join(', ')}.`,
    },
  );
}

/**
 * fromIni hands SSO profiles to fromSSO without the file paths, so fromSSO reads the files (and the token cache
 * under HOME) named by process.env. When a caller injected a different environment, it would silently read other
 * files; refuse instead. In the app and CLI env is process.env and this never fires.
 */
function assertSdkSeesSameFiles(
  snapshot: AwsConfigSnapshot,
  env: NodeJS.ProcessEnv,
  profileName: string,
): void {
  const sdkPaths = awsConfigPaths(process.env);
  if (sdkPaths.configFile === snapshot.paths.configFile && awsHomeDir(process.env) === awsHomeDir(env))
    return;
  throw new OrgConnectError(
    'CREDENTIALS_UNAVAILABLE',
    `Profile ${profileName} uses SSO, which the AWS SDK resolves from this process's AWS_CONFIG_FILE and HOME, not from the environment given.`,
    {
      fix: 'Pass the process environment (or set AWS_CONFIG_FILE and HOME in it) when resolving SSO profiles.',
    },
  );
}

function stsRegionAndEndpoint(
  snapshot: AwsConfigSnapshot,
  profileName: string,
  env: NodeJS.ProcessEnv,
): { region: string; endpoint?: string } {
  const { region } = resolveRegion(env, snapshot.profiles[profileName] ?? {});
  const { endpoint } = resolveUsableEndpoint({
    env,
    service: 'STS',
    profileName,
    profile: { ...snapshot.credentialsData[profileName], ...snapshot.configData[profileName] },
    configData: snapshot.configData,
  });
  return endpoint === undefined ? { region } : { region, endpoint };
}

/**
 * fromIni gives one `clientConfig` to both the SSO portal client and the SSO OIDC (token refresh) client; their
 * region is sso_region either way. Set an endpoint only when both services resolve to the same one; otherwise each
 * client resolves its own configured endpoint, which (given the process-env check above) agrees with ours.
 */
function ssoClientConfig(
  snapshot: AwsConfigSnapshot,
  ssoProfile: string,
  env: NodeJS.ProcessEnv,
): { clientConfig?: { endpoint: string } } {
  const profile = { ...snapshot.credentialsData[ssoProfile], ...snapshot.configData[ssoProfile] };
  const portal = resolveUsableEndpoint({
    env,
    service: 'SSO',
    profileName: ssoProfile,
    profile,
    configData: snapshot.configData,
  });
  const oidc = resolveUsableEndpoint({
    env,
    service: 'SSO OIDC',
    profileName: ssoProfile,
    profile,
    configData: snapshot.configData,
  });
  return portal.endpoint !== undefined && portal.endpoint === oidc.endpoint
    ? { clientConfig: { endpoint: portal.endpoint } }
    : {};
}

function askForMfaCode(ask: (mfaSerial: string) => Promise<string>): (mfaSerial: string) => Promise<string> {
  return async (mfaSerial) => {
    let code: string;
    try {
      code = (await ask(mfaSerial)).trim();
    } catch (error) {
      // A host's own answer (cancelled, timed out) is already clear; anything else means no code was entered.
      if (error instanceof OrgConnectError) throw error;
      throw mfaRequired(mfaSerial, error);
    }
    if (code === '') throw mfaRequired(mfaSerial);
    return code;
  };
}

const SSO_LOGIN_PATTERN = /sso session|token|expired|refresh|unauthori[sz]ed|login/i;

function credentialError(error: unknown, profileName: string, chain: CredentialChainLink[]): OrgConnectError {
  if (error instanceof OrgConnectError) return error;
  const message = describeError(error);
  const base = chain.at(-1);

  if ((base?.kind === 'sso' || base?.kind === 'sso-legacy') && isSsoLoginProblem(error, message)) {
    return new OrgConnectError(
      'SSO_LOGIN_REQUIRED',
      `The SSO session for profile ${base.profile} has expired or was never started.`,
      { fix: `Run: orgconnect login --profile ${base.profile}`, cause: error },
    );
  }
  const kind = chain[0]?.kind ?? 'unknown';
  return new OrgConnectError(
    'CREDENTIALS_UNAVAILABLE',
    `Could not get credentials for profile ${profileName}: ${message.split('\n')[0]}`,
    {
      fix:
        kind === 'unknown'
          ? 'Give the profile aws_access_key_id + aws_secret_access_key, role_arn + source_profile, sso_session, or credential_process.'
          : `Check the ${kind} settings of profile ${profileName}${chainNote(chain)}.`,
      cause: error,
    },
  );
}

function isSsoLoginProblem(error: unknown, message: string): boolean {
  const name = awsErrorName(error);
  if (name === 'UnauthorizedException' || name === 'ExpiredTokenException') return true;
  return (
    (name === 'CredentialsProviderError' || name === 'TokenProviderError') && SSO_LOGIN_PATTERN.test(message)
  );
}

function chainNote(chain: CredentialChainLink[]): string {
  return chain.length > 1
    ? ` and of ${chain
        .slice(1)
        .map((link) => link.profile)
        .join(' → ')}`
    : '';
}
