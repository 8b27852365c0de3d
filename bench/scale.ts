/**
 * Scale (issue 18): the real `orgconnect` CLI against a 10,000-account Organization (400 OUs) in moto, behind the
 * latency proxy and the in-progress proxy (every new stack stays CREATE_IN_PROGRESS for T), stage by stage:
 *   discovery → plan (preflight in every account) → deploy at the default concurrency (a subset) → deploy at a
 *   high concurrency (every account; the subset is skipped as connected) → health "Check now" over every
 *   connection → journal replay (`runs`, and the `resume` fold in process) → the three report formats.
 * Each stage prints wall / bound (scale-bounds.ts) from the same run, and the CLI's peak RSS. Seeding moto is timed
 * but outside every figure.
 *
 * BENCH_ACCOUNTS (default 10,000; BENCH_QUICK=1: 200) sizes the Organization; BENCH_DEPLOY_DEFAULT_ACCOUNTS
 * (default 400) the subset deployed at the default concurrency, which cannot cover 10,000 accounts in a bench's
 * time (⌈10,000 / 8⌉ waves × T ≈ 50 min at T = 2 s); BENCH_HIGH_CONCURRENCY (default 64).
 *
 * BENCH_STOP_AFTER=discovery|plan stops after that stage (for working on one stage; the figures go to
 * scale-partial.json only).
 *
 * Run alone: `npx tsc -b && node --import tsx bench/scale.ts` (the CLI runs from dist/).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_DISCOVERY_CONCURRENCY } from '../main/core/org/discover-organization.js';
import { DEFAULT_PREFLIGHT_CONCURRENCY } from '../main/core/onboarding/preflight.js';
import { DEFAULT_CONCURRENCY } from '../main/core/onboarding/runner.js';
import { journalPath, listRuns, readRunState } from '../main/core/onboarding/journal.js';
import { writeTestAwsConfig } from '../test/support/aws-test-config.js';
import { startMoto } from '../test/support/moto.js';
import { seedOrganization } from '../test/support/seed-org.js';
import { runCliStage, type CliStageResult } from './support/cli-stage.js';
import { startDeployChild } from './support/deploy-child-client.js';
import { startProxyChain, type ProxyChain } from './support/proxy-chain.js';
import { machineInfo, round, writeResult } from './support/results.js';
import {
  DISCOVERY_LATENCY_MS,
  deployBoundMs,
  emulatorAwareBoundMs,
  healthPathMs,
  LATENCY_MS,
  preflightPathMs,
} from './support/scale-bounds.js';
import {
  emulatorFigures,
  writeScaleSummary,
  type ScaleStage,
  type StageMeasure,
} from './support/scale-summary.js';
import { discoveryRounds, treeBound } from './support/tree-bound.js';
import { writeEngineJournal } from './support/engine-journal.js';

const QUICK = process.env['BENCH_QUICK'] === '1';
const ACCOUNTS = Number(process.env['BENCH_ACCOUNTS'] ?? (QUICK ? 200 : 10_000));
const DEFAULT_SUBSET = Number(process.env['BENCH_DEPLOY_DEFAULT_ACCOUNTS'] ?? (QUICK ? 40 : 400));
const HIGH_SUBSET = Number(process.env['BENCH_DEPLOY_HIGH_ACCOUNTS'] ?? (QUICK ? ACCOUNTS : 1000));
const HIGH_CONCURRENCY = Number(process.env['BENCH_HIGH_CONCURRENCY'] ?? 64);
const STOP_AFTER = process.env['BENCH_STOP_AFTER'];
const REAL_STACK_MS = 20_000;
const ROOT = path.resolve(import.meta.dirname, '..');
/** T: a real IAM-role stack takes ~20 s; scaled by 0.1 as in bench/deploy-throughput.ts. */
const STACK_MS = Number(process.env['BENCH_STACK_MS'] ?? 2000);
const EXTERNAL_ID = 'bench-scale-external-id-7d2e';
/** The CLI's start, measured first; every CLI stage's wall includes it once. */
let cliStartMs = 0;
const TARGETS = {
  awsBoundRatio: 1.15,
  journalReplayMs: 2000,
  xlsxMs: 10_000,
  cliPeakRssMiB: 1024,
};

