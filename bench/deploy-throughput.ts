/**
 * Deploy throughput (issue 7, bench 1): the real deploy engine (startRun → deployStack) against moto through the
 * fault proxy with AWS-like latency, and stacks that stay CREATE_IN_PROGRESS for T after CreateStack.
 *
 * Per run it reports wall time, the bound `ceil(members / concurrency) × T + fan-out cost` and wall / bound, and
 * the engine process's CPU per account. The bound is what a perfect scheduler would need given the injected waits:
 *   billing (alone, by the billing gate): lat(DescribeStacks) + lat(CreateStack) + T + lat(DescribeStacks)
 *   + ceil(members / c) waves of:        lat(AssumeRole) + lat(DescribeStacks) + lat(CreateStack) + T + lat(DescribeStacks)
 * i.e. ceil(members / c) × T + fan-out, where fan-out is the billing item plus the per-wave call latency.
 * moto's own processing time is not in the bound; it shows up in the ratio.
 *
 * CPU: process.cpuUsage() (user + system) of this process around `run.start()`, divided by the accounts in the
 * run; nothing subtracted. This process runs the engine, the SDK clients (signing, XML parsing), the journal
 * (fsync per state change) and nothing else: the proxies run in a child process and moto is Python.
 *
 * Run alone: `node --import tsx bench/deploy-throughput.ts` (BENCH_QUICK=1 for a small smoke run).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import pLimit from 'p-limit';
import { Session } from 'node:inspector/promises';
import { sharedRequestHandler } from '../main/core/aws/shared-connections.js';
import { createAccountCredentials } from '../main/core/onboarding/account-credentials.js';
import type { DeployItem } from '../main/core/onboarding/run-events.js';
import { startRun } from '../main/core/onboarding/runner.js';
import { DEFAULT_POLL_POLICY, type PollPolicy } from '../main/core/onboarding/stack-deployer.js';
import { startMoto } from '../test/support/moto.js';
import { MOTO_DEFAULT_CREDENTIALS, seedOrganization } from '../test/support/seed-org.js';
import { startProxyChain } from './support/proxy-chain.js';
import { machineInfo, round, writeResult } from './support/results.js';

const QUICK = process.env['BENCH_QUICK'] === '1';
const REGION = 'us-east-1';
const EXTERNAL_ID = 'bench-external-id-4f1c9e';
/** T: how long each stack stays CREATE_IN_PROGRESS (real IAM-role stacks take ~20 s; scaled down 10×). */
const STACK_MS = Number(process.env['BENCH_STACK_MS'] ?? (QUICK ? 1000 : 2000));
const LATENCY_MS = { AssumeRole: 150, CreateStack: 300, DescribeStacks: 60, GetCallerIdentity: 60 };
/**
 * T stands for a real ~20 s IAM-role stack, so the engine's poll schedule is scaled by the same factor: the bench
 * then shows how late the production schedule notices a finished stack, relative to T. `unscaled` keeps the
 * production schedule as is (1 s first poll on a 2 s stack), to show what poll granularity alone costs.
 */
const REAL_STACK_MS = 20_000;
const POLL_SCALE = STACK_MS / REAL_STACK_MS;
const SCALED_POLL: Partial<PollPolicy> = {
  baseMs: DEFAULT_POLL_POLICY.baseMs * POLL_SCALE,
  capMs: DEFAULT_POLL_POLICY.capMs * POLL_SCALE,
};

const TEMPLATE = JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: {
    ExternalId: { Type: 'String', NoEcho: true },
    RoleName: { Type: 'String' },
  },
  Resources: {
    PlatformRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: { Ref: 'RoleName' },
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::061190967865:root' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
            },
          ],
        },
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      },
    },
  },
  Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['PlatformRole', 'Arn'] } } },
});

interface Combo {
  accounts: number;
  concurrency: number;
  poll: 'scaled' | 'unscaled';
}

interface ComboResult extends Combo {
  wallMs: number;
  boundMs: number;
  ratio: number;
  connected: number;
  cpuMsPerAccount: number;
  calls: Record<string, number>;
  describeRewrittenInProgress: number;
}

const HEADLINE: Combo[] = QUICK
  ? [
      { accounts: 10, concurrency: 1, poll: 'scaled' },
      { accounts: 40, concurrency: 8, poll: 'scaled' },
      { accounts: 40, concurrency: 32, poll: 'scaled' },
      { accounts: 40, concurrency: 32, poll: 'unscaled' },
    ]
  : [
      // Sequential is measured on 20 accounts: concurrency 1 × 200 would take ~10 minutes (200 × ~3 s).
      { accounts: 20, concurrency: 1, poll: 'scaled' },
      { accounts: 20, concurrency: 8, poll: 'scaled' },
      { accounts: 20, concurrency: 32, poll: 'scaled' },
      { accounts: 200, concurrency: 8, poll: 'scaled' },
      { accounts: 200, concurrency: 32, poll: 'scaled' },
      { accounts: 1000, concurrency: 32, poll: 'scaled' },
      { accounts: 200, concurrency: 32, poll: 'unscaled' },
    ];
