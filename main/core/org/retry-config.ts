/**
 * How the Organizations client should retry. The SDK's standard retry strategy already classifies
 * TooManyRequestsException (Organizations' throttling error) as throttling (@smithy/core's
 * THROTTLING_ERROR_CODES) and backs off with jitter from a 1 s base. Discovery therefore adds no retry loop of its
 * own, which would multiply attempts; the only knob is the client's maxAttempts, raised from the SDK's 3 because
 * Organizations' request rate per account is low and a large tree walk meets throttling in bursts.
 *
 * Spread into the client's configuration: `new OrganizationsClient({ ...ORGANIZATIONS_CLIENT_RETRY, ... })`.
 */
export const ORGANIZATIONS_CLIENT_RETRY = { retryMode: 'standard', maxAttempts: 8 } as const;
