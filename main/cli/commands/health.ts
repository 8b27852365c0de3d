import path from 'node:path';
import { writePrivateFile } from '../../core/reports/write-private-file.js';
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson, printJsonLine, tableOptions } from '../output.js';
import { healthReport } from '../health-output.js';
import { createHealthProgress } from '../health-progress.js';
import { serviceForCli } from '../service-for-cli.js';
import { requireProfile } from './common.js';
import { regionOptions } from './onboarding-options.js';
import { CHECK_IDS, type CheckId } from '../../core/health/check-result.js';
import { healthSummary } from '../../core/health/health-summary.js';
import { OrgConnectError } from '../../core/errors.js';
import type { Coverage } from '../../core/health/coverage.js';

function parseSkip(value: string | undefined): CheckId[] {
  if (!value) return [];
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !(CHECK_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) {
    throw new OrgConnectError('USAGE_UNKNOWN_CHECK', `Unknown check ${unknown.join(', ')}.`, {
      fix: `Checks are: ${CHECK_IDS.join(', ')}.`,
    });
  }
  return ids as CheckId[];
}

export function registerHealthCommands(program: Command, context: CliContext): void {
  program
    .command('health')
    .description(
      'Check every connection: account active, stack, role, trust, policies, use, CUR, Regions, platform registration.',
    )
    .option('--profile <name>', 'management profile (default: AWS_PROFILE or "default")')
    .option('--run <run-id>', 'only the connections of this run')
    .option(
      '--access-role <name>',
      'role assumed in each account to check it',
      'OrganizationAccountAccessRole',
    )
    .option(
      '--regions <list>',
      "regions-sts: Regions in use besides the stack's (comma-separated), checked enabled with STS active",
    )
    .option('--skip <checks>', `checks not to run, shown as skipped (${CHECK_IDS.join(', ')})`)
    .option('--watch', 'keep checking and print each change')
    .option('--interval <seconds>', 'with --watch: seconds between rounds', '300')
    .option('--data-dir <dir>', 'data directory (default: ORGCONNECT_HOME or the app-data folder)')
    .option('--json', 'print JSON (see README); with --watch one change event per line')
    .option('--wide', 'list every account of each problem and the per-connection table, uncut')
    .action(
      async (flags: {
        wide?: boolean;
        profile?: string;
        run?: string;
        accessRole: string;
        skip?: string;
        regions?: string;
        watch?: boolean;
        interval: string;
        dataDir?: string;
        json?: boolean;
      }) => {
        const { io } = context;
        const service = serviceForCli(context, { dataDir: flags.dataDir });
        const { regionsInUse } = regionOptions(flags);
        const checks = { skip: parseSkip(flags.skip), ...(regionsInUse ? { regions: regionsInUse } : {}) };
        const profile = requireProfile(flags, context);
        if (flags.watch) {
          await watchHealth(context, service, profile, flags, checks);
          return;
        }
        const progress = flags.json ? undefined : createHealthProgress(io);
        const { connections, health, snapshot, coverage } = await service
          .checkHealth(profile, {
            ...(flags.run ? { runId: flags.run } : {}),
            accessRoleName: flags.accessRole,
            checks,
            ...(progress ? { onResult: () => progress.checked() } : {}),
          })
          .finally(() => progress?.finish());
        const body = { ...healthSummary(snapshot.organization.id, connections, health), coverage };
        if (flags.json) printJson(io, body);
        else {
          io.stdout(healthReport(body, { wide: flags.wide === true, table: tableOptions(io, flags.wide) }));
          printCoverageLine(context, coverage);
        }
        context.exitCode = body.summary.healthy === body.summary.total ? 0 : 3;
      },
    );

  program
    .command('report')
    .description(
      'Write a report of the whole Organization for people and audits (every connection with its health and registration, and every account not connected); the platform learns of connections by registration, not from this file.',
    )
    .addOption(
      new Option('--format <format>', 'report format').choices(['csv', 'json', 'xlsx']).makeOptionMandatory(),
    )
    .requiredOption('--out <file>', 'where to write the report')
    .option('--run <run-id>', 'only the connections of this run')
    .option(
      '--reveal-external-id <id>',
      'show this External ID in full where it matches, masked otherwise (or ORGCONNECT_REVEAL_EXTERNAL_ID)',
    )
    .option(
      '--profile <name>',
      'discover the Organization now, so every account is listed as it is (else: as the last health check saw it)',
    )
    .option('--data-dir <dir>', 'data directory (default: ORGCONNECT_HOME or the app-data folder)')
    .action(
      async (flags: {
        format: 'csv' | 'json' | 'xlsx';
        out: string;
        run?: string;
        revealExternalId?: string;
        profile?: string;
        dataDir?: string;
      }) => {
        const service = serviceForCli(context, { dataDir: flags.dataDir });
        // The environment form keeps the External ID out of `ps` and shell history.
        const revealExternalId = flags.revealExternalId ?? context.env['ORGCONNECT_REVEAL_EXTERNAL_ID'];
        const report = await service.report({
          format: flags.format,
          ...(flags.profile ? { profile: flags.profile } : {}),
          ...(flags.run ? { runId: flags.run } : {}),
          ...(revealExternalId ? { revealExternalId } : {}),
        });
        const out = path.resolve(flags.out);
        await writePrivateFile(out, report);
        context.io.stderr(`Wrote ${flags.format.toUpperCase()} report to ${out}\n`);
      },
    );
}

function printCoverageLine(context: CliContext, coverage: Coverage): void {
  const { summary } = coverage;
  const share = summary.share === null ? 'not known' : `${(summary.share * 100).toFixed(1)}%`;
  context.io.stdout(
    `Coverage: ${summary.connectedActive}/${summary.activeAccounts} active accounts connected (${share}); ` +
      `${summary.counts['not-connected']} not connected (${summary.newNotConnected} new), ` +
      `${summary.counts['connected-account-closed'] + summary.counts['connected-account-left']} connected but closed or gone.\n`,
  );
}

async function watchHealth(
  context: CliContext,
  service: ReturnType<typeof serviceForCli>,
  profile: string,
  flags: { run?: string; accessRole: string; interval: string; json?: boolean },
  checks: { skip: CheckId[]; regions?: string[] },
): Promise<void> {
  const { io } = context;
  const intervalSeconds = Number(flags.interval);
  if (!Number.isFinite(intervalSeconds) || intervalSeconds < 10) {
    throw new OrgConnectError('USAGE_INTERVAL', '--interval must be at least 10 seconds.');
  }
  const { monitor, snapshot } = await service.healthMonitor(profile, {
    accessRoleName: flags.accessRole,
    checks,
    // Each round writes the Organization's point for the day (from a fresh discovery: accounts come and go).
    onRound: async (results) => {
      const fresh = await service.discover(profile).catch(() => snapshot);
      await service.recordCoverage(fresh, results);
    },
    onEvent: (event) => {
      if (flags.json) printJsonLine(io, event);
      else
        io.stdout(
          `${new Date().toISOString()}  ${event.connectionKey}  ${event.previous?.overall ?? 'new'} → ${event.current.overall}\n`,
        );
    },
  });
  const connections = () =>
    service.connections({
      ...(flags.run ? { runId: flags.run } : {}),
      managementAccountId: snapshot.organization.managementAccountId,
    });
  monitor.start(connections, intervalSeconds * 1000);
  io.stderr(`Watching health every ${intervalSeconds} s; press Ctrl-C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  monitor.stop();
  await monitor.idle();
}
