import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { serviceForCli } from '../service-for-cli.js';
import { requireProfile } from './common.js';
import {
  addOnboardingOptions,
  createCurOption,
  detectCurBucket,
  onboardingRequest,
  regionOptions,
  type OnboardingFlags,
} from './onboarding-options.js';
import { printPlan } from '../plan-output.js';
import { tableOptions } from '../output.js';
import { progressDots } from './plan.js';
import { OrgConnectError } from '../../core/errors.js';
import { driveRun } from '../drive-run.js';

export function registerDeployCommand(program: Command, context: CliContext): void {
  addOnboardingOptions(
    program
      .command('deploy')
      .description(
        'Connect the selected accounts: Billing stack first, then Resource stacks. Shows the plan and asks first.',
      ),
  )
    .option('--concurrency <n>', 'Resource stacks deployed at once', '8')
    .option('--yes', 'deploy without asking (the plan is still printed unless --json)')
    .action(async (flags: OnboardingFlags & { concurrency: string; yes?: boolean }) => {
      const { io } = context;
      const json = flags.json === true;
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
        throw new OrgConnectError('USAGE_CONCURRENCY', '--concurrency must be a whole number from 1 to 64.');
      }
      const request = onboardingRequest(flags, context.env);
      const profile = requireProfile(flags, context);
      const service = serviceForCli(context, { dataDir: flags.dataDir });
      const planned = await service.plan(profile, request, {
        onPreflight: progressDots(context, json),
        detectCurBucket: detectCurBucket(flags),
        ...createCurOption(flags),
        ...regionOptions(flags),
      });
      if (io.isInteractive) io.stderr('\r\x1b[K');
      const { counts } = planned.plan;
      if (!json) printPlan(io, planned, tableOptions(io, flags.wide));
      if (counts.create + counts.update === 0 && counts.blocked === 0) {
        if (!json) io.stdout('Nothing to deploy: every selected account is already connected.\n');
      }
      if (!flags.yes) {
        if (!io.prompt) {
          throw new OrgConnectError(
            'USAGE_CONFIRMATION_REQUIRED',
            'deploy asks before writing to AWS, but there is no terminal to ask on.',
            {
              fix: 'Review "orgconnect plan" and pass --yes.',
            },
          );
        }
        const first = [
          ...(planned.regionsToEnable?.length ? [`enable ${planned.regionsToEnable.length} Regions`] : []),
          ...(planned.curSetup
            ? [`set up the Cost and Usage Report in bucket ${planned.curSetup.bucket}`]
            : []),
        ];
        const stacks = `create ${counts.create} and update ${counts.update} stacks in ${counts.create + counts.update} accounts`;
        const question = [...first, stacks].join(', then ');
        const answer = await io.prompt(`${question[0]!.toUpperCase()}${question.slice(1)}? [y/N] `);
        if (!/^y(es)?$/i.test(answer.trim())) {
          io.stderr('Nothing was deployed.\n');
          return;
        }
      }
      // The request as planned (with the detected CUR bucket, if any): the stacks get what the plan showed.
      const run = await service.createRun(profile, planned.request, planned, { concurrency });
      // After the run is journaled (an unwritable data directory stops everything first), before the stacks.
      if (planned.regionsToEnable?.length) {
        const outcomes = await service.enableRegions(
          profile,
          planned.plan.managementAccountId,
          planned.regionsToEnable,
        );
        for (const o of outcomes) {
          if (!o.ok)
            io.stderr(`Region ${o.region} in ${o.accountId} not enabled: ${o.reason ?? 'unknown'}\n`);
          else if (!json)
            io.stdout(
              `Region ${o.region} is being enabled in ${o.accountId} (AWS finishes it in the background).\n`,
            );
        }
      }
      if (planned.curSetup) {
        // Before the stacks: the Billing role is scoped to this bucket, and the plan promised the report.
        const made = await service.setUpCostAndUsageReport(profile, planned.curSetup);
        if (!json)
          io.stdout(
            `Cost and Usage Report set up: Data Export ${made.exportArn} into bucket ${made.bucket}.\n`,
          );
      }
      context.exitCode = await driveRun(context, run, { json, resumed: false, mode: 'start' });
    });
}
