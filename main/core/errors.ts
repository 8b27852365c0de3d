/**
 * Errors are values with a stable code, a one-line message for a person and, where known, the fix.
 * Every layer (CLI, browser host, desktop app) shows `message` and `fix`; none shows a stack trace.
 */
export class OrgConnectError extends Error {
  readonly code: string;
  readonly fix: string | undefined;

  constructor(code: string, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OrgConnectError';
    this.code = code;
    this.fix = options.fix;
  }

  toJSON(): { code: string; message: string; fix?: string } {
    return this.fix === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, fix: this.fix };
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