async function measured(
  proxy: ProxyChain,
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  okCodes: readonly number[] = [0],
): Promise<StageMeasure & { result: CliStageResult }> {
  await proxy.resetLog();
  const result = await runCliStage(args, env);
  const stats = await proxy.stats();
  if (!okCodes.includes(result.code)) {
    throw new Error(
      `${name}: orgconnect ${args[0]} exited ${result.code}\n${result.stderr.slice(-3000)}\n${result.stdout.slice(-2000)}`,
    );
  }
  return {
    result,
    wallMs: Math.round(result.wallMs),
    ...emulatorFigures(stats),
    peakRssMiB: result.peakRssMiB,
  };
}

/** A stage's first phase when it is the discovery stage's walk again (plan and health discover first). */
interface DiscoveryPhase {
  boundFor: (perCallMs: number) => number;
  measure: StageMeasure;
}

/**
 * `boundFor(perCallMs)`: the stage's chain bound (after its discovery phase, if any) with that much added to every
 * call (0, or R: the mean time a call spent at moto in this stage — its own service S plus the wait for the calls
 * moto was serving first; AWS serves concurrent calls at once, moto one after another, so that wait is the
 * emulator's, not the product's, and grows with the concurrency the product uses). Phases that follow each other add up: a stage that discovers first is bounded by
 * max(discovery chain, discovery's moto busy — both from the discovery stage of this run) + max(its own chain,
 * the rest of its moto busy time).
 */
