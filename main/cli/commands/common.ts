import type { CliContext } from '../cli-context.js';

/** The profile a command acts as: --profile, else AWS_PROFILE, else "default" (as the AWS CLI). */
export function requireProfile(options: { profile?: string }, context: CliContext): string {
  return options.profile ?? context.env['AWS_PROFILE'] ?? 'default';
}