const SKIPPED = QUICK
  ? []
  : [
      '1 × 1000 accounts (≈ 50 min) and 1 × 200 (≈ 10 min): sequential measured on 20 accounts instead',
      '8 × 1000 accounts (≈ 7 min): concurrency 8 measured on 20 and 200 accounts',
    ];

function boundMs(combo: Combo): number {
  const members = combo.accounts - 1;
  const waves = Math.ceil(members / combo.concurrency);
  const describe = LATENCY_MS.DescribeStacks;
  const billing = describe + LATENCY_MS.CreateStack + STACK_MS + describe;
  const memberFanOut = LATENCY_MS.AssumeRole + describe + LATENCY_MS.CreateStack + describe;
  return waves * STACK_MS + billing + waves * memberFanOut;
}

/**
 * The same AWS calls a deploy makes per account (AssumeRole, DescribeStacks of the absent stack, CreateStack, the
 * run's average number of DescribeStacks polls), made straight with the SDK at the same concurrency: no engine,
 * journal, retry wrapper or events. Its CPU per account is the floor the SDK alone costs in this process, so
 * total − baseline is what the engine itself adds. No waiting between polls: wall time is not the point here.
 */
async function sdkBaseline(
  proxyUrl: string,
  accountIds: readonly string[],
  concurrency: number,
  describesPerAccount: number,
): Promise<number> {
  const credentials = createAccountCredentials({
    managementCredentials: async () => MOTO_DEFAULT_CREDENTIALS,
    region: REGION,
    stsEndpoint: proxyUrl,
  });
  const limit = pLimit(concurrency);
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    accountIds.map((accountId) =>
      limit(async () => {
        await credentials.credentialsFor(accountId);
        const cfn = new CloudFormationClient({
          region: REGION,
          endpoint: proxyUrl,
          credentials: () => credentials.credentialsFor(accountId),
          requestHandler: sharedRequestHandler(),
        });
        await cfn.send(new DescribeStacksCommand({ StackName: 'bench-baseline' })).catch(() => undefined);
        await cfn.send(
          new CreateStackCommand({
            StackName: 'bench-baseline',
            TemplateBody: TEMPLATE,
            Parameters: [
              { ParameterKey: 'ExternalId', ParameterValue: EXTERNAL_ID },
              { ParameterKey: 'RoleName', ParameterValue: 'bench-baseline-role' },
            ],
            Capabilities: ['CAPABILITY_NAMED_IAM'],
          }),
        );
        for (let i = 0; i < describesPerAccount; i++) {
          await cfn.send(new DescribeStacksCommand({ StackName: 'bench-baseline' }));
        }
      }),
    ),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return (cpu.user + cpu.system) / 1000 / accountIds.length;
}

/** Where CPU went, by code: the engine's own modules, the AWS SDK, zod, Node internals (sockets, TLS, fs), GC. */
interface ProfileBreakdown {
  accounts: number;
  sampledMs: number;
  msPerAccount: Record<string, number>;
  note: string;
}

type ProfileNode = { id: number; callFrame: { url: string; functionName: string } };

function codeGroup(node: ProfileNode): string | undefined {
  const { url, functionName } = node.callFrame;
  if (functionName === '(idle)' || functionName === '(root)') return undefined;
  if (functionName === '(garbage collector)') return 'gc';
  if (url.includes('/node_modules/@smithy/') || url.includes('/node_modules/@aws-sdk/')) return 'aws-sdk';
  if (url.includes('/node_modules/zod/')) return 'zod';
  if (url.includes('/main/core/')) return 'engine';
  if (url.includes('/node_modules/')) return 'other-libraries';
  if (url.startsWith('node:') || url === '') return 'node-internals';
  return 'bench-harness';
}

