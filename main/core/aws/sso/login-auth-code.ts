/**
 * Authorization code + PKCE sign-in, the AWS CLI's default for sso-session profiles since 2.22: register (or
 * reuse) a client, send the browser to the OIDC /authorize page, receive the code on a 127.0.0.1 listener,
 * exchange it with CreateToken, and write the token where the CLI and SDK look for it.
 */
import { randomUUID } from 'node:crypto';
import { CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
import { DEFAULT_SSO_SCOPE, getClientRegistration } from './client-registration.js';
import { startCallbackListener } from './callback-listener.js';
import { createOidcClient, oidcBaseUrl } from './endpoints.js';
import { loginFailure } from './oidc-errors.js';
import { createPkcePair } from './pkce.js';
import { throwIfAborted } from './sso-errors.js';
import { systemSsoClock } from './system-clock.js';
import { saveNewToken } from './token-record.js';
import type { SsoLoginOptions, SsoTarget, SsoToken } from './types.js';

/** The CLI waits 10 minutes for the browser; so do we. */
export const AUTH_CODE_TIMEOUT_MS = 10 * 60 * 1000;

export async function loginWithAuthCode(target: SsoTarget, options: SsoLoginOptions = {}): Promise<SsoToken> {
  const clock = options.clock ?? systemSsoClock;
  const { signal, homeDir } = options;
  throwIfAborted(signal);
  const oidc = createOidcClient(target.region, options);
  try {
    const registration = await getClientRegistration(target, 'auth-code', { oidc, clock, homeDir, signal });
    const state = randomUUID();
    const pkce = createPkcePair();
    const listener = await startCallbackListener({
      target,
      expectedState: state,
      timeoutMs: options.timeoutMs ?? AUTH_CODE_TIMEOUT_MS,
      signal,
    });
    try {
      const url = buildAuthorizeUrl({
        baseUrl: oidcBaseUrl(target.region, options),
        clientId: registration.clientId,
        redirectUri: listener.redirectUri,
        state,
        codeChallenge: pkce.challenge,
        scopes: target.registrationScopes,
      });
      options.onPrompt?.({ url });
      // Not awaited: a browser launcher that hangs or fails must not stop the person using the printed URL.
      void Promise.resolve()
        .then(() => options.openUrl?.(url))
        .catch(() => undefined);
      const code = await listener.code;
      const response = await oidc.send(
        new CreateTokenCommand({
          clientId: registration.clientId,
          clientSecret: registration.clientSecret,
          grantType: 'authorization_code',
          code,
          codeVerifier: pkce.verifier,
          redirectUri: listener.redirectUri,
        }),
        { abortSignal: signal },
      );
      return await saveNewToken(target, registration, response, { clock, homeDir });
    } finally {
      await listener.close();
    }
  } catch (error) {
    throw loginFailure(target, error);
  } finally {
    oidc.destroy();
  }
}

export function buildAuthorizeUrl(input: {
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes?: string[];
}): string {
  const scopes =
    input.scopes !== undefined && input.scopes.length > 0 ? input.scopes.join(' ') : DEFAULT_SSO_SCOPE;
  const query: Array<[string, string]> = [
    ['response_type', 'code'],
    ['client_id', input.clientId],
    ['redirect_uri', input.redirectUri],
    ['state', input.state],
    ['code_challenge', input.codeChallenge],
    ['code_challenge_method', 'S256'],
    ['scopes', scopes],
  ];
  // RFC 3986 percent-encoding (space as %20, not '+'), as the CLI's percent_encode_sequence does.
  const encoded = query.map(([key, value]) => `${key}=${rfc3986(value)}`).join('&');
  return `${input.baseUrl.replace(/\/+$/, '')}/authorize?${encoded}`;
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
