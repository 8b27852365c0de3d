/**
 * credential_process run as the AWS CLI runs it: the value is split into a program and its arguments with
 * botocore's rules (compat_shell_split: shlex.split on POSIX, the Windows C runtime's rules on Windows) and the
 * program is started directly, without a shell, so backticks, `$HOME`, `;` or `|` in the value are plain
 * characters. (The SDK's own fromProcess hands the whole value to `/bin/sh -c`, which the README does not promise.)
 * The JSON it prints is checked as the SDK's fromProcess checks it (Version 1, keys, not expired).
 */
import { spawn } from 'node:child_process';
import type { AwsCredentialIdentity } from '@smithy/types';
import { split as posixShellSplit } from 'shlex';
import { OrgConnectError } from '../../errors.js';

/** botocore.compat.compat_shell_split: the same list the AWS CLI would run for `command` on `platform`. */
export function splitCredentialProcess(
  command: string,
  platform: NodeJS.Platform = process.platform,
): string[] {
  return platform === 'win32' ? windowsShellSplit(command) : posixShellSplit(command);
}

/**
 * botocore.compat._windows_shell_split, line for line: only space and tab separate, only double quotes quote,
 * and backslashes are literal unless a run of them leads up to a double quote. No npm library implements this
 * variant (shlex-style splitters treat backslashes and single quotes the POSIX way), hence the port; the tests
 * compare it with botocore's own function.
 */
export function windowsShellSplit(command: string): string[] {
  if (command === '') return [];
  const components: string[] = [];
  let buffer: string[] = [];
  let quoted = false;
  let backslashes = 0;
  const flushBackslashes = () => {
    if (backslashes > 0) buffer.push('\\'.repeat(backslashes));
    backslashes = 0;
  };
  for (const character of command) {
    if (character === '\\') {
      backslashes += 1;
    } else if (character === '"') {
      if (backslashes > 0) {
        buffer.push('\\'.repeat(Math.floor(backslashes / 2)));
        const escapesQuote = backslashes % 2 === 1;
        backslashes = 0;
        if (escapesQuote) {
          buffer.push('"');
          continue;
        }
      }
      quoted = !quoted;
      // Keeps an empty argument ("") alive; joined away when the argument has other characters.
      buffer.push('');
    } else if ((character === ' ' || character === '\t') && !quoted) {
      flushBackslashes();
      if (buffer.length > 0) {
        components.push(buffer.join(''));
        buffer = [];
      }
    } else {
      flushBackslashes();
      buffer.push(character);
    }
  }
  if (quoted) throw new Error(`No closing quotation in string: ${command}`);
  flushBackslashes();
  if (buffer.length > 0) components.push(buffer.join(''));
  return components;
}

export interface CredentialProcessOptions {
  profile: string;
  command: string;
  env: NodeJS.ProcessEnv;
  /** aws_account_id of the profile, used when the process prints no AccountId (as the SDK does). */
  accountId?: string;
}

export async function runCredentialProcess(
  options: CredentialProcessOptions,
): Promise<AwsCredentialIdentity> {
  const argv = splitOrExplain(options.profile, options.command);
  const [program, ...args] = argv;
  if (program === undefined) {
    throw new OrgConnectError(
      'CREDENTIALS_UNAVAILABLE',
      `Profile ${options.profile} has an empty credential_process.`,
      {
        fix: `Set credential_process in profile ${options.profile} to the program that prints its credentials.`,
      },
    );
  }
  const { stdout } = await runWithoutShell(program, args, options.env, options.profile);
  let data: unknown;
  try {
    data = JSON.parse(stdout.trim());
  } catch {
    throw new Error(`Profile ${options.profile} credential_process returned invalid JSON.`);
  }
  return validatedCredentials(options.profile, data, options.accountId);
}

function splitOrExplain(profile: string, command: string): string[] {
  try {
    return splitCredentialProcess(command);
  } catch {
    // The splitter's message repeats the command, which may hold a secret argument; name the profile instead.
    throw new OrgConnectError(
      'CREDENTIALS_UNAVAILABLE',
      `The credential_process of profile ${profile} has a quotation mark that is never closed.`,
      {
        fix: `Close the quote in credential_process of profile ${profile} (the AWS CLI splits it the same way).`,
      },
    );
  }
}

function runWithoutShell(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  profile: string,
): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    // stdin is inherited, as botocore's Popen does, so a process may prompt on the terminal.
    const child = spawn(program, args, {
      env,
      shell: false,
      stdio: ['inherit', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          `Profile ${profile} credential_process could not start ${program}: ${error.code ?? error.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve({ stdout: Buffer.concat(stdout).toString('utf8') });
      // One line of what the process said about its failure, as the AWS CLI shows its stderr.
      const said = Buffer.concat(stderr).toString('utf8').trim().split('\n')[0]?.slice(0, 200) ?? '';
      const how = signal === null ? `exited with ${code}` : `was stopped by ${signal}`;
      reject(new Error(`Profile ${profile} credential_process ${how}${said === '' ? '' : `: ${said}`}`));
    });
  });
}

/** The checks of the SDK's fromProcess (getValidatedProcessCredentials), with the same messages. */
function validatedCredentials(
  profile: string,
  data: unknown,
  accountId: string | undefined,
): AwsCredentialIdentity {
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (record['Version'] !== 1)
    throw new Error(`Profile ${profile} credential_process did not return Version 1.`);
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration, AccountId, CredentialScope } = record;
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string') {
    throw new Error(`Profile ${profile} credential_process returned invalid credentials.`);
  }
  let expiration: Date | undefined;
  if (typeof Expiration === 'string' && Expiration !== '') {
    expiration = new Date(Expiration);
    if (expiration.getTime() < Date.now()) {
      throw new Error(`Profile ${profile} credential_process returned expired credentials.`);
    }
  }
  const account = typeof AccountId === 'string' && AccountId !== '' ? AccountId : accountId;
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    ...(typeof SessionToken === 'string' && SessionToken !== '' ? { sessionToken: SessionToken } : {}),
    ...(expiration === undefined ? {} : { expiration }),
    ...(typeof CredentialScope === 'string' && CredentialScope !== ''
      ? { credentialScope: CredentialScope }
      : {}),
    ...(account === undefined ? {} : { accountId: account }),
  };
}