function awsStage(
  name: string,
  detail: string,
  measure: StageMeasure,
  boundFor: (perCallMs: number) => number,
  formula: string,
  options: { cli?: boolean; discovery?: DiscoveryPhase } = {},
): ScaleStage {
  const cli = options.cli ?? true;
  const first = options.discovery;
  const firstLatency = first ? first.boundFor(0) : 0;
  const firstBound = first
    ? emulatorAwareBoundMs(first.boundFor(first.measure.motoResponseMsPerCall), first.measure.motoBusyMs)
    : 0;
  const restBusy = Math.max(0, measure.motoBusyMs - (first?.measure.motoBusyMs ?? 0));
  const latencyBoundMs = firstLatency + boundFor(0);
  const bound = firstBound + emulatorAwareBoundMs(boundFor(measure.motoResponseMsPerCall), restBusy);
  const { result: _result, ...figures } = measure as StageMeasure & { result?: unknown };
  const stage: ScaleStage = {
    name,
    detail,
    ...figures,
    latencyBoundMs: Math.round(latencyBoundMs),
    emulatorAwareBoundMs: bound,
    boundedBy: bound - firstBound === Math.round(restBusy) ? 'moto busy' : 'chain with R',
    ratioVsLatencyBound: round(measure.wallMs / latencyBoundMs),
    ratio: round(measure.wallMs / bound),
    ...(cli ? { ratioLessCliStart: round((measure.wallMs - cliStartMs) / bound) } : {}),
    target: TARGETS.awsBoundRatio,
    met: measure.wallMs / bound <= TARGETS.awsBoundRatio,
    formula,
  };
  console.log(
    `  ${name}: wall ${round(measure.wallMs / 1000, 1)} s; latency bound ${round(latencyBoundMs / 1000, 1)} s ` +
      `(ratio ${stage.ratioVsLatencyBound}); moto busy ${round(measure.motoBusyMs / 1000, 1)} s over ${measure.calls} calls ` +
      `(S ${measure.motoMsPerCall} ms/call, R ${measure.motoResponseMsPerCall}) → bound ${round(bound / 1000, 1)} s, ratio ${stage.ratio}` +
      `${stage.ratioLessCliStart === undefined ? '' : ` (${stage.ratioLessCliStart} without the CLI's start)`}; ` +
      `peak RSS ${measure.peakRssMiB} MiB`,
  );
  return stage;
}

function localStage(
  name: string,
  detail: string,
  wallMs: number,
  targetMs?: number,
  peakRssMiB?: number,
): ScaleStage {
  const stage: ScaleStage = {
    name,
    detail,
    wallMs: Math.round(wallMs),
    ...(peakRssMiB === undefined ? {} : { peakRssMiB }),
    ...(targetMs === undefined ? {} : { targetMs, ratio: round(wallMs / targetMs), met: wallMs < targetMs }),
  };
  console.log(
    `  ${name}: ${round(wallMs, 1)} ms${targetMs === undefined ? '' : ` (target < ${targetMs} ms, ratio ${stage.ratio})`}` +
      `${peakRssMiB === undefined ? '' : `; peak RSS ${peakRssMiB} MiB`}`,
  );
  return stage;
}

async function main(): Promise<void> {
  const started = performance.now();
  const moto = await startMoto();
  const seedStarted = performance.now();
  // depth 3 × branching 5 = 155 OUs, plus 245 under the first top-level OU: 400 OUs (QUICK: 20 + 20 = 40).
  const seeded = await seedOrganization({
    endpoint: moto.url,
    accounts: ACCOUNTS - 1,
    depth: QUICK ? 2 : 3,
    branching: QUICK ? 4 : 5,
    wideOus: QUICK ? 20 : 245,
    concurrency: 16,
  });
  const seedMs = performance.now() - seedStarted;
  console.log(
    `scale bench: seeded ${seeded.accounts.length} accounts in ${seeded.ous.length} OUs in ${round(seedMs / 1000, 1)} s ` +
      `(outside every figure); T = ${STACK_MS} ms`,
  );
  const proxy = await startProxyChain({ motoUrl: moto.url, stackMs: STACK_MS, latencyMs: { ...LATENCY_MS } });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-bench-scale-'));
  const outDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-bench-reports-'));
  const env = { ...writeTestAwsConfig(proxy.url).env, ORGCONNECT_HOME: dataDir };
  const onboarding = ['--profile', 'emulator', '--external-id', EXTERNAL_ID, '--json'];
  const stages: ScaleStage[] = [];
  // A run stopped part-way (the full size takes long against moto) keeps what it measured: every stage rewrites
  // scale-partial.json; the complete result is written at the end as before.
  const recordStage = (stage: ScaleStage): void => {
    stages.push(stage);
    writeResult(QUICK ? 'scale-quick-partial' : 'scale-partial', {
      bench: 'scale',
      partial: true,
      date: new Date().toISOString(),
      machine: machineInfo(),
      accounts: seeded.accounts.length,
      ous: seeded.ous.length,
      seedMs: Math.round(seedMs),
      latencyMs: LATENCY_MS,
      stackInProgressMs: STACK_MS,
      targets: TARGETS,
      stages,
    });
  };
  const tree = treeBound(seeded);
  const discoveryMs = (perCallMs: number): number =>
    (DISCOVERY_LATENCY_MS + perCallMs) * discoveryRounds(tree, DEFAULT_DISCOVERY_CONCURRENCY);
  const members = seeded.memberAccountIds;
  const subset = [seeded.managementAccountId, ...members.slice(0, Math.max(0, DEFAULT_SUBSET - 1))];
  // The high-concurrency run selects the default run's accounts too (skipped as connected) and more after them.
  const highTargets = Math.min(HIGH_SUBSET, seeded.accounts.length);
  const highSelect =
    highTargets >= seeded.accounts.length
      ? 'all'
      : [seeded.managementAccountId, ...members.slice(0, highTargets - 1)].join(',');
  try {
    // The CLI's own start (Node, the CLI's modules, no AWS call): part of every CLI stage's wall, none of its work.
    const startup = await runCliStage(['--version'], env);
    cliStartMs = Math.round(startup.wallMs);
    recordStage(
      localStage('CLI start (orgconnect --version)', 'Node + the CLI modules, no AWS call', startup.wallMs),
    );

    // 1. Discovery.
    const discovery = await measured(
      proxy,
      'discovery',
      ['accounts', '--profile', 'emulator', '--json'],
      env,
    );
    const found = (JSON.parse(discovery.result.stdout) as { accounts: unknown[] }).accounts.length;
    if (found !== seeded.accounts.length)
      throw new Error(`discovery found ${found} of ${seeded.accounts.length}`);
    recordStage(
      awsStage(
        'discovery',
        `${found} accounts, ${seeded.ous.length} OUs, c = ${DEFAULT_DISCOVERY_CONCURRENCY}`,
        discovery,
        discoveryMs,
        '(L + R) × (3 + max(ceil(treeCalls / c), criticalPath)), L = 50 ms',
      ),
    );

    if (STOP_AFTER === 'discovery') return;

    // 2. Plan: discovery, then preflight in every account.
    const plan = await measured(proxy, 'plan', ['plan', ...onboarding], env);
    const planCalls = plan.byOperation;
    const discoveryPhase = { boundFor: discoveryMs, measure: discovery };
    const preflightMs = (targets: number, perCallMs: number): number =>
      Math.ceil(targets / DEFAULT_PREFLIGHT_CONCURRENCY) *
      preflightPathMs(planCalls, seeded.accounts.length, perCallMs);
    const preflightPath = preflightPathMs(planCalls, seeded.accounts.length);
    recordStage(
      awsStage(
        'plan',
        `preflight in ${seeded.accounts.length} accounts, c = ${DEFAULT_PREFLIGHT_CONCURRENCY} (path ${round(preflightPath)} ms/account)`,
        plan,
        (perCallMs) => preflightMs(seeded.accounts.length, perCallMs),
        'discovery phase + ceil(N / c_preflight) × (AssumeRole + GetCallerIdentity + max(GetRole / 2, DescribeStacks)), ' +
          'each step (L(op) + R) × calls(op) / N (the reads after GetCallerIdentity run at once)',
        { discovery: discoveryPhase },
      ),
    );

    if (STOP_AFTER === 'plan') return;

    // 3. and 4. Deploy: the default concurrency on a subset, then a high concurrency over every account.
    const deploys = [
      {
        label: 'deploy-default',
        concurrency: DEFAULT_CONCURRENCY,
        select: subset.join(','),
        targets: subset.length,
      },
      { label: 'deploy-high', concurrency: HIGH_CONCURRENCY, select: highSelect, targets: highTargets },
    ];
    const runIds: string[] = [];
    const deployer = await startDeployChild(ROOT, proxy, {
      env: env as Record<string, string>,
      dataDir,
      externalId: EXTERNAL_ID,
      pollScale: STACK_MS / REAL_STACK_MS,
    });
    for (const deploy of deploys) {
      const m = await deployer.deploy(deploy.select, deploy.concurrency);
      runIds.push(m.runId);
      const connected = (m.counts['connected'] ?? 0) + (m.counts['skipped'] ?? 0);
      if (connected !== deploy.targets) {
        throw new Error(`${deploy.label}: ${connected} of ${deploy.targets} connected or skipped`);
      }
      const creates = m.byOperation['CreateStack'] ?? 0;
      const billingCreated = deploy.label === 'deploy-default';
      recordStage(
        awsStage(
          deploy.label,
          `${deploy.targets} accounts selected, ${creates} stacks created, c = ${deploy.concurrency}, T = ${STACK_MS} ms ` +
            `(its plan first: ${round(m.planMs / 1000, 1)} s)`,
          m,
          (perCallMs) =>
            deployBoundMs({
              stackMs: STACK_MS,
              concurrency: deploy.concurrency,
              memberCreates: creates - (billingCreated ? 1 : 0),
              billingCreated,
              perCallMs,
            }),
          '[billing: desc + create + T + desc] + ceil(creates / c) × (desc + create + T + desc), each call L + R',
          { cli: false },
        ),
      );
    }
    await deployer.stop();

    // 5. Health "Check now" over every connection (exit 3: not every connection healthy — nothing is registered with
    // a platform). The checks moto cannot answer are skipped, as the app's "Skip drift, Regions and CUR checks"
    // does against an emulator: moto does not implement DetectStackDrift, and the SDK's retry backoff on its error
    // (6 attempts per connection) would be the figure, not the product.
    const health = await measured(
      proxy,
      'health',
      ['health', '--profile', 'emulator', '--json', '--skip', 'stack-drift,regions-sts,cur'],
      env,
      [0, 3],
    );
    const healthBody = JSON.parse(health.result.stdout) as { summary: Record<string, number> };
    const connections = healthBody.summary['total'] ?? 0;
    if (connections !== highTargets)
      throw new Error(`health checked ${connections} connections of ${highTargets}`);
    const healthBound = (perCallMs: number): number =>
      Math.ceil(connections / 8) * healthPathMs(health.byOperation, connections, perCallMs);
    recordStage(
      awsStage(
        'health',
        `Check now over ${connections} connections, c = 8, drift / Regions / CUR skipped (healthy ${healthBody.summary['healthy']})`,
        health,
        healthBound,
        'discovery phase + ceil(connections / c) × (AssumeRole + max(GetRole, DescribeStacks, ListAttachedRolePolicies, ListRolePolicies + GetRolePolicy)), each call L + R',
        { discovery: discoveryPhase },
      ),
    );

    // 6. Journal replay: `runs` (every journal folded), and the fold `resume` starts from, in process.
    const runs = await runCliStage(['runs', '--json'], env);
    if (runs.code !== 0) throw new Error(`runs exited ${runs.code}: ${runs.stderr}`);
    recordStage(
      localStage(
        'journal replay: runs',
        `${runIds.length} journals`,
        runs.wallMs,
        TARGETS.journalReplayMs,
        runs.peakRssMiB,
      ),
    );
    const bigRun = runIds.at(-1) ?? '';
    const foldStarted = performance.now();
    const state = await readRunState(dataDir, bigRun);
    const foldMs = performance.now() - foldStarted;
    const listStarted = performance.now();
    await listRuns(dataDir);
    const listMs = performance.now() - listStarted;
    const journalBytes = statSync(journalPath(dataDir, bigRun), { throwIfNoEntry: false })?.size;
    recordStage(
      localStage(
        'journal replay: resume fold',
        `${state.accounts.length} rows${journalBytes === undefined ? '' : `, ${round(journalBytes / 2 ** 20, 1)} MiB journal`}; listRuns ${round(listMs)} ms`,
        foldMs,
        TARGETS.journalReplayMs,
      ),
    );

    // 6b. A journal of every account of the Organization (ACCOUNTS rows) written by the real engine over in-process
    // AWS fakes (support/engine-journal.ts; 10,000 moto deploys would not fit the bench), then replayed the same ways.
    const bigDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-bench-journal-'));
    try {
      const written = await writeEngineJournal(bigDir, seeded.accounts.length, HIGH_CONCURRENCY);
      recordStage(
        localStage(
          'engine journal write',
          `${written.connected} rows deployed by the engine over in-process fakes, c = ${HIGH_CONCURRENCY} (every change fsynced before it is shown)`,
          written.ms,
        ),
      );
      const bigRuns = await runCliStage(['runs', '--json', '--data-dir', bigDir], env);
      if (bigRuns.code !== 0) throw new Error(`runs (big journal) exited ${bigRuns.code}: ${bigRuns.stderr}`);
      recordStage(
        localStage(
          'journal replay: runs (full-size journal)',
          `${written.connected} rows, ${round(statSync(journalPath(bigDir, written.runId)).size / 2 ** 20, 1)} MiB`,
          bigRuns.wallMs,
          TARGETS.journalReplayMs,
          bigRuns.peakRssMiB,
        ),
      );
      const bigFoldStarted = performance.now();
      const bigState = await readRunState(bigDir, written.runId);
      recordStage(
        localStage(
          'journal replay: resume fold (full-size journal)',
          `${bigState.accounts.length} rows, in process`,
          performance.now() - bigFoldStarted,
          TARGETS.journalReplayMs,
        ),
      );
    } finally {
      rmSync(bigDir, { recursive: true, force: true });
    }

    // 7. Reports: every account of the Organization is a row (connected or not).
    for (const format of ['csv', 'json', 'xlsx'] as const) {
      const out = path.join(outDir, `report.${format}`);
      const report = await runCliStage(['report', '--format', format, '--out', out], env);
      if (report.code !== 0) throw new Error(`report ${format} exited ${report.code}: ${report.stderr}`);
      recordStage(
        localStage(
          `report ${format}`,
          `${seeded.accounts.length} rows, ${round(statSync(out).size / 2 ** 20, 1)} MiB`,
          report.wallMs,
          format === 'xlsx' ? TARGETS.xlsxMs : undefined,
          report.peakRssMiB,
        ),
      );
    }
  } finally {
    await proxy.stop();
    await moto.stop();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
  const peakRss = Math.max(...stages.map((s) => s.peakRssMiB ?? 0));
  console.log(`  CLI peak RSS over every stage: ${peakRss} MiB (target < ${TARGETS.cliPeakRssMiB} MiB)`);
  const result = {
    bench: 'scale',
    date: new Date().toISOString(),
    machine: machineInfo(),
    quick: QUICK,
    accounts: seeded.accounts.length,
    ous: seeded.ous.length,
    defaultSubset: subset.length,
    highConcurrency: HIGH_CONCURRENCY,
    stackInProgressMs: STACK_MS,
    latencyMs: LATENCY_MS,
    seedMs: Math.round(seedMs),
    totalMs: Math.round(performance.now() - started),
    tree,
    targets: TARGETS,
    cliPeakRssMiB: peakRss,
    cliPeakRssMet: peakRss < TARGETS.cliPeakRssMiB,
    stages,
    bounds:
      'emulator-aware bound = max(the chain with L + R per call, moto busy time); moto serves one request at a time, so its busy time is S × calls, and a call waits for the ones ahead of it: R = S + that wait, both measured in this run',
  };
  const file = writeResult(QUICK ? 'scale-quick' : 'scale', result);
  console.log(`  → ${path.relative(process.cwd(), file)}`);
  console.log(`  → ${path.relative(process.cwd(), writeScaleSummary(result))}`);
}

await main();
