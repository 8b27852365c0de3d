import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { formatTable, printJson, tableOptions } from '../output.js';
import { serviceForCli } from '../service-for-cli.js';
import { requireProfile } from './common.js';
import type { OrganizationSnapshot } from '../../core/org/index.js';

/** The documented `accounts --json` shape (README): stable, a subset of the discovery snapshot. */
export function accountsJson(snapshot: OrganizationSnapshot) {
  return {
    organization: {
      id: snapshot.organization.id,
      arn: snapshot.organization.arn,
      featureSet: snapshot.organization.featureSet,
      managementAccountId: snapshot.organization.managementAccountId,
    },
    ous: snapshot.ous.map((ou) => ({ id: ou.id, name: ou.name, parentId: ou.parentId, path: ou.path })),
    accounts: snapshot.accounts.map((account) => ({
      id: account.id,
      name: account.name,
      email: account.email,
      status: account.status,
      ouId: account.ouId,
      ouPath: account.ouPath,
      isManagement: account.isManagement,
    })),
  };
}

export function registerAccountsCommand(program: Command, context: CliContext): void {
  program
    .command('accounts')
    .description('List every account of the Organization with its OU path.')
    .option('--profile <name>', 'management (or delegated administrator) profile')
    .option('--json', 'print JSON (see README)')
    .option('--wide', 'show the table uncut (by default it fits the terminal, cutting long cells with …)')
    .action(async (options: { profile?: string; json?: boolean; wide?: boolean }) => {
      const { io } = context;
      const snapshot = await serviceForCli(context).discover(requireProfile(options, context), {
        onProgress: (progress) => {
          if (io.isInteractive && !options.json) io.stderr(`\rDiscovering… ${progress.done} accounts`);
        },
      });
      if (io.isInteractive && !options.json) io.stderr('\r\x1b[K');
      if (options.json) {
        printJson(io, accountsJson(snapshot));
        return;
      }
      io.stdout(
        formatTable(
          snapshot.accounts,
          [
            { header: 'ACCOUNT', value: (a) => a.id },
            { header: 'NAME', value: (a) => (a.isManagement ? `${a.name} (management)` : a.name) },
            { header: 'STATUS', value: (a) => a.status },
            { header: 'OU PATH', value: (a) => a.ouPath },
          ],
          tableOptions(context.io, options.wide),
        ),
      );
      const suspended = snapshot.accounts.filter((a) => a.status !== 'ACTIVE').length;
      io.stdout(
        `\n${snapshot.accounts.length} accounts in ${snapshot.ous.length} OUs of ${snapshot.organization.id}` +
          (suspended > 0 ? `; ${suspended} not active` : '') +
          '.\n',
      );
    });
}
