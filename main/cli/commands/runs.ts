import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { formatTable, printJson, tableOptions } from '../output.js';
import { serviceForCli } from '../service-for-cli.js';
import { driveRun } from '../drive-run.js';
import { deregisterFor, deregisterNothing } from '../deregister-wiring.js';

export function registerRunCommands(program: Command, context: CliContext): void {
  program
    .command('runs')
    .description('List deploy runs journaled in the data directory, newest first.')
    .option('--data-dir <dir>', 'data directory (default: ORGCONNECT_HOME or the app-data folder)')
    .option('--json', 'print JSON (see README)')
    .option('--wide', 'show the table uncut (by default it fits the terminal, cutting long cells with …)')
    .action(async (flags: { dataDir?: string; json?: boolean; wide?: boolean }) => {
      const service = serviceForCli(context, { dataDir: flags.dataDir });
      const runs = await service.listRuns();
      if (flags.json) {
        printJson(context.io, {
          dataDir: service.dataDir,
          runs: runs.map(({ path: _path, ...run }) => run),
        });
        return;
      }
      context.io.stdout(
        formatTable(
          runs,
          [
            { header: 'RUN', value: (r) => r.runId },
            { header: 'CREATED', value: (r) => r.createdAt ?? '' },
            { header: 'STATUS', value: (r) => r.status },
            { header: 'MANAGEMENT', value: (r) => r.managementAccountId ?? '' },
            {
              header: 'ACCOUNTS',
              value: (r) =>
                !r.counts
                  ? (r.problem ?? '')
                  : r.counts.disconnected !== undefined // only disconnect runs count it
                    ? `${r.counts.disconnected + r.counts.skipped}/${r.counts.total} disconnected, ${r.counts.failed} failed`
                    : `${r.counts.connected + r.counts.skipped}/${r.counts.total} connected, ${r.counts.failed} failed`,
            },
          ],
          tableOptions(context.io, flags.wide),
        ),
      );
    });

  for (const mode of ['resume', 'retry'] as const) {
    program
      .command(`${mode} <run-id>`)
      .description(
        mode === 'resume'
          ? 'Continue a run after a crash or stop: reconcile with CloudFormation, then deploy what is left.'
          : 'Deploy again only the accounts of a run that failed.',
      )
      .option('--profile <name>', 'management profile (default: the one the run was started with)')
      .option('--external-id <id>', "only if the run's secrets file was lost (or ORGCONNECT_EXTERNAL_ID)")
      .option('--concurrency <n>', 'Resource stacks deployed at once (default: as the run was started)')
      .option('--platform-url <url>', 'register with this link endpoint instead of the one the run recorded')
      .option('--data-dir <dir>', 'data directory (default: ORGCONNECT_HOME or the app-data folder)')
      .option('--json', 'one JSON event per line (see README)')
      .action(
        async (
          runId: string,
          flags: {
            profile?: string;
            externalId?: string;
            concurrency?: string;
            platformUrl?: string;
            dataDir?: string;
            json?: boolean;
          },
        ) => {
          const service = serviceForCli(context, { dataDir: flags.dataDir });
          const externalId = flags.externalId ?? context.env['ORGCONNECT_EXTERNAL_ID'];
          const options = {
            ...(flags.profile ? { profile: flags.profile } : {}),
            ...(externalId ? { externalId } : {}),
            ...(flags.concurrency ? { concurrency: Number(flags.concurrency) } : {}),
            ...(flags.platformUrl ? { platformUrl: flags.platformUrl } : {}),
          };
          const { settings } = await service.runState(runId);
          const run =
            settings.operation === 'disconnect'
              ? await service.openDisconnectRun(runId, {
                  ...options,
                  deregisterFor:
                    context.env['ORGCONNECT_NO_REGISTER'] === '1' ? deregisterNothing : deregisterFor,
                })
              : await service.openRun(runId, options);
          context.exitCode = await driveRun(context, run, {
            json: flags.json === true,
            resumed: true,
            mode: mode === 'retry' ? 'retry' : 'start',
          });
        },
      );
  }
}
