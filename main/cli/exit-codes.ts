/** Exit codes are part of the CLI's documented contract (README, "CLI"). */
export const ExitCode = {
  ok: 0,
  usage: 1,
  awsOrConfig: 2,
  someFailed: 3,
  /** A run stopped because the management session expired: sign in, then `orgconnect resume`. */
  signInRequired: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
