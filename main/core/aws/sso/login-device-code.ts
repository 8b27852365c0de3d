/**
 * Device-code sign-in (legacy profiles, or on request): the person confirms a short code on the AWS page
 * while we poll CreateToken at the interval the service asks for (RFC 8628 §3.4–3.5).
 */
import { CreateTokenCommand, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { awsErrorName } from '../../errors.js';
import { getClientRegistration } from './client-registration.js';
import { createOidcClient } from './endpoints.js';
import { loginFailure } from './oidc-errors.js';
import { loginTimedOutError, throwIfAborted } from './sso-errors.js';
import { systemSsoClock } from './system-clock.js';
import { saveNewToken } from './token-record.js';
import type { SsoLoginOptions, SsoTarget, SsoToken } from './types.js';

const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628: poll every 5 s unless told otherwise, and add 5 s on every slow_down. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_STEP_MS = 5_000;

export async function loginWithDeviceCode(
  target: SsoTarget,
  options: SsoLoginOptions = {},
): Promise<SsoToken> {
  const clock = options.clock ?? systemSsoClock;
  const { signal, homeDir } = options;
  throwIfAborted(signal);
  const oidc = createOidcClient(target.region, options);
  try {
    const registration = await getClientRegistration(target, 'device-code', { oidc, clock, homeDir, signal });
    const authorization = await oidc.send(
      new StartDeviceAuthorizationCommand({
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        startUrl: target.startUrl,
      }),
      { abortSignal: signal },
    );
    const { deviceCode, userCode, verificationUri, verificationUriComplete } = authorization;
    if (!deviceCode || !(verificationUriComplete ?? verificationUri)) {
      throw new Error('StartDeviceAuthorization returned no device code or verification URL');
    }
    const url = verificationUriComplete ?? verificationUri ?? '';
    const deadline = clock.now() + (authorization.expiresIn ?? 600) * 1000;
    let intervalMs = (authorization.interval ?? DEFAULT_INTERVAL_S) * 1000;

    options.onPrompt?.({
      url,
      ...(userCode === undefined ? {} : { userCode }),
      ...(verificationUri === undefined ? {} : { verificationUri }),
    });
    void Promise.resolve()
      .then(() => options.openUrl?.(url))
      .catch(() => undefined);

    for (;;) {
      await clock.sleep(intervalMs, signal);
      throwIfAborted(signal);
      if (clock.now() >= deadline) throw loginTimedOutError(target);
      try {
        const response = await oidc.send(
          new CreateTokenCommand({
            clientId: registration.clientId,
            clientSecret: registration.clientSecret,
            grantType: DEVICE_GRANT_TYPE,
            deviceCode,
          }),
          { abortSignal: signal },
        );
        return await saveNewToken(target, registration, response, { clock, homeDir });
      } catch (error) {
        const name = awsErrorName(error);
        if (name === 'AuthorizationPendingException') continue;
        if (name === 'SlowDownException') {
          intervalMs += SLOW_DOWN_STEP_MS;
          continue;
        }
        throw error;
      }
    }
  } catch (error) {
    throw loginFailure(target, error);
  } finally {
    oidc.destroy();
  }
}
