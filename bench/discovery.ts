/**
 * Discovery (issue 7, bench 2): discoverOrganization over a 5,000-account Organization with 200 OUs in moto,
 * every call delayed by the fault proxy (50 ms, an Organizations-like round trip), sequential (concurrency 1)
 * against the bounded-parallel per-OU walk (the default, and 8).
 *
 * Bounds, from the seeded tree (pages of 20, the Organizations maximum the walker asks for):
 * - calls ≥ 3 (GetCallerIdentity, DescribeOrganization, ListRoots) + Σ over root and OUs of
 *   max(1, ⌈child OUs / 20⌉) + max(1, ⌈accounts / 20⌉) — every parent must be listed, every page fetched;
 * - wall ≥ L × (3 + max(⌈tree calls / c⌉, critical path)), where the critical path is the longest chain of pages
 *   that must follow each other (the OU pages of every ancestor, then a parent's own pages, which are sequential
 *   because each needs the previous NextToken).
 *
 * moto is one Python process that answers about one call at a time and takes S ms per call (it scans every
 * account for each ListAccountsForParent); on AWS that time is inside the round trip. So the target is judged
 * against the bound of an ideal client talking to *this* server: calls cost L + S, and the server cannot answer
 * more than one call per S:  max((L + S) × (3 + max(⌈tree calls / c⌉, critical path)), S × calls), with S moto's
 * mean time per call measured in the sequential run (no contention). The pure latency bound is reported too.
 *
 * Run alone: `node --import tsx bench/discovery.ts` (BENCH_QUICK=1 for 500 accounts).
 */
import path from 'node:path';
import {
  discoverOrganization,
  DEFAULT_DISCOVERY_CONCURRENCY,
} from '../main/core/org/discover-organization.js';
import { startMoto } from '../test/support/moto.js';
import { motoDiscoveryClients, seedOrganization } from '../test/support/seed-org.js';
import { startProxyChain } from './support/proxy-chain.js';
import { machineInfo, round, writeResult } from './support/results.js';
import { discoveryRounds, PAGE, treeBound } from './support/tree-bound.js';

const QUICK = process.env['BENCH_QUICK'] === '1';
const ACCOUNTS = QUICK ? 500 : 5000;
const LATENCY_MS = 50;
const CONCURRENCIES = [1, DEFAULT_DISCOVERY_CONCURRENCY, 8];

async function main(): Promise<void> {
  const moto = await startMoto();
  const seedStarted = performance.now();
  // depth 3 × branching 5 = 155 OUs, plus 45 under the first top-level OU: 200 OUs, one parent with > 2 pages.
  const seeded = await seedOrganization({
    endpoint: moto.url,
    accounts: ACCOUNTS - 1,
    depth: 3,
    branching: 5,
    wideOus: 45,
    concurrency: 16,
  });
  const seedMs = performance.now() - seedStarted;
  const bound = treeBound(seeded);
  // ListAccounts pages must follow each other (each needs the previous NextToken): the paging bound.
  const flatPages = Math.ceil(seeded.accounts.length / PAGE);
  console.log(
    `discovery bench: seeded ${seeded.accounts.length} accounts in ${seeded.ous.length} OUs in ${round(seedMs / 1000, 1)} s; ` +
      `${LATENCY_MS} ms per call\n  per-OU walk: at least ${bound.minimumCalls} calls, critical path ${bound.criticalPathCalls}; ` +
      `a flat ListAccounts would need ${flatPages} sequential pages of ${PAGE} (${round((flatPages * LATENCY_MS) / 1000, 1)} s of latency alone)`,
  );

  const proxy = await startProxyChain({ motoUrl: moto.url, stackMs: 0, latencyMs: LATENCY_MS });
  const runs = [];
  /** moto's time per call without contention, from the sequential run (which is measured first). */
  let serviceMs: number | undefined;
  try {
    for (const concurrency of CONCURRENCIES) {
      await proxy.resetLog();
      const started = performance.now();
      const snapshot = await discoverOrganization(motoDiscoveryClients(proxy.url), { concurrency });
      const wallMs = performance.now() - started;
      const stats = await proxy.stats();
      if (snapshot.accounts.length !== seeded.accounts.length || snapshot.ous.length !== seeded.ous.length) {
        throw new Error(
          `discovery found ${snapshot.accounts.length} accounts / ${snapshot.ous.length} OUs, seeded ${seeded.accounts.length} / ${seeded.ous.length}`,
        );
      }
      const rounds = discoveryRounds(bound, concurrency);
      const boundMs = LATENCY_MS * rounds;
      if (concurrency === 1) serviceMs = stats.emulator.sumMs / Math.max(1, stats.emulator.calls);
      const s = serviceMs ?? 0;
      const emulatorBoundMs = Math.round(Math.max((LATENCY_MS + s) * rounds, s * stats.total));
      const run = {
        concurrency,
        isDefault: concurrency === DEFAULT_DISCOVERY_CONCURRENCY,
        wallMs: Math.round(wallMs),
        boundMs,
        ratio: round(wallMs / boundMs),
        emulatorBoundMs,
        ratioVsEmulatorBound: round(wallMs / emulatorBoundMs),
        emulator: {
          meanMsPerCall: round(stats.emulator.sumMs / Math.max(1, stats.emulator.calls)),
          busyMs: Math.round(stats.emulator.busyMs),
        },
        calls: stats.total,
        callRatio: round(stats.total / bound.minimumCalls),
        byOperation: stats.byOperation,
        accounts: snapshot.accounts.length,
        ous: snapshot.ous.length,
      };
      runs.push(run);
      console.log(
        `  c=${concurrency}${run.isDefault ? ' (default)' : ''}: wall ${round(wallMs / 1000, 1)} s; ` +
          `latency bound ${round(boundMs / 1000, 1)} s (ratio ${run.ratio}); ` +
          `with moto's ${round(s, 1)} ms/call ${round(emulatorBoundMs / 1000, 1)} s (ratio ${run.ratioVsEmulatorBound}); ` +
          `moto busy ${round(stats.emulator.busyMs / 1000, 1)} s; calls ${run.calls} vs minimum ${bound.minimumCalls} (× ${run.callRatio})`,
      );
    }
  } finally {
    await proxy.stop();
    await moto.stop();
  }
  const sequential = runs.find((r) => r.concurrency === 1);
  const parallel = runs.find((r) => r.isDefault);
  const speedup = sequential && parallel ? round(sequential.wallMs / parallel.wallMs) : undefined;
  console.log(`  default walk is ${speedup}× faster than the sequential walk`);
  const file = writeResult('discovery', {
    bench: 'discovery',
    date: new Date().toISOString(),
    machine: machineInfo(),
    quick: QUICK,
    accounts: seeded.accounts.length,
    ous: seeded.ous.length,
    latencyMsPerCall: LATENCY_MS,
    pageSize: PAGE,
    seedMs: Math.round(seedMs),
    bound: {
      ...bound,
      flatListAccountsPages: flatPages,
      flatListAccountsLatencyMs: flatPages * LATENCY_MS,
      wall: 'L × (3 + max(ceil(treeCalls / c), criticalPathCalls))',
      emulatorAware:
        'max((L + S) × (3 + max(ceil(treeCalls / c), criticalPathCalls)), S × calls); S = moto ms/call in the sequential run',
      emulatorMsPerCall: serviceMs === undefined ? undefined : round(serviceMs, 2),
    },
    target: { ratioVsEmulatorBound: 1.2 },
    speedupDefaultVsSequential: speedup,
    runs,
  });
  console.log(`  → ${path.relative(process.cwd(), file)}`);
}

await main();
