import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { serviceForCli } from '../service-for-cli.js';
import { driveRun } from '../drive-run.js';
import { OrgConnectError } from '../../core/errors.js';
import { printJsonLine } from '../output.js';
import { CLOUDZERO_REGISTRATION } from '../../core/platform/registration-settings.js';

/**
 * `orgconnect register`: tells the platform about recorded connections it does not have yet (a registration that
 * failed, or a run deployed with --no-register). Nothing is deployed; each registration is journaled in its run.
 */
export function registerRegisterCommand(program: Command, context: CliContext): void {
  program
    .command('register')
    .description(
      'Register with the platform the recorded connections whose registration failed or never happened.',
    )
    .option('--run <run-id>', 'only this run (default: every run with unregistered connections)')
    .option(
      '--external-id <id>',
      "the run's External ID, once its secrets file is gone (or ORGCONNECT_EXTERNAL_ID)",
    )
    .option(
      '--platform-url <url>',
      'the link endpoint (default: as the run recorded, else ORGCONNECT_PLATFORM_URL, else CloudZero)',
    )
    .option('--profile <name>', 'management profile (default: the one the run was started with)')
    .option('--data-dir <dir>', 'data directory (default: ORGCONNECT_HOME or the app-data folder)')
    .option('--json', 'one JSON event per line (see README)')
    .action(
      async (flags: {
        run?: string;
        externalId?: string;
        platformUrl?: string;
        profile?: string;
        dataDir?: string;
        json?: boolean;
      }) => {
        const service = serviceForCli(context, { dataDir: flags.dataDir });
        const json = flags.json === true;
        const runIds = flags.run ? [flags.run] : await service.runsWithUnregisteredConnections();
        if (runIds.length === 0) {
          if (json) printJsonLine(context.io, { event: 'nothing-to-register' });
          else context.io.stdout('Nothing to register: the platform has every recorded connection.\n');
          context.exitCode = 0;
          return;
        }
        const externalId = flags.externalId ?? context.env['ORGCONNECT_EXTERNAL_ID'];
        let worst: 0 | 3 | 4 = 0;
        for (const runId of runIds) {
          const state = await service.runState(runId);
          const platformUrl =
            flags.platformUrl ??
            (state.settings.registration && 'endpoint' in state.settings.registration
              ? undefined
              : context.env['ORGCONNECT_PLATFORM_URL']);
          const run = await service
            .openRun(runId, {
              registerOnly: true,
              ...(flags.profile ? { profile: flags.profile } : {}),
              ...(externalId ? { externalId } : {}),
              // A run deployed with --no-register is registered with CloudZero's endpoint unless told otherwise.
              platformUrl: platformUrl ?? defaultEndpointFor(state.settings.registration),
            })
            .catch((error: unknown) => {
              if (error instanceof OrgConnectError && error.code === 'RUN_SECRET_MISSING') {
                throw new OrgConnectError(error.code, error.message, {
                  fix: `Pass --external-id (or set ORGCONNECT_EXTERNAL_ID) with the External ID run ${runId} used.`,
                });
              }
              throw error;
            });
          const code = await driveRun(context, run, { json, resumed: true, mode: 'register' });
          worst = Math.max(worst, code) as 0 | 3 | 4;
        }
        context.exitCode = worst;
      },
    );
}

function defaultEndpointFor(
  recorded: { endpoint: string } | { off: string } | undefined,
): string | undefined {
  return recorded && 'endpoint' in recorded ? recorded.endpoint : CLOUDZERO_REGISTRATION.endpoint;
}
