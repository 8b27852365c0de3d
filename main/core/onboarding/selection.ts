/**
 * Which accounts a run covers: `all`, a list of account ids, `ou:<ou-id>` entries (each OU with every OU nested
 * under it), or a mix of ids and OUs, minus `--exclude` ids. Anything the organization does not know is an
 * error rather than silently ignored: a typo in an account id must not turn into "connect nothing".
 *
 * Accounts that are not ACTIVE (suspended, pending closure) stay visible but are set apart with a reason, so the
 * plan can show them as blocked instead of failing on them mid-run.
 */
import { OrgConnectError } from '../errors.js';

/** What selection needs of a discovered account (structurally `OrgAccount` from main/core/org). */
export interface SelectableAccount {
  id: string;
  name: string;
  status: string;
  /** AWS's newer, finer `State` (ACTIVE, SUSPENDED, PENDING_CLOSURE, PENDING_ACTIVATION, CLOSED) when known. */
  state?: string | null;
  ouId: string;
}

/** What selection needs of an OU (structurally `OrgUnit` from main/core/org). */
export interface SelectableUnit {
  id: string;
  parentId: string | null | undefined;
}

export interface Selection {
  all: boolean;
  accountIds: string[];
  ouIds: string[];
  exclude: string[];
}

const ACCOUNT_ID = /^\d{12}$/;
// Organizations ids: OUs are ou-<root part>-<8-32 chars>, roots r-<4-32 chars>.
const OU_ID = /^(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;

function splitList(value: string | readonly string[] | undefined): string[] {
  const parts = typeof value === 'string' ? [value] : (value ?? []);
  return parts
    .flatMap((part) => part.split(/[\s,]+/))
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function invalid(message: string): OrgConnectError {
  return new OrgConnectError('SELECTION_INVALID', message, {
    fix: 'Use all, a comma-separated list of 12-digit account ids, and/or ou:<ou-id> entries (e.g. ou:ou-ab12-cdef3456).',
  });
}

/** Parses `spec` (`all` | `<id,id,…>` | `ou:<ou-id>[,ou:<ou-id>]`, ids and OUs may be mixed) and `--exclude`. */
export function parseSelection(spec: string, exclude?: string | readonly string[]): Selection {
  const items = splitList(spec);
  if (items.length === 0) throw invalid('The account selection is empty.');
  const selection: Selection = { all: false, accountIds: [], ouIds: [], exclude: [] };
  // Sets de-duplicate in one pass (a pasted list of 10,000 ids); the arrays keep the order they were given in.
  const seenOus = new Set<string>();
  const seenAccounts = new Set<string>();
  const seenExcluded = new Set<string>();
  for (const item of items) {
    if (item.toLowerCase() === 'all') {
      selection.all = true;
    } else if (/^ou:/i.test(item)) {
      const ouId = item.slice(3).toLowerCase();
      if (!OU_ID.test(ouId))
        throw invalid(`${item} is not an OU id (expected ou:ou-xxxx-xxxxxxxx or ou:r-xxxx).`);
      if (!seenOus.has(ouId)) selection.ouIds.push(ouId);
      seenOus.add(ouId);
    } else if (ACCOUNT_ID.test(item)) {
      if (!seenAccounts.has(item)) selection.accountIds.push(item);
      seenAccounts.add(item);
    } else {
      throw invalid(`${item} is neither an account id (12 digits) nor ou:<ou-id>.`);
    }
  }
  if (selection.all && (selection.accountIds.length > 0 || selection.ouIds.length > 0)) {
    throw invalid('"all" cannot be combined with account ids or OUs; use --exclude to leave accounts out.');
  }
  for (const item of splitList(exclude)) {
    if (!ACCOUNT_ID.test(item)) throw invalid(`--exclude ${item}: expected a 12-digit account id.`);
    if (!seenExcluded.has(item)) selection.exclude.push(item);
    seenExcluded.add(item);
  }
  return selection;
}

export function formatSelection(selection: Selection): string {
  const head = selection.all
    ? 'all'
    : [...selection.accountIds, ...selection.ouIds.map((id) => `ou:${id}`)].join(',');
  return selection.exclude.length === 0 ? head : `${head} --exclude ${selection.exclude.join(',')}`;
}

export interface InactiveAccount<A> {
  account: A;
  code: 'ACCOUNT_SUSPENDED' | 'ACCOUNT_CLOSING' | 'ACCOUNT_NOT_ACTIVE';
  reason: string;
}

export interface ResolvedSelection<A> {
  /** ACTIVE accounts to connect, in the organization's order. */
  active: A[];
  /** Selected but not ACTIVE: shown as blocked, never touched. */
  inactive: InactiveAccount<A>[];
  /** Selected, then removed by --exclude. */
  excluded: A[];
}

function inactiveReason<A extends SelectableAccount>(account: A): InactiveAccount<A> | undefined {
  // `State` is the finer of the two where AWS sends it (a SUSPENDED status may be CLOSED or PENDING_CLOSURE).
  switch (account.state ?? account.status) {
    case 'ACTIVE':
      return undefined;
    case 'SUSPENDED':
      return {
        account,
        code: 'ACCOUNT_SUSPENDED',
        reason: `Account ${account.id} is suspended (closed); nothing can be deployed in it.`,
      };
    case 'CLOSED':
      return {
        account,
        code: 'ACCOUNT_SUSPENDED',
        reason: `Account ${account.id} is closed; nothing can be deployed in it.`,
      };
    case 'PENDING_CLOSURE':
      return {
        account,
        code: 'ACCOUNT_CLOSING',
        reason: `Account ${account.id} is being closed; nothing can be deployed in it.`,
      };
    default:
      return {
        account,
        code: 'ACCOUNT_NOT_ACTIVE',
        reason: `Account ${account.id} is ${account.status}, not ACTIVE.`,
      };
  }
}

/** Every OU id under (and including) the given ones, following parent links. Root ids work the same way. */
function ouClosure(ouIds: readonly string[], units: readonly SelectableUnit[]): Set<string> {
  const children = new Map<string, string[]>();
  for (const unit of units) {
    if (!unit.parentId) continue;
    const list = children.get(unit.parentId) ?? [];
    list.push(unit.id);
    children.set(unit.parentId, list);
  }
  const closure = new Set<string>();
  const queue = [...ouIds];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (closure.has(id)) continue;
    closure.add(id);
    queue.push(...(children.get(id) ?? []));
  }
  return closure;
}

/**
 * Applies a selection to the discovered organization. Throws SELECTION_UNKNOWN when an account id, OU id or
 * excluded id is not part of it.
 */
export function resolveSelection<A extends SelectableAccount>(
  selection: Selection,
  accounts: readonly A[],
  units: readonly SelectableUnit[],
): ResolvedSelection<A> {
  const byId = new Map(accounts.map((account) => [account.id, account]));
  const knownOus = new Set<string>([
    ...units.map((unit) => unit.id),
    ...units.flatMap((unit) => (unit.parentId ? [unit.parentId] : [])),
    ...accounts.map((account) => account.ouId),
  ]);
  const unknown = [
    ...selection.accountIds.filter((id) => !byId.has(id)),
    ...selection.ouIds.filter((id) => !knownOus.has(id)).map((id) => `ou:${id}`),
    ...selection.exclude.filter((id) => !byId.has(id)).map((id) => `--exclude ${id}`),
  ];
  if (unknown.length > 0) {
    throw new OrgConnectError('SELECTION_UNKNOWN', `Not in this organization: ${unknown.join(', ')}.`, {
      fix: 'Check the ids against `orgconnect accounts` (the list of discovered accounts and OUs).',
    });
  }

  const ous = ouClosure(selection.ouIds, units);
  const chosen = new Set(selection.accountIds);
  const excludedIds = new Set(selection.exclude);
  const result: ResolvedSelection<A> = { active: [], inactive: [], excluded: [] };
  for (const account of accounts) {
    const selected = selection.all || chosen.has(account.id) || ous.has(account.ouId);
    if (!selected) continue;
    if (excludedIds.has(account.id)) {
      result.excluded.push(account);
      continue;
    }
    const inactive = inactiveReason(account);
    if (inactive) result.inactive.push(inactive);
    else result.active.push(account);
  }
  return result;
}
