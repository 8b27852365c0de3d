/**
 * The per-account stacks engine: each account gets its own stack through its access role. `deployStack` starts
 * with DescribeStacks, so resume never redeploys blindly — a stack already complete with the same input tags is
 * recorded connected without a write, one in progress is waited for, an absent one is created.
 */
import type { AccountCredentials } from './account-credentials.js';
import { accountEngine } from './account-engine.js';
import type { RetryPolicy } from './retry.js';
import type { DeployItem } from './run-events.js';
import type { RunSecrets } from './run-secrets.js';
import type { CloudFormationFor, RunContext, RunEngine } from './run-engine.js';
import type { RegistrationHook } from './registration-hook.js';
import { deployStack, type PollPolicy } from './stack-deployer.js';

export interface StackSource {
  templateBody: string;
  parameters: Record<string, string>;
  tags?: Record<string, string>;
}

/** The template body + parameters for an item; the External ID comes in `secrets`, never from the journal. */
export type TemplateFor = (item: DeployItem, secrets: RunSecrets) => StackSource | Promise<StackSource>;

export interface StacksEngineOptions {
  credentialsFor: (accountId: string) => Promise<AccountCredentials>;
  cloudFormationFor: CloudFormationFor;
  templateFor: TemplateFor;
  deploy?: { retry?: Partial<RetryPolicy>; poll?: Partial<PollPolicy> };
}

export function stacksEngine(
  run: RunContext,
  hook: RegistrationHook,
  options: StacksEngineOptions,
): RunEngine {
  return accountEngine(run, hook, async (planned, attempt, noteStackId) => {
    const { accountId, kind } = planned;
    // Resolve once up front so a missing access role fails here, with its own code, before any client exists.
    await options.credentialsFor(accountId);
    const cloudformation = options.cloudFormationFor(accountId, () => options.credentialsFor(accountId));
    const source = await options.templateFor(planned, run.secrets);
    const result = await deployStack({
      cloudformation,
      stackName: planned.stackName,
      templateBody: source.templateBody,
      parameters: source.parameters,
      ...(source.tags === undefined ? {} : { tags: source.tags }),
      ...(planned.replace === true ? { replace: true } : {}),
      clock: run.clock,
      signal: run.signal,
      accountId,
      onProgress: (progress) => run.emitProgress({ ...progress, accountId, kind }),
      ...(options.deploy?.retry === undefined ? {} : { retry: options.deploy.retry }),
      ...(options.deploy?.poll === undefined ? {} : { poll: options.deploy.poll }),
    });
    noteStackId(result.stackId);
    const roleArn = result.outputs['RoleArn'];
    await hook.recordConnected(planned, {
      outcome: result.outcome,
      stackId: result.stackId,
      ...(roleArn === undefined ? {} : { roleArn }),
      attempt,
    });
  });
}
