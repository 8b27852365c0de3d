import { OrgConnectService } from '../core/service.js';
import { OrgConnectError } from '../core/errors.js';
import type { CliContext } from './cli-context.js';
import { openInBrowser } from './open-browser.js';

/** The façade with terminal-backed host services (MFA code prompt, browser opener). */
export function serviceForCli(
  context: CliContext,
  options: {
    openBrowser?: boolean;
    dataDir?: string | undefined;
    /** Where MFA codes come from instead of the terminal (the browser host asks its page). */
    mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  } = {},
): OrgConnectService {
  const { io } = context;
  return new OrgConnectService({
    env: context.env,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    host: {
      ...(options.openBrowser === false ? {} : { openUrl: openInBrowser }),
      mfaCodeProvider:
        options.mfaCodeProvider ??
        (async (mfaSerial) => {
          if (!io.prompt) {
            throw new OrgConnectError(
              'MFA_REQUIRED',
              `The profile needs a code from MFA device ${mfaSerial}.`,
              {
                fix: 'Run the command in a terminal so it can ask for the code.',
              },
            );
          }
          return (await io.prompt(`MFA code for ${mfaSerial}: `)).trim();
        }),
    },
  });
}
