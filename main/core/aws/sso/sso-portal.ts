/**
 * The AWS access portal API (client-sso): which accounts and roles the signed-in person has, and role
 * credentials for one of them. Every HTTP attempt of every call of one portal goes through one shared
 * limiter (≤ 20 requests/s by default) — the portal throttles hard, and discovery of a large organization
 * asks it for hundreds of accounts' roles at once.
 */
import { GetRoleCredentialsCommand, ListAccountRolesCommand, ListAccountsCommand } from '@aws-sdk/client-sso';
import { awsErrorName, describeError, isOrgConnectError, OrgConnectError } from '../../errors.js';
import { createPortalClient } from './endpoints.js';
import { createRateLimiter } from './rate-limiter.js';
import { loginRequiredError, ssoDisplayName } from './sso-errors.js';
import { systemSsoClock } from './system-clock.js';
import type { SsoEnvironmentOptions, SsoTarget } from './types.js';
import { getValidToken } from './valid-token.js';

export const DEFAULT_PORTAL_RATE_PER_SECOND = 20;

export interface SsoAccount {
  accountId: string;
  accountName?: string;
  emailAddress?: string;
}

export interface SsoRoleCredentials {
  accountId: string;
  roleName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface SsoPortal {
  /** Every account the person can reach, all pages. */
  listAccounts(options?: { signal?: AbortSignal }): Promise<SsoAccount[]>;
  /** The role (permission set) names the person has in one account, all pages. */
  listAccountRoles(accountId: string, options?: { signal?: AbortSignal }): Promise<string[]>;
  getRoleCredentials(
    accountId: string,
    roleName: string,
    options?: { signal?: AbortSignal },
  ): Promise<SsoRoleCredentials>;
  /** Releases the HTTP connections. */
  close(): void;
}

export interface SsoPortalOptions extends SsoEnvironmentOptions {
  /** Portal endpoint; wins over `AWS_ENDPOINT_URL_SSO` / `AWS_ENDPOINT_URL`. */
  endpoint?: string;
  /** SSO-OIDC endpoint for token refresh (defaults to `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL`). */
  oidcEndpoint?: string;
  ratePerSecond?: number;
  /** Where the bearer token comes from; defaults to `getValidToken` (cache, refreshing when near expiry). */
  accessToken?: () => Promise<string>;
}

export function createSsoPortal(target: SsoTarget, options: SsoPortalOptions = {}): SsoPortal {
  const clock = options.clock ?? systemSsoClock;
  const client = createPortalClient(target.region, options);
  const limiter = createRateLimiter({
    ratePerSecond: options.ratePerSecond ?? DEFAULT_PORTAL_RATE_PER_SECOND,
    clock,
  });
  // finalizeRequest/low sits inside the SDK's retry loop, so retries are limited too, not only first tries.
  client.middlewareStack.add(
    (next) => async (args) => {
      await limiter.acquire();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'orgconnectSsoPortalRateLimit' },
  );
  const tokenSource =
    options.accessToken ??
    (async () => {
      const tokenOptions = { ...options, endpoint: options.oidcEndpoint };
      return (await getValidToken(target, tokenOptions)).accessToken;
    });

  const call = async <T>(
    run: (accessToken: string) => Promise<T>,
    context: { accountId?: string; roleName?: string },
  ): Promise<T> => {
    try {
      return await run(await tokenSource());
    } catch (error) {
      throw portalFailure(target, options.profile, error, context);
    }
  };

  return {
    listAccounts: ({ signal } = {}) =>
      call(async (accessToken) => {
        const accounts: SsoAccount[] = [];
        let nextToken: string | undefined;
        do {
          const page = await client.send(
            new ListAccountsCommand({ accessToken, nextToken, maxResults: 100 }),
            {
              abortSignal: signal,
            },
          );
          for (const account of page.accountList ?? []) {
            if (!account.accountId) continue;
            accounts.push({
              accountId: account.accountId,
              ...(account.accountName === undefined ? {} : { accountName: account.accountName }),
              ...(account.emailAddress === undefined ? {} : { emailAddress: account.emailAddress }),
            });
          }
          nextToken = page.nextToken || undefined;
        } while (nextToken !== undefined);
        return accounts;
      }, {}),

    listAccountRoles: (accountId, { signal } = {}) =>
      call(
        async (accessToken) => {
          const roles: string[] = [];
          let nextToken: string | undefined;
          do {
            const page = await client.send(
              new ListAccountRolesCommand({ accessToken, accountId, nextToken, maxResults: 100 }),
              { abortSignal: signal },
            );
            for (const role of page.roleList ?? []) if (role.roleName) roles.push(role.roleName);
            nextToken = page.nextToken || undefined;
          } while (nextToken !== undefined);
          return roles;
        },
        { accountId },
      ),

    getRoleCredentials: (accountId, roleName, { signal } = {}) =>
      call(
        async (accessToken) => {
          const response = await client.send(
            new GetRoleCredentialsCommand({ accessToken, accountId, roleName }),
            {
              abortSignal: signal,
            },
          );
          const credentials = response.roleCredentials;
          if (
            !credentials?.accessKeyId ||
            !credentials.secretAccessKey ||
            !credentials.sessionToken ||
            credentials.expiration === undefined
          ) {
            throw new OrgConnectError(
              'SSO_BAD_CREDENTIALS',
              'The AWS access portal returned incomplete role credentials.',
            );
          }
          return {
            accountId,
            roleName,
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: credentials.secretAccessKey,
            sessionToken: credentials.sessionToken,
            // The portal sends milliseconds since the epoch (the SDK's fromSSO reads it the same way).
            expiration: new Date(credentials.expiration),
          };
        },
        { accountId, roleName },
      ),

    close: () => client.destroy(),
  };
}

function portalFailure(
  target: SsoTarget,
  profile: string | undefined,
  error: unknown,
  context: { accountId?: string; roleName?: string },
): OrgConnectError {
  if (isOrgConnectError(error)) return error;
  const name = awsErrorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === 'UnauthorizedException' || status === 401) return loginRequiredError(target, profile, error);
  if (name === 'ForbiddenException' || name === 'ResourceNotFoundException' || status === 403) {
    const what = context.roleName === undefined ? 'that account' : `the role ${context.roleName}`;
    return new OrgConnectError(
      'SSO_ROLE_NOT_ASSIGNED',
      `Your IAM Identity Center user has no access to ${what} in account ${context.accountId ?? '(unknown)'}.`,
      {
        fix: 'Choose a role listed for this account, or ask an Identity Center administrator to assign one.',
        cause: error,
      },
    );
  }
  if (name === 'AbortError')
    return new OrgConnectError('CANCELLED_ABORTED', 'Stopped before the operation finished.');
  return new OrgConnectError(
    'SSO_PORTAL_ERROR',
    `The AWS access portal for ${ssoDisplayName(target)} failed: ${describeError(error)}`,
    {
      fix: 'Try again in a minute; if it persists, check sso_region and the network connection.',
      cause: error,
    },
  );
}
