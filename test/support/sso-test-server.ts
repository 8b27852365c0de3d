/**
 * A small, honest stand-in for IAM Identity Center, which moto does not emulate: the SSO-OIDC JSON API
 * (RegisterClient, StartDeviceAuthorization, CreateToken — paths and shapes as @aws-sdk/client-sso-oidc
 * serializes them), the /authorize page (answering like a person who clicks Allow), and the access portal
 * API (@aws-sdk/client-sso). It checks what the real service checks — client secrets, grant types,
 * redirect URIs, PKCE, one-time codes, bearer tokens — so a client that gets those wrong fails here too.
 * Tests steer it (approve/deny device codes, slow_down, expiry, refresh failures) and read what it saw.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RecordedRequest {
  method: string;
  path: string;
  /** performance.now() when the request arrived. */
  time: number;
  /** Bearer token sent to the portal, if any (tests only compare it; never printed). */
  bearer?: string;
  body?: Record<string, unknown>;
}

export interface TestAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
  roles: string[];
}

export interface IssuedRoleCredentials {
  accountId: string;
  roleName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: number;
}

interface Client {
  clientId: string;
  clientSecret: string;
  clientSecretExpiresAt: number;
  grantTypes: string[];
  redirectUris: string[];
  scopes: string[];
  issuerUrl?: string;
}

interface DeviceAuthorization {
  clientId: string;
  userCode: string;
  startUrl: string;
  expiresAt: number;
  decision: 'pending' | 'approved' | 'denied';
}

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
}

export type AuthorizeBehaviour = 'approve' | 'deny' | 'wrong-state';

