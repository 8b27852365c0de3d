/** SSO-OIDC service errors during a login, as errors a person can act on. */
import { awsErrorName, describeError, isOrgConnectError, OrgConnectError } from '../../errors.js';
import { loginCancelledError, loginDeniedError, loginTimedOutError, ssoDisplayName } from './sso-errors.js';
import type { SsoTarget } from './types.js';

export function loginFailure(target: SsoTarget, error: unknown): OrgConnectError {
  if (isOrgConnectError(error)) return error;
  switch (awsErrorName(error)) {
    case 'AbortError':
      return loginCancelledError();
    case 'AccessDeniedException':
      return loginDeniedError(target, error);
    case 'ExpiredTokenException':
      return loginTimedOutError(target, error);
    case 'InvalidRequestRegionException':
      return new OrgConnectError(
        'SSO_WRONG_REGION',
        `The IAM Identity Center instance for ${ssoDisplayName(target)} is not in ${target.region}.`,
        { fix: 'Set sso_region to the region shown on the AWS access portal settings page.', cause: error },
      );
    default:
      return new OrgConnectError(
        'SSO_LOGIN_FAILED',
        `Sign-in to ${ssoDisplayName(target)} failed: ${describeError(error)}`,
        {
          fix: 'Check sso_start_url and sso_region, then start the sign-in again.',
          cause: error,
        },
      );
  }
}
