/**
 * Where and how a platform learns about a connection. Part of a platform profile (absent for `custom`, which
 * registers nothing); the registration client sends the link messages with it.
 */
export interface PlatformRegistrationSettings {
  /** The link endpoint; https only, except loopback (tests and the sandbox platform). */
  readonly endpoint: string;
  /** Identifies the platform's reactor in every link message (`data.metadata.reactor_id`). */
  readonly reactorId: string;
  /** `message_source` of every link message: who sent it. */
  readonly messageSource: string;
}

/** CloudZero's published link endpoint and reactor (Cloudzero/provision-account, release 1.0.102). */
export const CLOUDZERO_REGISTRATION: PlatformRegistrationSettings = {
  endpoint: 'https://api.cloudzero.com/accounts/v1/link',
  reactorId: 'f7a07d02-d509-4e8d-9fb9-69c7985a6bd8',
  messageSource: 'orgconnect',
};
