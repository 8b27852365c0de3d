/**
 * Errors are values with a stable code, a title in plain words, a one-line message (the reason) for a person
 * and, where known, the fix. Every layer (CLI, browser host, desktop app) leads with the title, then the reason
 * and the fix; the code is secondary (small, copyable). None shows a stack trace, except an INTERNAL_ERROR's
 * `details`, which a person copies into a bug report.
 */
import { titleForCode } from './error-titles.js';

export interface ErrorJson {
  code: string;
  title: string;
  message: string;
  fix?: string;
  details?: string;
}

export class OrgConnectError extends Error {
  readonly code: string;
  /** What went wrong, in plain words ("Cannot reach AWS"); defaults to the catalogue's title for the code. */
  readonly title: string;
  readonly fix: string | undefined;
  /** Only for INTERNAL_ERROR: what a bug report needs (error name, message, stack). */
  readonly details: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { fix?: string; cause?: unknown; title?: string; details?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OrgConnectError';
    this.code = code;
    this.title = options.title ?? titleForCode(code);
    this.fix = options.fix;
    this.details = options.details;
  }

  toJSON(): ErrorJson {
    return {
      code: this.code,
      title: this.title,
      message: this.message,
      ...(this.fix === undefined ? {} : { fix: this.fix }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isOrgConnectError(value: unknown): value is OrgConnectError {
  return value instanceof OrgConnectError;
}

/** The AWS error name (SDK v3 sets `name` to the service's error code), or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    const name = (error as { name: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

/** One line for a person, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof OrgConnectError) {
    return error.fix ? `${error.message} Fix: ${error.fix}` : error.message;
  }
  if (error instanceof Error) {
    const name = awsErrorName(error);
    const firstLine = (error.message || String(error)).split('\n')[0] ?? '';
    return name && name !== 'Error' && !firstLine.startsWith(name) ? `${name}: ${firstLine}` : firstLine;
  }
  return String(error);
}