export interface SsoTestServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly accounts: TestAccount[];
  readonly issuedCredentials: IssuedRoleCredentials[];
  /** How /authorize answers: Allow (default), Deny, or a redirect carrying a forged state. */
  authorizeBehaviour: AuthorizeBehaviour;
  /** CreateToken(refresh_token) answers InvalidGrantException while true. */
  rejectRefresh: boolean;
  accessTokenLifetimeSeconds: number;
  clientSecretLifetimeSeconds: number;
  deviceIntervalSeconds: number;
  /** Portal list page size (small, so pagination is exercised). */
  pageSize: number;
  /** The person's answer for a device code, as if typed on the device page. */
  decideDevice(userCode: string, decision: 'approve' | 'deny'): void;
  /** The next `count` device-code polls answer SlowDownException. */
  slowDownNextPolls(count: number): void;
  /** Every pending device authorization expires now. */
  expireDeviceAuthorizations(): void;
  /** Every issued access token stops working at the portal (401). */
  expireAccessTokens(): void;
  /** Registers a client and issues tokens directly, as if `aws sso login` had run against this server. */
  issueSession(options?: { scopes?: string[]; authCode?: boolean }): IssuedSession;
  registeredClients(): number;
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export interface IssuedSession {
  clientId: string;
  clientSecret: string;
  clientSecretExpiresAt: number;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const DEFAULT_ACCOUNTS: TestAccount[] = [
  {
    accountId: '111111111111',
    accountName: 'management',
    emailAddress: 'mgmt@example.com',
    roles: ['AdministratorAccess', 'ReadOnly'],
  },
  { accountId: '222222222222', accountName: 'dev', emailAddress: 'dev@example.com', roles: ['ReadOnly'] },
  { accountId: '333333333333', accountName: 'prod', emailAddress: 'prod@example.com', roles: ['ReadOnly'] },
  { accountId: '444444444444', accountName: 'logs', emailAddress: 'logs@example.com', roles: ['ReadOnly'] },
  {
    accountId: '555555555555',
    accountName: 'audit',
    emailAddress: 'audit@example.com',
    roles: ['ReadOnly', 'Billing'],
  },
];

/** Real credentials for (account, role), e.g. issued by the emulator's STS so they act in that account there. */
export type RoleCredentialsIssuer = (
  accountId: string,
  roleName: string,
) => Promise<{
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** How long the portal says they last (default an hour, as Identity Center's minimum session). */
  lifetimeMs?: number;
}>;

export async function startSsoTestServer(
  options: { accounts?: TestAccount[]; issueRoleCredentials?: RoleCredentialsIssuer } = {},
): Promise<SsoTestServer> {
  const clients = new Map<string, Client>();
  const devices = new Map<string, DeviceAuthorization>();
  const codes = new Map<string, AuthorizationCode>();
  const accessTokens = new Map<string, { expiresAt: number }>();
  const refreshTokens = new Map<string, { clientId: string }>();
  const requests: RecordedRequest[] = [];
  const issuedCredentials: IssuedRoleCredentials[] = [];
  const accounts = options.accounts ?? DEFAULT_ACCOUNTS.map((a) => ({ ...a, roles: [...a.roles] }));
  let slowDowns = 0;
  let url = '';

  const issueTokens = (client: Client, lifetime: number): IssuedTokens => {
    const accessToken = `aoa${token(24)}`;
    accessTokens.set(accessToken, { expiresAt: Date.now() + lifetime * 1000 });
    // Like the service: only clients registered with scopes or the refresh_token grant get refresh tokens;
    // a legacy device-code login without scopes cannot be refreshed.
    if (client.scopes.length === 0 && !client.grantTypes.includes('refresh_token'))
      return { accessToken, expiresIn: lifetime };
    const refreshToken = `aor${token(24)}`;
    refreshTokens.set(refreshToken, { clientId: client.clientId });
    return { accessToken, refreshToken, expiresIn: lifetime };
  };

  const register = (body: Record<string, unknown>): Client => {
    const client: Client = {
      clientId: `cid${token(12)}`,
      clientSecret: `csec${token(24)}`,
      clientSecretExpiresAt: Math.floor(Date.now() / 1000) + server.clientSecretLifetimeSeconds,
      grantTypes: stringList(body['grantTypes']),
      redirectUris: stringList(body['redirectUris']),
      scopes: stringList(body['scopes']),
      ...(typeof body['issuerUrl'] === 'string' ? { issuerUrl: body['issuerUrl'] } : {}),
    };
    clients.set(client.clientId, client);
    return client;
  };

  const authenticate = (body: Record<string, unknown>): Client | undefined => {
    const client = clients.get(String(body['clientId']));
    if (!client || client.clientSecret !== body['clientSecret']) return undefined;
    if (client.clientSecretExpiresAt * 1000 < Date.now()) return undefined;
    return client;
  };

  const handleOidc = (path: string, body: Record<string, unknown>, response: ServerResponse): void => {
    if (path === '/client/register') {
      if (typeof body['clientName'] !== 'string' || typeof body['clientType'] !== 'string') {
        return oidcError(response, 400, 'InvalidClientMetadataException', 'invalid_client_metadata');
      }
      const grantTypes = stringList(body['grantTypes']);
      if (grantTypes.includes('authorization_code')) {
        if (stringList(body['redirectUris']).length === 0 || typeof body['issuerUrl'] !== 'string') {
          return oidcError(response, 400, 'InvalidRequestException', 'invalid_request');
        }
      }
      const client = register(body);
      return json(response, 200, {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        clientIdIssuedAt: Math.floor(Date.now() / 1000),
        clientSecretExpiresAt: client.clientSecretExpiresAt,
      });
    }
    const client = authenticate(body);
    if (!client) return oidcError(response, 401, 'InvalidClientException', 'invalid_client');

    if (path === '/device_authorization') {
      if (typeof body['startUrl'] !== 'string')
        return oidcError(response, 400, 'InvalidRequestException', 'invalid_request');
      const deviceCode = token(32);
      const userCode = `${letters(4)}-${letters(4)}`;
      devices.set(deviceCode, {
        clientId: client.clientId,
        userCode,
        startUrl: body['startUrl'],
        expiresAt: Date.now() + 600_000,
        decision: 'pending',
      });
      return json(response, 200, {
        deviceCode,
        userCode,
        verificationUri: `${url}/start/#/device`,
        verificationUriComplete: `${url}/start/#/device?user_code=${userCode}`,
        expiresIn: 600,
        interval: server.deviceIntervalSeconds,
      });
    }

    if (path === '/token') {
      const grantType = body['grantType'];
      if (grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
        const device = devices.get(String(body['deviceCode']));
        if (!device || device.clientId !== client.clientId)
          return oidcError(response, 400, 'InvalidGrantException', 'invalid_grant');
        if (device.expiresAt <= Date.now())
          return oidcError(response, 400, 'ExpiredTokenException', 'expired_token');
        if (slowDowns > 0) {
          slowDowns -= 1;
          return oidcError(response, 400, 'SlowDownException', 'slow_down');
        }
        if (device.decision === 'pending')
          return oidcError(response, 400, 'AuthorizationPendingException', 'authorization_pending');
        if (device.decision === 'denied')
          return oidcError(response, 400, 'AccessDeniedException', 'access_denied');
        devices.delete(String(body['deviceCode']));
        return tokenResponse(response, issueTokens(client, server.accessTokenLifetimeSeconds));
      }
      if (grantType === 'authorization_code') {
        if (!client.grantTypes.includes('authorization_code')) {
          return oidcError(response, 400, 'UnauthorizedClientException', 'unauthorized_client');
        }
        const code = codes.get(String(body['code']));
        codes.delete(String(body['code'])); // one use, even a failed one
        const verifier = typeof body['codeVerifier'] === 'string' ? body['codeVerifier'] : '';
        if (
          !code ||
          code.clientId !== client.clientId ||
          code.redirectUri !== body['redirectUri'] ||
          createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge
        ) {
          return oidcError(response, 400, 'InvalidGrantException', 'invalid_grant');
        }
        return tokenResponse(response, issueTokens(client, server.accessTokenLifetimeSeconds));
      }
      if (grantType === 'refresh_token') {
        const refresh = refreshTokens.get(String(body['refreshToken']));
        if (server.rejectRefresh || !refresh || refresh.clientId !== client.clientId) {
          return oidcError(response, 400, 'InvalidGrantException', 'invalid_grant');
        }
        refreshTokens.delete(String(body['refreshToken'])); // rotated, as the service does
        return tokenResponse(response, issueTokens(client, server.accessTokenLifetimeSeconds));
      }
      return oidcError(response, 400, 'UnsupportedGrantTypeException', 'unsupported_grant_type');
    }
    return oidcError(response, 404, 'InvalidRequestException', 'invalid_request');
  };

  const handleAuthorize = (query: URLSearchParams, response: ServerResponse): void => {
    const client = clients.get(query.get('client_id') ?? '');
    const redirectUri = query.get('redirect_uri') ?? '';
    const state = query.get('state');
    const challenge = query.get('code_challenge');
    const valid =
      client !== undefined &&
      client.grantTypes.includes('authorization_code') &&
      query.get('response_type') === 'code' &&
      query.get('code_challenge_method') === 'S256' &&
      challenge !== null &&
      /^[A-Za-z0-9_-]{43}$/.test(challenge) &&
      state !== null &&
      (query.get('scopes') ?? '').split(' ').every((scope) => client.scopes.includes(scope)) &&
      client.redirectUris.some((registered) => loopbackMatches(registered, redirectUri));
    if (!valid || client === undefined || challenge === null || state === null) {
      response.writeHead(400, { 'content-type': 'text/html' });
      response.end('<h1>Invalid authorization request</h1>');
      return;
    }
    const target = new URL(redirectUri);
    if (server.authorizeBehaviour === 'deny') {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('state', state);
    } else {
      const code = token(20);
      codes.set(code, { clientId: client.clientId, redirectUri, codeChallenge: challenge });
      target.searchParams.set('code', code);
      target.searchParams.set('state', server.authorizeBehaviour === 'wrong-state' ? 'forged-state' : state);
    }
    response.writeHead(302, { location: target.toString() });
    response.end();
  };

  const handlePortal = (
    path: string,
    query: URLSearchParams,
    bearer: string | undefined,
    response: ServerResponse,
  ): void => {
    const session = bearer === undefined ? undefined : accessTokens.get(bearer);
    if (!session || session.expiresAt <= Date.now()) {
      return portalError(response, 401, 'UnauthorizedException', 'Session token not found or invalid');
    }
    const pageSize = Math.max(1, Math.min(Number(query.get('max_result') ?? 100), server.pageSize));
    const offset = Number(query.get('next_token') ?? 0);
    if (path === '/assignment/accounts') {
      const slice = accounts.slice(offset, offset + pageSize);
      return json(response, 200, {
        accountList: slice.map(({ accountId, accountName, emailAddress }) => ({
          accountId,
          accountName,
          emailAddress,
        })),
        ...(offset + pageSize < accounts.length ? { nextToken: String(offset + pageSize) } : {}),
      });
    }
    const accountId = query.get('account_id') ?? '';
    const account = accounts.find((a) => a.accountId === accountId);
    if (path === '/assignment/roles') {
      const roles = account?.roles ?? [];
      return json(response, 200, {
        roleList: roles.slice(offset, offset + pageSize).map((roleName) => ({ roleName, accountId })),
        ...(offset + pageSize < roles.length ? { nextToken: String(offset + pageSize) } : {}),
      });
    }
    if (path === '/federation/credentials') {
      const roleName = query.get('role_name') ?? '';
      if (!account || !account.roles.includes(roleName))
        return portalError(response, 403, 'ForbiddenException', 'No access');
      const respond = (keys: {
        accessKeyId: string;
        secretAccessKey: string;
        sessionToken: string;
        lifetimeMs?: number;
      }) => {
        const credentials: IssuedRoleCredentials = {
          accountId,
          roleName,
          accessKeyId: keys.accessKeyId,
          secretAccessKey: keys.secretAccessKey,
          sessionToken: keys.sessionToken,
          expiration: Date.now() + (keys.lifetimeMs ?? 3600_000),
        };
        issuedCredentials.push(credentials);
        json(response, 200, {
          roleCredentials: {
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: credentials.secretAccessKey,
            sessionToken: credentials.sessionToken,
            expiration: credentials.expiration,
          },
        });
      };
      if (options.issueRoleCredentials) {
        options
          .issueRoleCredentials(accountId, roleName)
          .then(respond, (error: unknown) =>
            portalError(response, 500, 'InternalServerException', String(error)),
          );
        return;
      }
      // Shaped like real keys so moto (or anything else) accepts them as static credentials.
      return respond({
        accessKeyId: `ASIA${letters(16)}`,
        secretAccessKey: token(30).slice(0, 40),
        sessionToken: token(64),
      });
    }
    return portalError(response, 404, 'ResourceNotFoundException', 'Not found');
  };

  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    const time = performance.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const parsed = new URL(request.url ?? '/', 'http://127.0.0.1');
      let body: Record<string, unknown> = {};
      if (chunks.length > 0) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          return oidcError(response, 400, 'InvalidRequestException', 'invalid_request');
        }
      }
      const bearerHeader = request.headers['x-amz-sso_bearer_token'];
      const bearer = typeof bearerHeader === 'string' ? bearerHeader : undefined;
      requests.push({
        method: request.method ?? 'GET',
        path: parsed.pathname,
        time,
        ...(bearer === undefined ? {} : { bearer }),
        ...(request.method === 'POST' ? { body } : {}),
      });
      if (
        request.method === 'POST' &&
        ['/client/register', '/device_authorization', '/token'].includes(parsed.pathname)
      ) {
        return handleOidc(parsed.pathname, body, response);
      }
      if (request.method === 'GET' && parsed.pathname === '/authorize')
        return handleAuthorize(parsed.searchParams, response);
      if (request.method === 'GET')
        return handlePortal(parsed.pathname, parsed.searchParams, bearer, response);
      return portalError(response, 404, 'ResourceNotFoundException', 'Not found');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const server: SsoTestServer = {
    url,
    requests,
    accounts,
    issuedCredentials,
    authorizeBehaviour: 'approve',
    rejectRefresh: false,
    accessTokenLifetimeSeconds: 3600,
    clientSecretLifetimeSeconds: 90 * 24 * 3600,
    deviceIntervalSeconds: 5,
    pageSize: 2,
    decideDevice(userCode, decision) {
      const device = [...devices.values()].find((d) => d.userCode === userCode);
      if (!device) throw new Error(`no device authorization with user code ${userCode}`);
      device.decision = decision === 'approve' ? 'approved' : 'denied';
    },
    slowDownNextPolls(count) {
      slowDowns = count;
    },
    expireDeviceAuthorizations() {
      for (const device of devices.values()) device.expiresAt = 0;
    },
    expireAccessTokens() {
      for (const session of accessTokens.values()) session.expiresAt = 0;
    },
    issueSession(sessionOptions = {}) {
      const scopes = sessionOptions.scopes ?? ['sso:account:access'];
      const client = register({
        clientName: 'botocore-client-test',
        clientType: 'public',
        scopes,
        ...(sessionOptions.authCode === false
          ? {}
          : {
              grantTypes: ['authorization_code', 'refresh_token'],
              redirectUris: ['http://127.0.0.1/oauth/callback'],
            }),
      });
      const issued = issueTokens(client, server.accessTokenLifetimeSeconds);
      if (issued.refreshToken === undefined) throw new Error('session without refresh token');
      return {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        clientSecretExpiresAt: client.clientSecretExpiresAt,
        accessToken: issued.accessToken,
        refreshToken: issued.refreshToken,
        expiresIn: server.accessTokenLifetimeSeconds,
      };
    },
    registeredClients: () => clients.size,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
  return server;
}

/** RFC 8252 §7.3: a loopback redirect URI matches whatever port the client picked at sign-in time. */
function loopbackMatches(registered: string, actual: string): boolean {
  try {
    const a = new URL(registered);
    const b = new URL(actual);
    return (
      a.protocol === b.protocol &&
      a.hostname === b.hostname &&
      a.hostname === '127.0.0.1' &&
      a.pathname === b.pathname
    );
  } catch {
    return false;
  }
}

interface IssuedTokens {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

function tokenResponse(response: ServerResponse, issued: IssuedTokens): void {
  json(response, 200, {
    accessToken: issued.accessToken,
    tokenType: 'Bearer',
    expiresIn: issued.expiresIn,
    ...(issued.refreshToken === undefined ? {} : { refreshToken: issued.refreshToken }),
  });
}

function oidcError(response: ServerResponse, status: number, type: string, error: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ error, error_description: `${type} (sso test server)` }));
}

function portalError(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ message }));
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function letters(count: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  return Array.from(randomBytes(count), (byte) => alphabet[byte % alphabet.length]).join('');
}
