/**
 * Walks the OU tree from the roots down and lists the accounts of every root and OU.
 *
 * Accounts come from ListAccountsForParent, once per root/OU, rather than ListAccounts plus ListParents per
 * account: the per-parent listing yields each account's placement with it, costing about
 * (roots + OUs) + accounts/20 calls, where ListAccounts + ListParents costs accounts/20 + accounts. An
 * Organization has far fewer OUs than accounts, so this is several times fewer calls (for 200 accounts in 40 OUs
 * about 55 calls instead of 210), and the calls overlap with the OU walk.
 *
 * Order matters at scale: pages of one listing must follow each other, so a parent with many accounts (1,500 in one
 * OU is 75 pages) is a chain that must start early and never wait behind the rest of the queue, or it runs alone at
 * the end with the other lanes idle. Hence the priorities of WALK_PRIORITY, and child OUs are walked as each page of
 * them arrives. test/unit/org-walk-schedule.test.ts holds the walk to within 10% of the best possible on the scale
 * bench's tree, on a virtual clock.
 */
import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { collectPages, ORGANIZATIONS_PAGE_SIZE } from './paginate.js';
import type { OrgRoot, OrgUnit } from './types.js';

/**
 * Runs one Organizations call under discovery's concurrency limit, abort signal and error mapping. Among queued
 * calls, a higher `priority` starts first (ties in the order they were queued).
 */
export type OrganizationsCall = <T>(
  action: string,
  run: (abortSignal: AbortSignal) => Promise<T>,
  priority?: number,
) => Promise<T>;

/**
 * Queue priorities: a listing's next page (a listing known to be long must not wait behind the queue), then the
 * first page of an account listing (only it tells how long that listing is, so long ones start early), then OU
 * listings.
 */
export const WALK_PRIORITY = { nextPage: 2, accounts: 1, childOus: 0 } as const;

export interface PlacedAccount {
  account: Account;
  parentId: string;
  parentPath: string;
}

export interface TreeWalk {
  ous: OrgUnit[];
  accounts: PlacedAccount[];
}

export interface TreeWalkDeps {
  organizations: OrganizationsClient;
  call: OrganizationsCall;
  /** Told after every page, with the running totals. */
  onFound?: (found: { accounts: number; ous: number }) => void;
}

interface Parent {
  id: string;
  path: string;
}

export async function walkOrganizationTree(roots: readonly OrgRoot[], deps: TreeWalkDeps): Promise<TreeWalk> {
  const { organizations, call } = deps;
  const ous: OrgUnit[] = [];
  const accounts: PlacedAccount[] = [];
  // Guards against a parent listed twice (a cycle or a repeated OU in a buggy answer) walking forever.
  const visited = new Set<string>();
  const report = (): void => deps.onFound?.({ accounts: accounts.length, ous: ous.length });

  const listAccounts = (parent: Parent): Promise<unknown> =>
    collectPages(
      (token) =>
        call(
          'ListAccountsForParent',
          (abortSignal) =>
            organizations.send(
              new ListAccountsForParentCommand({
                ParentId: parent.id,
                MaxResults: ORGANIZATIONS_PAGE_SIZE,
                ...(token === undefined ? {} : { NextToken: token }),
              }),
              { abortSignal },
            ),
          token === undefined ? WALK_PRIORITY.accounts : WALK_PRIORITY.nextPage,
        ).then((out) => ({ items: out.Accounts, nextToken: out.NextToken })),
      (page) => {
        for (const account of page) accounts.push({ account, parentId: parent.id, parentPath: parent.path });
        report();
      },
    );

  // Each parent's accounts and child OUs are listed at once, and a child's walk starts as soon as the page that
  // names it arrives; the concurrency limit inside `call` is what bounds the parallelism.
  const claim = (id: string): boolean => {
    if (id === '' || visited.has(id)) return false;
    visited.add(id);
    return true;
  };
  const walkChildOus = async (parent: Parent): Promise<void> => {
    const childWalks: Promise<void>[] = [];
    const listed = collectPages(
      (token) =>
        call(
          'ListOrganizationalUnitsForParent',
          (abortSignal) =>
            organizations.send(
              new ListOrganizationalUnitsForParentCommand({
                ParentId: parent.id,
                MaxResults: ORGANIZATIONS_PAGE_SIZE,
                ...(token === undefined ? {} : { NextToken: token }),
              }),
              { abortSignal },
            ),
          token === undefined ? WALK_PRIORITY.childOus : WALK_PRIORITY.nextPage,
        ).then((out) => ({ items: out.OrganizationalUnits, nextToken: out.NextToken })),
      (page) => {
        const fresh = page
          .map((child): OrgUnit => {
            const name = child.Name ?? child.Id ?? '';
            return { id: child.Id ?? '', name, parentId: parent.id, path: `${parent.path}/${name}` };
          })
          .filter((unit) => claim(unit.id));
        ous.push(...fresh);
        report();
        for (const unit of fresh) childWalks.push(walk({ id: unit.id, path: unit.path }));
      },
    );
    // A later page's failure must not leave the walks already started with nobody waiting on them.
    await listed.catch((error: unknown) => {
      void Promise.allSettled(childWalks);
      throw error;
    });
    await Promise.all(childWalks);
  };
  const walk = async (parent: Parent): Promise<void> => {
    await Promise.all([listAccounts(parent), walkChildOus(parent)]);
  };

  const freshRoots = roots.filter((root) => claim(root.id));
  await Promise.all(freshRoots.map((root) => walk({ id: root.id, path: root.name })));
  return { ous, accounts };
}
