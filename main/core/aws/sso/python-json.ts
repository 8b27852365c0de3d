/**
 * Python's `json.dumps` output for plain JSON values. The AWS CLI names its client-registration cache file by
 * the sha1 of `json.dumps(args, sort_keys=True)`, so to find (and share) that file the bytes must match
 * exactly: `", "` and `": "` separators, and every character outside printable ASCII escaped (`ensure_ascii`).
 */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

export function pythonJsonDumps(value: JsonValue, options: { sortKeys?: boolean } = {}): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return pythonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item, options)).join(', ')}]`;
  const keys = Object.keys(value).filter((key) => value[key] !== undefined);
  if (options.sortKeys) keys.sort(comparePythonStrings);
  const entries = keys.map(
    (key) => `${pythonString(key)}: ${pythonJsonDumps(value[key] as JsonValue, options)}`,
  );
  return `{${entries.join(', ')}}`;
}

function pythonString(text: string): string {
  // JSON.stringify already escapes quotes, backslashes and control characters the way Python does; Python
  // additionally escapes DEL and everything above it as \uXXXX (UTF-16 code units, lowercase hex).
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Python sorts str keys by code point; JS's default sort compares UTF-16 units, which differs above U+FFFF. */
function comparePythonStrings(a: string, b: string): number {
  const left = Array.from(a, (ch) => ch.codePointAt(0) ?? 0);
  const right = Array.from(b, (ch) => ch.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}
