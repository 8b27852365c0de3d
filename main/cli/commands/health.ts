import path from 'node:path';
import { writePrivateFile } from '../../core/reports/write-private-file.js';
import { Option, type Command } from 'commander';
import type { CliContext } from './index.js';
import { formatTable, printJson, printJsonLine } from '../output.js';
import { serviceForCli } from '../service-for-cli.js';
import { requireProfile } from './common.js';
import { regionOptions } from './onboarding-options.js';
import { CHECK_IDS, type CheckId } from '../../core/health/check-result.js';
import { healthSummary } from '../../core/health/health-summary.js';
import { OrgConnectError } from '../../core/errors.js';

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
    .action(
      async (flags: {
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
        const { connections, health, snapshot } = await service.checkHealth(profile, {
          ...(flags.run ? { runId: flags.run } : {}),
          accessRoleName: flags.accessRole,
          checks,
        });
        const body = healthSummary(snapshot.organization.id, connections, health);
        if (flags.json) printJson(io, body);
        else printHealthTable(context, body);
        context.exitCode = body.summary.healthy === body.summary.total ? 0 : 3;
      },
    );

  program
    .command('report')
    .description(
      'Write a connection report (CSV and XLSX can be bulk-imported by the platform: name + role ARN).',
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
    .option('--data-dir <dir>', 'data directory (default: ORGCONNECT_HOME or the app-data folder)')
    .action(
      async (flags: {
        format: 'csv' | 'json' | 'xlsx';
        out: string;
        run?: string;
        revealExternalId?: string;
        dataDir?: string;
      }) => {
        const service = serviceForCli(context, { dataDir: flags.dataDir });
        // The environment form keeps the External ID out of `ps` and shell history.
        const revealExternalId = flags.revealExternalId ?? context.env['ORGCONNECT_REVEAL_EXTERNAL_ID'];
        const report = await service.report({
          format: flags.format,
          ...(flags.run ? { runId: flags.run } : {}),
          ...(revealExternalId ? { revealExternalId } : {}),
        });
        const out = path.resolve(flags.out);
        await writePrivateFile(out, report);
        context.io.stderr(`Wrote ${flags.format.toUpperCase()} report to ${out}\n`);
      },
    );
}

function printHealthTable(context: CliContext, body: ReturnType<typeof healthSummary>): void {
  const { io } = context;
  io.stdout(
    formatTable(body.connections, [
      { header: 'ACCOUNT', value: (c) => c.accountId },
      { header: 'CONNECTION', value: (c) => c.connectionName },
      { header: 'KIND', value: (c) => c.kind },
      { header: 'HEALTH', value: (c) => c.overall },
      {
        header: 'PLATFORM',
        value: (c) => {
          const status = c.checks.find((check) => check.id === 'platform-registration')?.status;
          return status === 'pass'
            ? 'registered'
            : status === 'fail'
              ? 'refused'
              : status === 'warn'
                ? 'not registered'
                : '-';
        },
      },
      {
        header: 'PROBLEMS',
        value: (c) =>
          c.checks
            .filter(
              (check) => check.status === 'fail' || check.status === 'warn' || check.status === 'unknown',
            )
            .map((check) => `${check.id}: ${check.summary}${check.fix ? ` Fix: ${check.fix}` : ''}`)
            .join(' | '),
      },
    ]),
  );
  const s = body.summary;
  io.stdout(
    `\n${s.healthy}/${s.total} healthy, ${s.degraded} degraded, ${s.unhealthy} unhealthy, ${s.unknown} unknown.\n`,
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
