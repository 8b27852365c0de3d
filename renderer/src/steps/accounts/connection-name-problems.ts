/**
 * The connection names the Accounts table shows, and the problems with them, before anything is planned: the
 * names come from the core's own assignment (so the table shows what the plan will use), and a typed name that
 * another account also has is flagged on both rows instead of the other account being renamed behind the user's back.
 */
import {
  assignConnectionNames,
  defaultConnectionName,
  validateConnectionName,
} from '../../../../main/core/onboarding/connection-names.js';

interface Account {
  id: string;
  name: string;
}

export interface ConnectionNames {
  /** Account id → the name shown (a typed one, else the default). */
  names: Record<string, string>;
  /** Account id → why its name cannot be used as it is; both rows of a duplicate are listed. */
  problems: Record<string, string>;
}

export function connectionNames(
  accounts: readonly Account[],
  overrides: Readonly<Record<string, string>>,
): ConnectionNames {
  const assigned = assignConnectionNames(accounts).names;
  const names: Record<string, string> = {};
  for (const account of accounts) names[account.id] = overrides[account.id] ?? assigned[account.id] ?? '';
  const problems: Record<string, string> = {};
  const byName = new Map<string, Account[]>();
  for (const account of accounts) {
    const name = names[account.id] ?? '';
    byName.set(name, [...(byName.get(name) ?? []), account]);
  }
  for (const account of accounts) {
    const name = names[account.id] ?? '';
    if (overrides[account.id] !== undefined) {
      const checked = validateConnectionName(name);
      if (!checked.ok) {
        problems[account.id] = checked.message;
        continue;
      }
    }
    const others = (byName.get(name) ?? []).filter((other) => other.id !== account.id);
    // Only a typed name makes a duplicate: defaults are made unique by the assignment itself.
    const typed = [account, ...others].some((a) => overrides[a.id] !== undefined);
    if (others.length > 0 && typed) {
      problems[account.id] =
        `Also used by ${others.map((o) => `${o.name} (${o.id})`).join(', ')}: each connection needs its own name.`;
    }
  }
  return { names, problems };
}

/** Why `value` cannot be the name of `accountId` (its rule, or the account that has it already), or undefined. */
export function nameProblem(
  accountId: string,
  value: string,
  accounts: readonly Account[],
  overrides: Readonly<Record<string, string>>,
): string | undefined {
  const checked = validateConnectionName(value);
  if (!checked.ok) return checked.message;
  const { names } = connectionNames(accounts, overrides);
  const holder = accounts.find((a) => a.id !== accountId && names[a.id] === value);
  return holder ? `${holder.name} (${holder.id}) has this name already: choose another one.` : undefined;
}

export { defaultConnectionName };
