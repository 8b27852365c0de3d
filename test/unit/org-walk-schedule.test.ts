/**
 * How well discovery packs its calls into the concurrency it is given, on a virtual clock (every Organizations call
 * takes exactly L): the tree of the scale bench (bench/scale.ts) — 400 OUs, one of them 250 OUs wide, one holding
 * 15% of the accounts (a 75-page listing) — must finish within 10% of the best any walk could do,
 * L × (3 + max(⌈tree calls / c⌉, critical path)) (bench/support/tree-bound.ts's bound). A FIFO walk took 1.4× that:
 * the long listing's pages each waited behind the whole queue, then ran alone at the end. Both orders of the wide
 * OU's listing are tried, since which page names the crowded OU decides when its listing can start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverOrganization } from '../../main/core/org/index.js';
import {
  fakeOrganizationsApi,
  managementOrganization,
  type FakeAccount,
  type FakeOrganizationsModel,
  type FakeOu,
} from '../support/fake-organizations-api.js';

const MANAGEMENT = '111111111111';
const ROOT = 'r-ab12';
const PAGE = 20;
const L = 50;

/** Resolves waits in time order, each only once every promise the last one released has settled. */
function virtualClock(): {
  wait: (ms: number) => Promise<void>;
  drive: <T>(work: Promise<T>) => Promise<T>;
  now: () => number;
} {
  let now = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const settle = async (): Promise<void> => {
    // The SDK's middleware is promise chains; a few quiet event-loop turns mean every released call has queued its next.
    for (let quiet = 0, seen = -1; quiet < 3;) {
      await turn();
      quiet = timers.length === seen ? quiet + 1 : 0;
      seen = timers.length;
    }
  };
  return {
    wait: (ms) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    now: () => now,
    async drive(work) {
      let finished = false;
      void work.then(
        () => (finished = true),
        () => (finished = true),
      );
      for (;;) {
        await settle();
        if (finished) return work;
        assert.ok(timers.length > 0, 'discovery stalled with no call in flight');
        timers.sort((a, b) => a.at - b.at);
        now = timers[0]!.at;
        while (timers[0]?.at === now) timers.shift()!.resolve();
      }
    },
  };
}

/** The scale bench's shape: depth 3 × branching 5, 245 more OUs under the first top-level OU, a crowded deepest OU. */
function benchShapedModel(accountCount: number, order: 'wide first' | 'deep first'): FakeOrganizationsModel {
  const ous: FakeOu[] = [];
  const wide: FakeOu[] = [];
  let level = [ROOT];
  let deepest: string[] = [];
  for (let depth = 0; depth < 3; depth++) {
    const next: string[] = [];
    for (const parent of level) {
      for (let i = 0; i < 5; i++) {
        const id = `ou-ab12-${depth}${String(ous.length).padStart(7, '0')}`;
        ous.push({ Id: id, Name: `L${depth}-${i}`, ParentId: parent });
        next.push(id);
      }
    }
    level = next;
    deepest = next;
  }
  const firstTop = ous[0]!.Id;
  for (let i = 0; i < 245; i++)
    wide.push({ Id: `ou-ab12-w${String(i).padStart(7, '0')}`, Name: `W${i}`, ParentId: firstTop });
  // Wide first: the first top-level OU's listing names the deep branch (and the crowded OU) on its last page.
  const allOus = order === 'wide first' ? [...wide, ...ous] : [...ous, ...wide];
  const parents = [ROOT, ...allOus.map((ou) => ou.Id)];
  let seed = 7;
  const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const crowded = Math.ceil(accountCount * 0.15);
  const accounts: FakeAccount[] = Array.from({ length: accountCount }, (_, i) => ({
    Id: String(200_000_000_000 + i),
    Name: `acct-${i}`,
    Email: `acct-${i}@example.com`,
    ParentId: i === 0 ? ROOT : i <= crowded ? deepest[0]! : parents[Math.floor(random() * parents.length)]!,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: 'CREATED',
    JoinedTimestamp: 1_700_000_000,
  }));
  accounts[0] = { ...accounts[0]!, Id: MANAGEMENT, Name: 'management' };
  return {
    ...managementOrganization(MANAGEMENT, ROOT),
    ous: allOus,
    accounts,
    pageSize: PAGE,
    latencyMs: L,
  };
}

/** tree-bound.ts's bound in calls: every page is needed, and pages of ancestors' OU listings precede a parent's. */
function boundRounds(model: FakeOrganizationsModel, concurrency: number): number {
  const pages = (n: number): number => Math.max(1, Math.ceil(n / PAGE));
  const childOus = new Map<string, number>();
  const accounts = new Map<string, number>();
  const parentOf = new Map<string, string>();
  for (const ou of model.ous) {
    childOus.set(ou.ParentId, (childOus.get(ou.ParentId) ?? 0) + 1);
    parentOf.set(ou.Id, ou.ParentId);
  }
  for (const a of model.accounts) accounts.set(a.ParentId, (accounts.get(a.ParentId) ?? 0) + 1);
  let treeCalls = 0;
  let critical = 0;
  for (const id of [ROOT, ...model.ous.map((ou) => ou.Id)]) {
    const own = [pages(childOus.get(id) ?? 0), pages(accounts.get(id) ?? 0)];
    treeCalls += own[0]! + own[1]!;
    let reach = 0;
    for (let up = parentOf.get(id); up !== undefined; up = parentOf.get(up))
      reach += pages(childOus.get(up) ?? 0);
    critical = Math.max(critical, reach + Math.max(...own));
  }
  return 3 + Math.max(Math.ceil(treeCalls / concurrency), critical);
}

for (const order of ['wide first', 'deep first'] as const) {
  test(`discovery of 10,000 accounts in 400 uneven OUs (${order}) keeps its 4 lanes busy: within 10% of the best walk`, async () => {
    const clock = virtualClock();
    const model = { ...benchShapedModel(10_000, order), wait: (ms: number) => clock.wait(ms) };
    const api = fakeOrganizationsApi(model);
    const snapshot = await clock.drive(discoverOrganization(api.clients, { concurrency: 4 }));
    assert.equal(snapshot.accounts.length, 10_000);
    assert.equal(snapshot.ous.length, 400);
    assert.equal(api.maxInFlight(), 4);
    const bestMs = boundRounds(model, 4) * L;
    const ratio = clock.now() / bestMs;
    assert.ok(
      ratio <= 1.1,
      `discovery took ${clock.now()} virtual ms, ${ratio.toFixed(2)}× the best walk's ${bestMs} ms`,
    );
  });
}
