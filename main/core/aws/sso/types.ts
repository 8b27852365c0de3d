/**
 * Shapes shared by the IAM Identity Center (SSO) login, token cache and portal client. The inputs are plain
 * values (not profile objects) so this folder does not depend on how the AWS config files are read.
 */

/** Which Identity Center session a token belongs to. */
export interface SsoTarget {
  /** Present for `[sso-session x]` profiles; absent for legacy profiles with `sso_start_url` in the profile. */
  sessionName?: string;
  startUrl: string;
  /** The Identity Center region (`sso_region`). */
  region: string;
  /** `sso_registration_scopes`, already split; undefined when the config does not set it. */
  registrationScopes?: string[];
}

/**
 * One token cache file, field for field as the AWS CLI v2 writes `~/.aws/sso/cache/<sha1>.json`.
 * Timestamps are ISO 8601 UTC strings (the CLI writes `2026-11-22T10:00:00Z`, the JS SDK `…00.000Z`).
 */
export interface SsoCachedToken {
  startUrl?: string;
  region?: string;
  accessToken: string;
  expiresAt: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

/** A client registration (RegisterClient result) as the AWS CLI caches it next to the tokens. */
export interface SsoClientRegistration {
  clientId: string;
  clientSecret: string;
  expiresAt: string;
  scopes?: string[];
  grantTypes?: string[];
}

/** Time, injected so device-code polling and expiry can be tested without waiting real seconds. */
export interface SsoClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Where the cache lives and which endpoints to talk to; every field is optional. */
export interface SsoEnvironmentOptions {
  /** Home directory holding `.aws/sso/cache`; defaults to the SDK's rule (HOME, USERPROFILE, os.homedir()). */
  homeDir?: string;
  /** Explicit SSO-OIDC endpoint (wins over the environment). */
  endpoint?: string;
  /** Environment to read `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL` from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  clock?: SsoClock;
  /** Profile name, only used in the "run orgconnect login --profile …" fix text. */
  profile?: string;
}

/** What the host shows the person while a login waits for them. */
export interface SsoPrompt {
  /** The page to open: the authorize URL, or the device flow's verificationUriComplete. */
  url: string;
  /** Device flow only: the code the person confirms on the page. */
  userCode?: string;
  /** Device flow only: the page without the code filled in. */
  verificationUri?: string;
}

export interface SsoLoginOptions extends SsoEnvironmentOptions {
  /** Opens `url` in a browser; leave out for a "print the URL only" login. */
  openUrl?: (url: string) => void | Promise<void>;
  onPrompt?: (prompt: SsoPrompt) => void;
  signal?: AbortSignal;
  /** Auth-code flow: how long to wait for the browser to come back (default 10 minutes). */
  timeoutMs?: number;
}

/** The result of a login or refresh; the access token is also in the cache file. */
export interface SsoToken {
  accessToken: string;
  expiresAt: Date;
}
