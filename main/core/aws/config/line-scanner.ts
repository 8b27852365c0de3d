/**
 * Attaches file:line numbers to what @smithy/shared-ini-file-loader's parseIni does with a file, and rejects the
 * lines it would silently skip. It never produces values: the SDK's parser remains the only source of values,
 * so orgconnect sees exactly what the SDK (and the clients it builds) see.
 *
 * The classification copies parseIni line by line (comment stripping, section-name regex, sub-property rules);
 * a property test (test/unit/aws-config-scanner.test.ts) compares the two on random files.
 */
import { OrgConnectError } from '../../errors.js';

/** The section types parseIni recognises after a prefix (`[profile x]`, `[sso-session y]`, `[services z]`). */
export const SECTION_TYPES = ['profile', 'sso-session', 'services'] as const;
export type SectionType = (typeof SECTION_TYPES)[number];

// Same expressions as parseIni: a prefixed name may hold word characters and - @ + . % : / only.
const PREFIX_KEY_REGEX = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const COMMENT_REGEX = /(^|\s)[;#]/;
// parseIni throws on these names, and loadSharedConfigFiles then swallows the error: the whole file is dropped.
const BLOCKED_SECTION_NAMES = ['__proto__', 'profile __proto__'];

export interface ScannedKey {
  /** The key as parseIni stores it: `region`, or `sts.endpoint_url` for an indented sub-property. */
  name: string;
  line: number;
}

export interface ScannedSection {
  /** The text between the brackets, as written. */
  header: string;
  line: number;
  /**
   * The key parseIni files this section under (`default`, `profile.dev`, `sso-session.corp`, `my prof`), or
   * undefined when parseIni ignores the section and every line in it.
   */
  key: string | undefined;
  keys: ScannedKey[];
}

export interface ScannedFile {
  file: string;
  sections: ScannedSection[];
}

export function malformed(file: string, line: number, what: string, fix: string): OrgConnectError {
  return new OrgConnectError('CONFIG_MALFORMED', `${file}:${line}: ${what}`, { fix });
}

/** What parseIni does with the text inside `[...]`. */
export function sectionKeyFor(header: string): string | undefined {
  const match = PREFIX_KEY_REGEX.exec(header);
  if (match) {
    const prefix = match[1] ?? '';
    const name = match[3] ?? '';
    return (SECTION_TYPES as readonly string[]).includes(prefix) ? `${prefix}.${name}` : undefined;
  }
  // An empty header yields parseIni's `currentSection = ""`, which is falsy: its lines are skipped.
  return header === '' ? undefined : header;
}

export function scanIniText(text: string, file: string): ScannedFile {
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const line = text.slice(0, nul).split(/\r?\n/).length;
    throw malformed(
      file,
      line,
      'contains binary data (a NUL byte); AWS config files are plain UTF-8 text.',
      'Open the file in a text editor and save it as UTF-8 (not UTF-16), or restore it from a backup.',
    );
  }

  const sections: ScannedSection[] = [];
  let current: ScannedSection | undefined;
  let subSection: string | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const trimmed = (rawLine.split(COMMENT_REGEX)[0] ?? '').trim();
    if (trimmed === '') return;

    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      const header = trimmed.slice(1, -1);
      if (BLOCKED_SECTION_NAMES.includes(header)) {
        throw malformed(
          file,
          lineNumber,
          `the section name "${header}" is not allowed, and the AWS SDK ignores the whole file because of it.`,
          'Rename the profile.',
        );
      }
      current = { header, line: lineNumber, key: sectionKeyFor(header), keys: [] };
      sections.push(current);
      subSection = undefined;
      return;
    }

    const equals = trimmed.indexOf('=');
    if (equals === -1 || equals === 0) {
      const what =
        equals === 0
          ? `"${abbreviate(trimmed)}" has no setting name before "=".`
          : `"${abbreviate(trimmed)}" is neither a [section] header nor a "name = value" setting.`;
      throw malformed(
        file,
        lineNumber,
        what,
        'Fix or delete the line; comments start with # or ;, settings look like "region = us-east-1".',
      );
    }
    if (current === undefined) {
      throw malformed(
        file,
        lineNumber,
        `"${abbreviate(trimmed.slice(0, equals).trim())}" is set before any [section] header, so it belongs to no profile.`,
        'Move the line under a [default] or [profile NAME] header.',
      );
    }
    if (current.key === undefined) return; // parseIni skips lines of an ignored section; the section is warned about.

    const name = trimmed.slice(0, equals).trim();
    const value = trimmed.slice(equals + 1).trim();
    if (value === '') {
      // `s3 =` opens a sub-property block for the indented lines that follow (parseIni's currentSubSection).
      subSection = name;
      return;
    }
    if (subSection !== undefined && rawLine.trimStart() === rawLine) subSection = undefined;
    current.keys.push({ name: subSection === undefined ? name : `${subSection}.${name}`, line: lineNumber });
  });
  return { file, sections };
}

// Lines may hold secrets (a key pasted on its own line); show only a short, masked prefix.
function abbreviate(text: string): string {
  const short = text.length > 24 ? `${text.slice(0, 12)}…` : text;
  return /[A-Za-z0-9/+]{20,}/.test(text) ? `${short.slice(0, 4)}…` : short;
}