async function startProfiler(): Promise<{ stop(accounts: number): Promise<ProfileBreakdown> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(accounts) {
      const { profile } = (await session.post('Profiler.stop')) as unknown as {
        profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
      };
      session.disconnect();
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      const totals: Record<string, number> = {};
      let sampled = 0;
      profile.samples.forEach((id, i) => {
        const node = byId.get(id);
        const group = node ? codeGroup(node) : undefined;
        const micros = profile.timeDeltas[i] ?? 0;
        if (group === undefined) return;
        sampled += micros;
        totals[group] = (totals[group] ?? 0) + micros;
      });
      return {
        accounts,
        sampledMs: Math.round(sampled / 1000),
        msPerAccount: Object.fromEntries(
          Object.entries(totals)
            .sort(([, a], [, b]) => b - a)
            .map(([group, micros]) => [group, round(micros / 1000 / accounts, 2)]),
        ),
        note: 'self time of sampled functions (200 µs sampling) on the main thread, grouped by code; idle excluded',
      };
    },
  };
}

async function main(): Promise<void> {
  const maxAccounts = Math.max(...HEADLINE.map((c) => c.accounts));
  const moto = await startMoto();
  const seedStarted = performance.now();
  const seeded = await seedOrganization({
    endpoint: moto.url,
    accounts: maxAccounts - 1,
    depth: 1,
    branching: 4,
    concurrency: 16,
  });
  const seedMs = performance.now() - seedStarted;
  console.log(
    `deploy bench: seeded ${maxAccounts} accounts in moto in ${round(seedMs / 1000, 1)} s; T = ${STACK_MS} ms`,
  );

  const proxy = await startProxyChain({ motoUrl: moto.url, stackMs: STACK_MS, latencyMs: LATENCY_MS });
  const results: ComboResult[] = [];
  let baseline:
    | {
        accounts: number;
        concurrency: number;
        describesPerAccount: number;
        cpuMsPerAccount: number;
        engineRun: { accounts: number; concurrency: number; cpuMsPerAccount: number };
        engineOverheadMsPerAccount?: number;
      }
    | undefined;
  const reference =
    HEADLINE.find((c) => c.accounts === 200 && c.concurrency === 32 && c.poll === 'scaled') ?? HEADLINE.at(-1);
  // First an untimed warm-up (module loading and JIT would otherwise land on the first measured run), then the
  // measured runs, then the reference run again under the CPU profiler to attribute CPU to the engine's own code.
  const jobs: { combo: Combo; tag: string; kind: 'warm-up' | 'measured' | 'profiled' }[] = [
    { combo: { accounts: 4, concurrency: 2, poll: 'scaled' }, tag: 'warm', kind: 'warm-up' },
    ...HEADLINE.map((combo, index) => ({ combo, tag: `r${index}`, kind: 'measured' as const })),
    ...(reference ? [{ combo: reference, tag: 'prof', kind: 'profiled' as const }] : []),
  ];
  let profiled: ProfileBreakdown | undefined;
  try {
    for (const { combo, tag, kind } of jobs) {
      // Each run deploys fresh stacks and roles (names carry the run tag), so no run sees another's stacks.
      const members = seeded.memberAccountIds.slice(0, combo.accounts - 1);
      const items: DeployItem[] = [
        {
          accountId: seeded.managementAccountId,
          accountName: 'management',
          ouPath: 'Root',
          kind: 'billing',
          connectionName: 'management',
          stackName: `bench-billing-${tag}`,
          action: 'create',
        },
        ...members.map((accountId, i): DeployItem => ({
          accountId,
          accountName: `acct-${i}`,
          ouPath: 'Root',
          kind: 'resource',
          connectionName: `acct-${i}`,
          stackName: `bench-resource-${tag}`,
          action: 'create',
        })),
      ];
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'orgconnect-bench-'));
      const credentials = createAccountCredentials({
        managementCredentials: async () => MOTO_DEFAULT_CREDENTIALS,
        managementAccountId: seeded.managementAccountId,
        region: REGION,
        stsEndpoint: proxy.url,
      });
      await proxy.resetLog();
      const run = await startRun({
        dataDir,
        items,
        settings: {
          platformAccountId: '061190967865',
          externalId: EXTERNAL_ID,
          accessRoleName: 'OrganizationAccountAccessRole',
          region: REGION,
        },
        managementAccountId: seeded.managementAccountId,
        profile: 'bench',
        credentialsFor: credentials.credentialsFor,
        // As the product's client factory builds them: one client per account, one shared connection pool.
        cloudFormationFor: (_accountId, provider) =>
          new CloudFormationClient({
            region: REGION,
            endpoint: proxy.url,
            credentials: provider,
            requestHandler: sharedRequestHandler(),
          }),
        templateFor: (item, secrets) => ({
          templateBody: TEMPLATE,
          parameters: { ExternalId: secrets.externalId, RoleName: `bench-platform-${item.kind}-${tag}` },
        }),
        concurrency: combo.concurrency,
        ...(combo.poll === 'scaled' ? { deploy: { poll: SCALED_POLL } } : {}),
      });
      const profiler = kind === 'profiled' ? await startProfiler() : undefined;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const final = await run.start();
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      if (profiler) profiled = await profiler.stop(combo.accounts);
      await run.close();
      await rm(dataDir, { recursive: true, force: true });
      const stats = await proxy.stats();
      if (final.counts.connected !== combo.accounts)
        throw new Error(`${kind} run: only ${final.counts.connected} of ${combo.accounts} accounts connected`);
      if (kind !== 'measured') {
        if (profiled && kind === 'profiled') {
          console.log(
            `  profiled rerun of N=${combo.accounts} c=${combo.concurrency}: CPU ms/account by code — ` +
              Object.entries(profiled.msPerAccount)
                .map(([group, ms]) => `${group} ${ms}`)
                .join(', '),
          );
        }
        continue;
      }
      const bound = boundMs(combo);
      const result: ComboResult = {
        ...combo,
        wallMs: Math.round(wallMs),
        boundMs: bound,
        ratio: round(wallMs / bound),
        connected: final.counts.connected ?? 0,
        cpuMsPerAccount: round((cpu.user + cpu.system) / 1000 / combo.accounts),
        calls: stats.byOperation,
        describeRewrittenInProgress: stats.rewritten,
      };
      results.push(result);
      console.log(
        `  N=${String(combo.accounts).padStart(4)} c=${String(combo.concurrency).padStart(2)} poll=${combo.poll.padEnd(10)} ` +
          `wall ${round(wallMs / 1000, 1)} s  bound ${round(bound / 1000, 1)} s  ratio ${result.ratio}  ` +
          `cpu ${result.cpuMsPerAccount} ms/account  connected ${result.connected}/${combo.accounts}`,
      );
      if (result.connected !== combo.accounts) {
        throw new Error(
          `only ${result.connected} of ${combo.accounts} accounts connected: the figures would be meaningless`,
        );
      }
    }
    // The baseline uses the 200-account c=32 production run's call mix, on accounts no run has touched.
    const referenceResult =
      results.find((r) => r.accounts === 200 && r.concurrency === 32 && r.poll === 'scaled') ??
      results.at(-1);
    if (referenceResult) {
      const reference = referenceResult;
      const describes = Math.round(
        ((reference.calls['DescribeStacks'] ?? 0) - reference.accounts) / reference.accounts,
      );
      const fresh = seeded.memberAccountIds.slice(-Math.min(200, seeded.memberAccountIds.length));
      baseline = {
        accounts: fresh.length,
        concurrency: reference.concurrency,
        describesPerAccount: describes + 1,
        cpuMsPerAccount: round(await sdkBaseline(proxy.url, fresh, reference.concurrency, describes)),
        engineRun: {
          accounts: reference.accounts,
          concurrency: reference.concurrency,
          cpuMsPerAccount: reference.cpuMsPerAccount,
        },
      };
      baseline.engineOverheadMsPerAccount = round(reference.cpuMsPerAccount - baseline.cpuMsPerAccount);
      console.log(
        `  SDK-only baseline (same calls, no engine), ${fresh.length} accounts c=${reference.concurrency}: ` +
          `${baseline.cpuMsPerAccount} ms/account → engine run minus baseline ≈ ${baseline.engineOverheadMsPerAccount} ms/account`,
      );
    }
  } finally {
    await proxy.stop();
    await moto.stop();
  }
  for (const skipped of SKIPPED) console.log(`  skipped: ${skipped}`);

  const file = writeResult('deploy-throughput', {
    bench: 'deploy-throughput',
    date: new Date().toISOString(),
    machine: machineInfo(),
    quick: QUICK,
    stackInProgressMs: STACK_MS,
    latencyMs: LATENCY_MS,
    poll: {
      realStackMs: REAL_STACK_MS,
      scale: POLL_SCALE,
      unscaled: DEFAULT_POLL_POLICY,
      scaled: { ...DEFAULT_POLL_POLICY, ...SCALED_POLL },
    },
    seedMs: Math.round(seedMs),
    bound:
      'billing (desc + create + T + desc) + ceil((N-1)/c) × (T + assumeRole + desc + create + desc), injected latencies only',
    cpu: 'process.cpuUsage() user+system of the engine process around run.start(), / N; proxies in a child process, moto separate',
    targets: { ratioAtConcurrency32: 1.25, cpuMsPerAccount: 2 },
    skipped: SKIPPED,
    runs: results,
    sdkBaseline: baseline,
    profile: profiled,
  });
  console.log(`  → ${path.relative(process.cwd(), file)}`);
}

await main();
