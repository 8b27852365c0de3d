/** The errors a person sees from Identity Center sign-in, each with the fix that works. */
import { OrgConnectError } from '../../errors.js';
import type { SsoTarget } from './types.js';

export function ssoDisplayName(target: SsoTarget): string {
  return target.sessionName ?? target.startUrl;
}

export function loginRequiredError(
  target: SsoTarget,
  profile: string | undefined,
  cause?: unknown,
): OrgConnectError {
  const fix = profile === undefined ? 'Run: orgconnect login' : `Run: orgconnect login --profile ${profile}`;
  return new OrgConnectError(
    'SSO_LOGIN_REQUIRED',
    `Your IAM Identity Center session for ${ssoDisplayName(target)} has expired.`,
    cause === undefined ? { fix } : { fix, cause },
  );
}

export function loginCancelledError(): OrgConnectError {
  return new OrgConnectError('CANCELLED_ABORTED', 'Sign-in was cancelled.');
}

export function loginTimedOutError(target: SsoTarget, cause?: unknown): OrgConnectError {
  return new OrgConnectError(
    'SSO_LOGIN_TIMED_OUT',
    `Sign-in to ${ssoDisplayName(target)} was not completed in time.`,
    cause === undefined
      ? { fix: 'Start the sign-in again and approve it in the browser.' }
      : {
          fix: 'Start the sign-in again and approve it in the browser.',
          cause,
        },
  );
}

export function loginDeniedError(target: SsoTarget, cause?: unknown): OrgConnectError {
  const fix = 'Start the sign-in again and choose Allow on the AWS access page.';
  return new OrgConnectError(
    'SSO_LOGIN_DENIED',
    `Sign-in to ${ssoDisplayName(target)} was declined.`,
    cause === undefined ? { fix } : { fix, cause },
  );
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw loginCancelledError();
}
