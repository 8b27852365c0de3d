/**
 * Walks the OU tree from the roots down and lists the accounts of every root and OU.
 *
 * Accounts come from ListAccountsForParent, once per root/OU, rather than ListAccounts plus ListParents per
 * account: the per-parent listing yields each account's placement with it, costing about
 * (roots + OUs) + accounts/20 calls, where ListAccounts + ListParents costs accounts/20 + accounts. An
 * Organization has far fewer OUs than accounts, so this is several times fewer calls (for 200 accounts in 40 OUs
 * about 55 calls instead of 210), and the calls overlap with the OU walk.
 */
import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { collectPages, ORGANIZATIONS_PAGE_SIZE } from './paginate.js';
import type { OrgRoot, OrgUnit } from './types.js';

/** Runs one Organizations call under discovery's concurrency limit, abort signal and error mapping. */
export type OrganizationsCall = <T>(
  action: string,
  run: (abortSignal: AbortSignal) => Promise<T>,
) => Promise<T>;

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
        call('ListAccountsForParent', (abortSignal) =>
          organizations.send(
            new ListAccountsForParentCommand({
              ParentId: parent.id,
              MaxResults: ORGANIZATIONS_PAGE_SIZE,
              ...(token === undefined ? {} : { NextToken: token }),
            }),
            { abortSignal },
          ),
        ).then((out) => ({ items: out.Accounts, nextToken: out.NextToken })),
      (page) => {
        for (const account of page) accounts.push({ account, parentId: parent.id, parentPath: parent.path });
        report();
      },
    );

  const listChildOus = (parent: Parent): Promise<OrgUnit[]> =>
    collectPages((token) =>
      call('ListOrganizationalUnitsForParent', (abortSignal) =>
        organizations.send(
          new ListOrganizationalUnitsForParentCommand({
            ParentId: parent.id,
            MaxResults: ORGANIZATIONS_PAGE_SIZE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
          { abortSignal },
        ),
      ).then((out) => ({ items: out.OrganizationalUnits, nextToken: out.NextToken })),
    ).then((children) =>
      children.map((child) => {
        const name = child.Name ?? child.Id ?? '';
        return { id: child.Id ?? '', name, parentId: parent.id, path: `${parent.path}/${name}` };
      }),
    );

  // Each parent's accounts and child OUs are listed at once, and a child's walk starts as soon as its parent's
  // OU listing is done; the concurrency limit inside `call` is what bounds the parallelism.
  const claim = (id: string): boolean => {
    if (id === '' || visited.has(id)) return false;
    visited.add(id);
    return true;
  };
  const walk = async (parent: Parent): Promise<void> => {
    const children = listChildOus(parent).then((units) => {
      const fresh = units.filter((unit) => claim(unit.id));
      ous.push(...fresh);
      report();
      return Promise.all(fresh.map((unit) => walk({ id: unit.id, path: unit.path })));
    });
    await Promise.all([listAccounts(parent), children]);
  };

  const freshRoots = roots.filter((root) => claim(root.id));
  await Promise.all(freshRoots.map((root) => walk({ id: root.id, path: root.name })));
  return { ous, accounts };
}
