/**
 * The STS calls fromIni makes for assume-role and web-identity profiles, with the region and endpoint that
 * resolveClientConfig(profile, 'STS') chose. Handing fromIni these functions (its roleAssumer options) rather
 * than `clientConfig` matters: fromIni passes `clientConfig` to the SSO clients too, which must keep their
 * sso_region and their own endpoints.
 */
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  STSClient,
  type AssumeRoleCommandInput,
  type AssumeRoleWithWebIdentityCommandInput,
  type Credentials,
} from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { describeError, OrgConnectError } from '../../errors.js';

export interface StsTarget {
  region: string;
  endpoint?: string;
  /** Session name for a role whose profile sets no role_session_name; given the role ARN. */
  sessionNameFor: (roleArn: string) => string | undefined;
  /** Asks the person for the MFA code when fromIni passed DEFERRED_MFA_CODE (see credential-provider.ts). */
  mfaCode?: (mfaSerial: string) => Promise<string>;
}

/**
 * Stands in for the MFA code in what fromIni hands the role assumer; the real code is asked for here, after the
 * source credentials exist. fromIni asks before it awaits the source credentials, so a prompt that fails (or a
 * slow one during which the source fails) leaves that promise rejected with no handler: an unhandledRejection,
 * which ends a Node process. Answering fromIni at once and asking here avoids it, and asks for the code as
 * late as possible, so it is still valid when STS checks it.
 */
export const DEFERRED_MFA_CODE = 'orgconnect-deferred-mfa-code';

function stsClient(target: StsTarget, credentials?: AwsCredentialIdentity): STSClient {
  return new STSClient({
    region: target.region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    // The endpoint was resolved from the injected environment; the client must not look again in process.env.
    ignoreConfiguredEndpointUrls: true,
    ...(credentials === undefined ? {} : { credentials }),
  });
}

function toIdentity(
  credentials: Credentials | undefined,
  roleArn: string | undefined,
): AwsCredentialIdentity {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new OrgConnectError(
      'ASSUME_ROLE_FAILED',
      `STS returned no credentials for ${roleArn ?? 'the role'}.`,
    );
  }
  const accountId = roleArn?.split(':')[4];
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken === undefined ? {} : { sessionToken: credentials.SessionToken }),
    ...(credentials.Expiration === undefined ? {} : { expiration: credentials.Expiration }),
    ...(accountId ? { accountId } : {}),
  };
}

export function mfaRequired(mfaSerial: string, cause?: unknown): OrgConnectError {
  return new OrgConnectError(
    'MFA_REQUIRED',
    `An MFA code from ${mfaSerial} is needed, and none was entered.`,
    {
      fix: 'Enter the current 6-digit code from that MFA device when asked (the desktop app and an interactive terminal ask).',
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

function assumeFailed(roleArn: string | undefined, error: unknown, hints: string[]): OrgConnectError {
  return new OrgConnectError(
    'ASSUME_ROLE_FAILED',
    `Could not assume ${roleArn ?? 'the role'}: ${describeError(error)}`,
    {
      fix: `Check that the role exists and trusts the source identity${hints.map((h) => `, ${h}`).join('')}.`,
      cause: error,
    },
  );
}

export function stsRoleAssumer(
  target: StsTarget,
): (source: AwsCredentialIdentity, params: AssumeRoleCommandInput) => Promise<AwsCredentialIdentity> {
  return async (source, params) => {
    const sessionName = params.RoleArn === undefined ? undefined : target.sessionNameFor(params.RoleArn);
    let tokenCode = params.TokenCode;
    if (tokenCode === DEFERRED_MFA_CODE && params.SerialNumber !== undefined) {
      if (target.mfaCode === undefined) throw mfaRequired(params.SerialNumber);
      tokenCode = await target.mfaCode(params.SerialNumber);
    }
    const client = stsClient(target, source);
    try {
      const response = await client.send(
        new AssumeRoleCommand({
          ...params,
          ...(sessionName === undefined ? {} : { RoleSessionName: sessionName }),
          ...(tokenCode === undefined ? {} : { TokenCode: tokenCode }),
        }),
      );
      return toIdentity(response.Credentials, response.AssumedRoleUser?.Arn ?? params.RoleArn);
    } catch (error) {
      if (error instanceof OrgConnectError) throw error;
      const hints = [
        ...(params.ExternalId === undefined ? [] : ['that external_id matches the trust policy']),
        ...(params.SerialNumber === undefined ? [] : ['and that the MFA code is current']),
      ];
      throw assumeFailed(params.RoleArn, error, hints);
    } finally {
      client.destroy();
    }
  };
}

export function stsWebIdentityAssumer(
  target: StsTarget,
): (params: AssumeRoleWithWebIdentityCommandInput) => Promise<AwsCredentialIdentity> {
  return async (params) => {
    const client = stsClient(target);
    const sessionName = params.RoleArn === undefined ? undefined : target.sessionNameFor(params.RoleArn);
    try {
      const response = await client.send(
        new AssumeRoleWithWebIdentityCommand({
          ...params,
          ...(sessionName === undefined ? {} : { RoleSessionName: sessionName }),
        }),
      );
      return toIdentity(response.Credentials, response.AssumedRoleUser?.Arn ?? params.RoleArn);
    } catch (error) {
      if (error instanceof OrgConnectError) throw error;
      throw assumeFailed(params.RoleArn, error, ['and that the web identity token is valid']);
    } finally {
      client.destroy();
    }
  };
}
