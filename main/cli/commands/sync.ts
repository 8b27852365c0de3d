import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { serviceForCli } from '../service-for-cli.js';
import { requireProfile } from './common.js';
import {
  addOnboardingOptions,
  detectCurBucket,
  onboardingRequest,
  type OnboardingFlags,
} from './onboarding-options.js';
import { planJson, printPlan } from '../plan-output.js';
import { disconnectPlanJson, printDisconnectPlan } from '../disconnect-output.js';
import { printJsonLine } from '../output.js';
import { progressDots } from './plan.js';
import { OrgConnectError } from '../../core/errors.js';
import { driveRun } from '../drive-run.js';
import { deregisterFor, deregisterNothing } from '../deregister-wiring.js';
import type { SyncPlanned } from '../../core/service.js';

type SyncFlags = OnboardingFlags & { concurrency: string; yes?: boolean };

/** The documented `sync --json` plan line (README, "orgconnect sync"). */
export function syncPlanJson(planned: SyncPlanned) {
  const { event: _event, operation: _operation, ...disconnect } = disconnectPlanJson(planned.disconnect);
  return {
    event: 'plan' as const,
    operation: 'sync' as const,
    organizationId: planned.snapshot.organization.id,
    deploy: planJson(planned.deploy),
    disconnect,
  };
}

function changes(planned: SyncPlanned) {
  const d = planned.deploy.plan.counts;
  const x = planned.disconnect.plan.counts;
  return { deploy: d.create + d.update + d.blocked, disconnect: x.delete + x.deregister + x.blocked };
}

export function registerSyncCommand(program: Command, context: CliContext): void {
  addOnboardingOptions(
    program
      .command('sync')
      .description(
        'Bring the connections up to date with the Organization: connect new accounts, update stacks on an older template or platform version, and disconnect accounts that closed or left. Shows the plan and asks first.',
      ),
  )
    .option('--concurrency <n>', 'stacks deployed or deleted at once', '8')
    .option('--yes', 'apply every planned change without asking (the plan is still printed)')
    .action(async (flags: SyncFlags) => {
      const { io } = context;
      const json = flags.json === true;
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
        throw new OrgConnectError('USAGE_CONCURRENCY', '--concurrency must be a whole number from 1 to 64.');
      }
      const request = onboardingRequest(flags, context.env);
      const profile = requireProfile(flags, context);
      const service = serviceForCli(context, { dataDir: flags.dataDir });
      const planned = await service.planSync(profile, request, {
        onPreflight: progressDots(context, json),
        detectCurBucket: detectCurBucket(flags),
      });
      if (io.isInteractive) io.stderr('\r\x1b[K');
      const todo = changes(planned);
      if (json) {
        printJsonLine(io, syncPlanJson(planned));
      } else {
        io.stdout('To deploy:\n');
        printPlan(io, planned.deploy);
        io.stdout('\nTo disconnect (accounts that closed or left the Organization):\n');
        printDisconnectPlan(io, planned.disconnect, false);
      }
      if (todo.deploy + todo.disconnect === 0) {
        if (!json) io.stdout('Nothing to sync: the connections match the Organization.\n');
        return;
      }
      if (!flags.yes) {
        if (!io.prompt) {
          throw new OrgConnectError(
            'USAGE_CONFIRMATION_REQUIRED',
            'sync asks before writing to AWS, but there is no terminal to ask on.',
            { fix: 'Review the plan and pass --yes.' },
          );
        }
        const d = planned.deploy.plan.counts;
        const x = planned.disconnect.plan.counts;
        const answer = await io.prompt(
          `Create ${d.create} and update ${d.update} stacks, disconnect ${x.delete + x.deregister} connection(s)? [y/N] `,
        );
        if (!/^y(es)?$/i.test(answer.trim())) {
          io.stderr('Nothing was changed.\n');
          return;
        }
      }
      let exitCode: 0 | 3 | 4 = 0;
      if (todo.deploy > 0) {
        const run = await service.createRun(profile, planned.deploy.request, planned.deploy, { concurrency });
        exitCode = await driveRun(context, run, { json, resumed: false, mode: 'start' });
        // A lapsed sign-in stops everything; the deploy run says how to resume it, and sync can simply run again.
        if (exitCode === 4) {
          context.exitCode = exitCode;
          return;
        }
      }
      if (todo.disconnect > 0) {
        const registrationOff = request.register === false || context.env['ORGCONNECT_NO_REGISTER'] === '1';
        const run = await service.createDisconnectRun(
          profile,
          planned.disconnect.request,
          { plan: planned.disconnect.plan, snapshot: planned.snapshot },
          { concurrency, deregisterFor: registrationOff ? deregisterNothing : deregisterFor },
        );
        const disconnectCode = await driveRun(context, run, { json, resumed: false, mode: 'start' });
        exitCode = Math.max(exitCode, disconnectCode) as 0 | 3 | 4;
      }
      context.exitCode = exitCode;
    });
}
