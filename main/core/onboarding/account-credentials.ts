/**
 * Credentials for each account of the organization, by assuming the access role (OrganizationAccountAccessRole
 * by default) from the management account's credentials.
 *
 * - Cached per account and refreshed 5 minutes before expiry, so a long deploy never signs with dead keys.
 * - Concurrent callers for one account share one in-flight AssumeRole (8 parallel deploys must not make 8).
 * - 3600 s is requested: assuming a role with role-chained credentials (the usual case — the management
 *   profile is itself often an assumed role or SSO) is capped at one hour by STS, whatever the role allows.
 * - The management account uses the management credentials directly (it has no need to assume into itself,
 *   and OrganizationAccountAccessRole does not exist there).
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { OrgConnectError, awsErrorName, describeError } from '../errors.js';
import { systemClock, type Clock } from '../clock.js';
import { classifyAwsError, withRetry, type RetryPolicy } from './retry.js';

/** Structurally the SDK's AwsCredentialIdentity, so these pass straight to any client. */
export interface AccountCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Structurally the SDK's AwsCredentialIdentityProvider. */
export type CredentialsProvider = () => Promise<AccountCredentials>;

export type StsSender = Pick<STSClient, 'send'>;

export const DEFAULT_ACCESS_ROLE_NAME = 'OrganizationAccountAccessRole';
export const REFRESH_WINDOW_MS = 5 * 60_000;
const ROLE_CHAINING_MAX_SECONDS = 3600;

export interface AccountCredentialsOptions {
  managementCredentials: CredentialsProvider;
  /** Known from discovery; when absent it is looked up once with GetCallerIdentity. */
  managementAccountId?: string;
  accessRoleName?: string;
  region: string;
  stsEndpoint?: string;
  /** An STS client to use instead of building one (tests, or a host-built client with its own settings). */
  sts?: StsSender;
  clock?: Clock;
  roleSessionName?: string;
  retry?: Partial<RetryPolicy>;
  /**
   * Gets a member account's credentials another way than assuming the access role — IAM Identity Center's
   * GetRoleCredentials for a permission set — while keeping this module's caching and refresh.
   */
  memberCredentials?: (accountId: string) => Promise<AccountCredentials>;
}

export interface AccountCredentialsSource {
  credentialsFor(accountId: string): Promise<AccountCredentials>;
  /** A provider that always returns fresh credentials from the cache — give this to SDK clients. */
  providerFor(accountId: string): CredentialsProvider;
  managementAccountId(): Promise<string>;
  /** Forgets cached credentials (one account, or all), e.g. after AWS rejected them. */
  invalidate(accountId?: string): void;
}

interface CacheEntry {
  credentials: AccountCredentials;
}

export function accessRoleMissing(accountId: string, roleName: string, cause?: unknown): OrgConnectError {
  return new OrgConnectError('ACCESS_ROLE_MISSING', `Could not assume ${roleName} in ${accountId}.`, {
    fix: `Create ${roleName} in ${accountId} (trusting the management account), or choose another access role or Identity Center.`,
    cause,
  });
}

function assumeRoleFailure(error: unknown, accountId: string, roleName: string): OrgConnectError {
  if (error instanceof OrgConnectError) return error;
  const name = awsErrorName(error) ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (
    name === 'AccessDenied' ||
    name === 'AccessDeniedException' ||
    name === 'NoSuchEntity' ||
    name === 'NoSuchEntityException' ||
    /is not authorized to perform: sts:AssumeRole/i.test(message)
  ) {
    return accessRoleMissing(accountId, roleName, error);
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || name === 'InvalidClientTokenId') {
    return new OrgConnectError(
      'MANAGEMENT_CREDENTIALS_INVALID',
      `The management account's credentials were rejected (${name}).`,
      {
        fix: 'Sign in again with the management profile (e.g. orgconnect login), then retry.',
        cause: error,
      },
    );
  }
  if (name === 'RegionDisabledException') {
    return new OrgConnectError(
      'STS_REGION_DISABLED',
      `STS is not activated in this region for ${accountId}.`,
      {
        fix: 'Activate the STS regional endpoint in IAM account settings, or use the us-east-1 region.',
        cause: error,
      },
    );
  }
  return new OrgConnectError(
    'ASSUME_ROLE_FAILED',
    `Could not assume ${roleName} in ${accountId}: ${describeError(error)}`,
    {
      cause: error,
    },
  );
}

