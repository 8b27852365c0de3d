import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { formatTable, printJson, tableOptions } from '../output.js';
import { serviceForCli } from '../service-for-cli.js';

export function registerProfilesCommand(program: Command, context: CliContext): void {
  program
    .command('profiles')
    .description('List the AWS profiles of this machine (as the AWS CLI reads them) with their kind.')
    .option('--json', 'print JSON (see README)')
    .option('--wide', 'show the table uncut (by default it fits the terminal, cutting long cells with …)')
    .action(async (options: { json?: boolean; wide?: boolean }) => {
      const config = await serviceForCli(context).listProfiles();
      if (options.json) {
        printJson(context.io, config);
        return;
      }
      const { io } = context;
      io.stdout(
        formatTable(
          config.profiles,
          [
            { header: 'PROFILE', value: (p) => (p.name === config.selectedProfile ? `${p.name} *` : p.name) },
            { header: 'KIND', value: (p) => p.kind },
            { header: 'REGION', value: (p) => p.region ?? '' },
            {
              header: 'DETAIL',
              value: (p) =>
                p.roleArn ?? (p.ssoAccountId ? `${p.ssoAccountId} ${p.ssoRoleName ?? ''}`.trim() : '') ?? '',
            },
          ],
          tableOptions(context.io, options.wide),
        ),
      );
      for (const warning of config.warnings) {
        io.stderr(`warning: ${warning.file}:${warning.line}: ${warning.message}\n`);
      }
    });
}
