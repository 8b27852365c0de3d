/** IAM Identity Center: sign-in, the token cache shared with the AWS CLI and SDKs, and the access portal. */
export { loginWithAuthCode, buildAuthorizeUrl, AUTH_CODE_TIMEOUT_MS } from './login-auth-code.js';
export { loginWithDeviceCode } from './login-device-code.js';
export { getValidToken, TOKEN_REFRESH_WINDOW_MS } from './valid-token.js';
export {
  readCachedToken,
  ssoCacheFilePath,
  ssoCacheDir,
  registrationCacheFilePath,
  formatCacheTimestamp,
  parseCacheTimestamp,
} from './cache-file.js';
export { createSsoPortal, DEFAULT_PORTAL_RATE_PER_SECOND } from './sso-portal.js';
export type { SsoAccount, SsoPortal, SsoPortalOptions, SsoRoleCredentials } from './sso-portal.js';
export { createRateLimiter } from './rate-limiter.js';
export type { RateLimiter } from './rate-limiter.js';
export { systemSsoClock } from './system-clock.js';
export type {
  SsoCachedToken,
  SsoClientRegistration,
  SsoClock,
  SsoEnvironmentOptions,
  SsoLoginOptions,
  SsoPrompt,
  SsoTarget,
  SsoToken,
} from './types.js';