export function createAccountCredentials(options: AccountCredentialsOptions): AccountCredentialsSource {
  const clock = options.clock ?? systemClock;
  const roleName = options.accessRoleName ?? DEFAULT_ACCESS_ROLE_NAME;
  const sessionName = options.roleSessionName ?? 'orgconnect';
  const sts: StsSender =
    options.sts ??
    new STSClient({
      region: options.region,
      credentials: options.managementCredentials,
      ...(options.stsEndpoint === undefined ? {} : { endpoint: options.stsEndpoint }),
    });
  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<AccountCredentials>>();
  let managementId: Promise<string> | undefined =
    options.managementAccountId === undefined ? undefined : Promise.resolve(options.managementAccountId);

  const managementAccountId = (): Promise<string> => {
    managementId ??= sts.send(new GetCallerIdentityCommand({})).then(
      (identity) => {
        if (!identity.Account)
          throw new OrgConnectError(
            'MANAGEMENT_IDENTITY_UNKNOWN',
            'STS did not say which account the management credentials belong to.',
          );
        return identity.Account;
      },
      (error: unknown) => {
        managementId = undefined;
        throw assumeRoleFailure(error, 'the management account', roleName);
      },
    );
    return managementId;
  };

  const fresh = (credentials: AccountCredentials): boolean =>
    credentials.expiration === undefined ||
    credentials.expiration.getTime() - clock.now() > REFRESH_WINDOW_MS;

  const assume = async (accountId: string): Promise<AccountCredentials> => {
    const roleArn = `arn:aws:iam::${accountId}:role/${roleName}`;
    try {
      const out = await withRetry(
        () =>
          sts.send(
            new AssumeRoleCommand({
              RoleArn: roleArn,
              RoleSessionName: sessionName,
              DurationSeconds: ROLE_CHAINING_MAX_SECONDS,
            }),
          ),
        {
          clock,
          policy: options.retry,
          // A missing access role answers AccessDenied, which is also how a just-created role looks for a few
          // seconds; the eventual-consistency budget covers the second without stalling long on the first.
          classify: (error) =>
            awsErrorName(error) === 'AccessDenied' ? 'eventual-consistency' : classifyAwsError(error),
        },
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) {
        throw new OrgConnectError(
          'ASSUME_ROLE_FAILED',
          `STS returned no credentials for ${roleName} in ${accountId}.`,
        );
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
        ...(c.Expiration === undefined ? {} : { expiration: new Date(c.Expiration) }),
      };
    } catch (error) {
      throw assumeRoleFailure(error, accountId, roleName);
    }
  };

  const credentialsFor = async (accountId: string): Promise<AccountCredentials> => {
    const cached = cache.get(accountId);
    if (cached && fresh(cached.credentials)) return cached.credentials;
    const pending = inFlight.get(accountId);
    if (pending) return pending;
    const fetch = (async () => {
      const credentials =
        (await managementAccountId()) === accountId
          ? await options.managementCredentials()
          : await (options.memberCredentials ?? assume)(accountId);
      cache.set(accountId, { credentials });
      return credentials;
    })();
    inFlight.set(accountId, fetch);
    try {
      return await fetch;
    } finally {
      inFlight.delete(accountId);
    }
  };

  return {
    credentialsFor,
    providerFor: (accountId) => () => credentialsFor(accountId),
    managementAccountId,
    invalidate(accountId) {
      if (accountId === undefined) cache.clear();
      else cache.delete(accountId);
    },
  };
}
