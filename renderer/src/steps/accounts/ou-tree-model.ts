/**
 * The Organization as a tree for the Choose-accounts step: roots, then OUs under their parents, each node knowing
 * the active accounts it holds in all (its own and its descendants'), so "select this OU" takes children too.
 * Built once per discovery: O(accounts × OU depth), which stays instant at 5,000 accounts in hundreds of OUs.
 */
import type { Snapshot } from '../../store/wizard-state.js';

export interface OuNode {
  id: string;
  name: string;
  path: string;
  children: OuNode[];
  /** Ids of the ACTIVE accounts in this OU and every OU below it. */
  activeAccountIds: string[];
  /** Accounts of any status in this OU and below (suspended ones are shown, never selectable). */
  accountCount: number;
}

export function buildOuTree(snapshot: Snapshot): OuNode[] {
  const nodes = new Map<string, OuNode>();
  const parentOf = new Map<string, string>();
  for (const root of snapshot.roots) {
    nodes.set(root.id, {
      id: root.id,
      name: root.name,
      path: 'Root',
      children: [],
      activeAccountIds: [],
      accountCount: 0,
    });
  }
  for (const ou of snapshot.ous) {
    nodes.set(ou.id, {
      id: ou.id,
      name: ou.name,
      path: ou.path,
      children: [],
      activeAccountIds: [],
      accountCount: 0,
    });
    parentOf.set(ou.id, ou.parentId);
  }
  const byName = (a: OuNode, b: OuNode) => a.name.localeCompare(b.name);
  for (const ou of [...snapshot.ous].sort((a, b) => a.name.localeCompare(b.name))) {
    const node = nodes.get(ou.id);
    const parent = nodes.get(ou.parentId);
    if (node && parent) parent.children.push(node);
  }
  for (const node of nodes.values()) node.children.sort(byName);
  for (const account of snapshot.accounts) {
    // Walk up from the account's OU to its root, counting it in every ancestor once.
    let at: string | undefined = account.ouId;
    const seen = new Set<string>();
    while (at !== undefined && !seen.has(at)) {
      seen.add(at);
      const node = nodes.get(at);
      if (node) {
        node.accountCount += 1;
        if (account.status === 'ACTIVE') node.activeAccountIds.push(account.id);
      }
      at = parentOf.get(at);
    }
  }
  return snapshot.roots
    .map((root) => nodes.get(root.id))
    .filter((node): node is OuNode => node !== undefined);
}
