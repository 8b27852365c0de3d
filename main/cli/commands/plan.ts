import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson, tableOptions } from '../output.js';
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
import { planJson, printPlan } from '../plan-output.js';

export function registerPlanCommand(program: Command, context: CliContext): void {
  addOnboardingOptions(
    program
      .command('plan')
      .description('Show what deploy would do in each account (reads AWS only; writes nothing).'),
  ).action(async (flags: OnboardingFlags) => {
    const { io } = context;
    const request = onboardingRequest(flags, context.env);
    const service = serviceForCli(context, { dataDir: flags.dataDir });
    const result = await service.plan(requireProfile(flags, context), request, {
      onPreflight: progressDots(context, flags.json === true),
      detectCurBucket: detectCurBucket(flags),
      ...createCurOption(flags),
      ...regionOptions(flags),
    });
    if (flags.json) printJson(io, planJson(result));
    else printPlan(io, result, tableOptions(io, flags.wide));
  });
}

/** A quiet progress line on a terminal while preflight checks each account. */
export function progressDots(context: CliContext, json: boolean): (() => void) | undefined {
  if (!context.io.isInteractive) return undefined;
  let done = 0;
  return () => {
    done += 1;
    context.io.stderr(`\rChecking access… ${done} accounts${json ? '' : ''}`);
  };
}
