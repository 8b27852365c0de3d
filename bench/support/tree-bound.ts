/**
 * The discovery bound from a seeded tree (pages of 20, the Organizations maximum the walker asks for):
 * - calls ≥ 3 (GetCallerIdentity, DescribeOrganization, ListRoots) + Σ over root and OUs of
 *   max(1, ⌈child OUs / 20⌉) + max(1, ⌈accounts / 20⌉) — every parent must be listed, every page fetched;
 * - wall ≥ L × (3 + max(⌈tree calls / c⌉, critical path)), where the critical path is the longest chain of pages
 *   that must follow each other (the OU pages of every ancestor, then a parent's own pages).
 */
import type { SeededOrganization } from '../../test/support/seed-org.js';

export const PAGE = 20;

export interface TreeBound {
  parents: number;
  minimumCalls: number;
  treeCalls: number;
  criticalPathCalls: number;
}

export function treeBound(seeded: SeededOrganization): TreeBound {
  const childOus = new Map<string, number>();
  const accounts = new Map<string, number>();
  const parentOf = new Map<string, string>();
  for (const ou of seeded.ous) {
    childOus.set(ou.parentId, (childOus.get(ou.parentId) ?? 0) + 1);
    parentOf.set(ou.id, ou.parentId);
  }
  for (const account of seeded.accounts) accounts.set(account.ouId, (accounts.get(account.ouId) ?? 0) + 1);
  const parents = [seeded.rootId, ...seeded.ous.map((ou) => ou.id)];
  const ouPages = (id: string): number => Math.max(1, Math.ceil((childOus.get(id) ?? 0) / PAGE));
  const accountPages = (id: string): number => Math.max(1, Math.ceil((accounts.get(id) ?? 0) / PAGE));
  let treeCalls = 0;
  let criticalPathCalls = 0;
  for (const id of parents) {
    treeCalls += ouPages(id) + accountPages(id);
    let reach = 0;
    for (let up = parentOf.get(id); up !== undefined; up = parentOf.get(up)) reach += ouPages(up);
    criticalPathCalls = Math.max(criticalPathCalls, reach + Math.max(ouPages(id), accountPages(id)));
  }
  return { parents: parents.length, minimumCalls: 3 + treeCalls, treeCalls, criticalPathCalls };
}

/** Latency rounds of the bounded-parallel walk at concurrency c: setup, then the tree calls or the critical path. */
export function discoveryRounds(bound: TreeBound, concurrency: number): number {
  return 3 + Math.max(Math.ceil(bound.treeCalls / concurrency), bound.criticalPathCalls);
}
