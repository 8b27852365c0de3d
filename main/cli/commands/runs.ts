import type { Command } from 'commander';
import type { CliContext } from './index.js';
import { formatTable, printJson, tableOptions } from '../output.js';
import { serviceForCli } from '../service-for-cli.js';
import { driveRun } from '../drive-run.js';

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
                r.counts
                  ? `${r.counts.connected + r.counts.skipped}/${r.counts.total} connected, ${r.counts.failed} failed`
                  : (r.problem ?? ''),
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
      .option('--data-dir <dir>', 'data directory (default: ORGCONNECT_HOME or the app-data folder)')
      .option('--json', 'one JSON event per line (see README)')
      .action(
        async (
          runId: string,
          flags: {
            profile?: string;
            externalId?: string;
            concurrency?: string;
            dataDir?: string;
            json?: boolean;
          },
        ) => {
          const service = serviceForCli(context, { dataDir: flags.dataDir });
          const externalId = flags.externalId ?? context.env['ORGCONNECT_EXTERNAL_ID'];
          const run = await service.openRun(runId, {
            ...(flags.profile ? { profile: flags.profile } : {}),
            ...(externalId ? { externalId } : {}),
            ...(flags.concurrency ? { concurrency: Number(flags.concurrency) } : {}),
          });
          context.exitCode = await driveRun(context, run, {
            json: flags.json === true,
            resumed: true,
            mode: mode === 'retry' ? 'retry' : 'start',
          });
        },
      );
  }
}
