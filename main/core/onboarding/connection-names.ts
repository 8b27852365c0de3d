/**
 * Connection names: what the platform shows for each connected account, next to its account id. The platform's
 * rule is "AWS naming conventions: lowercase, dashes, without spaces or periods"; we read that as lowercase
 * ASCII letters and digits in words joined by single dashes (`^[a-z0-9]+(-[a-z0-9]+)*$`), at most 64 characters
 * (the length of an IAM role name — long enough for any account name worth reading, short enough for a table).
 *
 * Defaults come from the account name. Names a user typed are validated and kept exactly; defaults that collide
 * get `-2`, `-3`, … in account-id order, so the same organization always gets the same names.
 */

export const MAX_CONNECTION_NAME_LENGTH = 64;

const VALID_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// Letters NFKD does not decompose into a base letter plus marks.
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  ł: 'l',
  Ł: 'l',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'h',
};

// Apostrophes join a word ("Bob's" → "bobs"); every other non-alphanumeric character separates words.
const APOSTROPHES = /['’‘`´]/g;

export type NameValidation = { ok: true } | { ok: false; message: string };

export function validateConnectionName(name: string): NameValidation {
  if (name.length === 0) return { ok: false, message: 'A connection name cannot be empty.' };
  if (name.length > MAX_CONNECTION_NAME_LENGTH) {
    return {
      ok: false,
      message: `A connection name can have at most ${MAX_CONNECTION_NAME_LENGTH} characters; this one has ${name.length}.`,
    };
  }
  if (VALID_NAME.test(name)) return { ok: true };
  if (/[A-Z]/.test(name)) return { ok: false, message: 'Use lowercase letters only (no capitals).' };
  const invalid = [...new Set(name.replace(/[a-z0-9-]/g, ''))];
  if (invalid.length > 0) {
    const shown = invalid
      .map((c) => (c === ' ' ? 'space' : c === '.' ? 'period' : JSON.stringify(c)))
      .join(', ');
    return { ok: false, message: `Use only lowercase letters, digits and dashes; found ${shown}.` };
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    return { ok: false, message: 'A connection name cannot start or end with a dash.' };
  }
  return { ok: false, message: 'A connection name cannot contain two dashes in a row.' };
}

export function isValidConnectionName(name: string): boolean {
  return validateConnectionName(name).ok;
}

/** Folds any text to a valid name, or to '' when nothing usable remains (e.g. a name in a non-Latin script). */
export function slugify(text: string, maxLength: number = MAX_CONNECTION_NAME_LENGTH): string {
  const folded = [...text.normalize('NFKD')]
    .map((char) => LETTER_FOLDS[char] ?? char)
    .join('')
    .replace(/\p{M}/gu, '')
    .replace(APOSTROPHES, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, (run) => (/^[\p{L}\p{N}]+$/u.test(run) ? '' : '-'))
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return truncateName(folded, maxLength);
}

/** Cuts a valid name to `maxLength` without leaving a trailing dash. */
function truncateName(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  return name.slice(0, maxLength).replace(/-+$/, '');
}

/**
 * The default name for one account: `[prefix-]slug(account name)`, or `[prefix-]aws-<accountId>` when the name
 * leaves nothing usable. The prefix is slugified too; the account part is shortened to fit, never the prefix
 * beyond its own limit.
 */
export function defaultConnectionName(accountName: string, accountId: string, prefix?: string): string {
  const head = prefix === undefined ? '' : slugify(prefix, MAX_CONNECTION_NAME_LENGTH - 8);
  const room = MAX_CONNECTION_NAME_LENGTH - (head ? head.length + 1 : 0);
  const body = slugify(accountName, room) || truncateName(`aws-${accountId}`, room);
  return head ? `${head}-${body}` : body;
}

/** `base-n`, shortening `base` so the result still fits. */
function withSuffix(base: string, n: number): string {
  const suffix = `-${n}`;
  return `${truncateName(base, MAX_CONNECTION_NAME_LENGTH - suffix.length)}${suffix}`;
}

export interface NamedAccount {
  id: string;
  name: string;
}

export interface AssignNamesOptions {
  prefix?: string;
  /** Names the user typed, by account id: kept exactly (after validation). */
  overrides?: Readonly<Record<string, string>>;
  /**
   * Names already deployed (e.g. read from existing stacks), by account id: kept when still valid and free, so
   * adding an account to the organization never renames an existing connection.
   */
  keep?: Readonly<Record<string, string>>;
}

export type NameProblem = { accountId: string; name: string; message: string };

export interface AssignedNames {
  /** Account id → connection name, for every account given. */
  names: Record<string, string>;
  /** Overrides that were rejected (invalid or duplicated); those accounts got a default name instead. */
  problems: NameProblem[];
}

/**
 * Gives every account a unique, valid connection name. Priority: user overrides, then kept names, then defaults
 * (deduplicated with `-2`, `-3`, … in account-id order).
 */
export function assignConnectionNames(
  accounts: readonly NamedAccount[],
  options: AssignNamesOptions = {},
): AssignedNames {
  const ordered = [...accounts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const names: Record<string, string> = {};
  const taken = new Set<string>();
  const problems: NameProblem[] = [];

  for (const account of ordered) {
    const wanted = options.overrides?.[account.id];
    if (wanted === undefined) continue;
    const check = validateConnectionName(wanted);
    if (!check.ok) {
      problems.push({ accountId: account.id, name: wanted, message: check.message });
    } else if (taken.has(wanted)) {
      problems.push({
        accountId: account.id,
        name: wanted,
        message: `The connection name ${wanted} is already used by another account.`,
      });
    } else {
      names[account.id] = wanted;
      taken.add(wanted);
    }
  }

  for (const account of ordered) {
    if (names[account.id] !== undefined) continue;
    const kept = options.keep?.[account.id];
    if (kept !== undefined && isValidConnectionName(kept) && !taken.has(kept)) {
      names[account.id] = kept;
      taken.add(kept);
    }
  }

  for (const account of ordered) {
    if (names[account.id] !== undefined) continue;
    const base = defaultConnectionName(account.name, account.id, options.prefix);
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = withSuffix(base, n);
    names[account.id] = candidate;
    taken.add(candidate);
  }
  return { names, problems };
}
