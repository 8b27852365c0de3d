import Table from 'cli-table3';
import stringWidth from 'string-width';

/** Where the CLI writes: stdout carries results (JSON with --json), stderr carries progress and errors. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Asks the person a question on the terminal; undefined when there is no terminal to ask on. */
  prompt?: (question: string) => Promise<string>;
  isInteractive: boolean;
  /** stderr when it is a terminal: where live progress is drawn in place. */
  terminal?: NodeJS.WriteStream;
  /** The terminal's width when stdout is one: tables are fitted to it (unless --wide). */
  columns?: number;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** One JSON object per line, for event streams (`deploy --json`). */
export function printJsonLine(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
}

export interface TableOptions {
  /** Fit the table to this many columns, truncating the widest cells with "…"; undefined: no limit. */
  maxWidth?: number | undefined;
}

/** Tables fit the terminal unless --wide asks for everything (a pipe has no width: nothing is cut). */
export function tableOptions(io: CliIo, wide: boolean | undefined): TableOptions {
  return { maxWidth: wide ? undefined : io.columns };
}

const GAP = 2;
const NO_BORDERS = Object.fromEntries(
  [
    'top',
    'top-mid',
    'top-left',
    'top-right',
    'bottom',
    'bottom-mid',
    'bottom-left',
    'bottom-right',
    'left',
    'left-mid',
    'mid',
    'mid-mid',
    'right',
    'right-mid',
    'middle',
  ].map((name) => [name, '']),
);

/**
 * Column widths that fit `maxWidth`: the widest columns give way first, never below their header (or 8).
 * Pure, so the fitting is tested without a terminal.
 */
export function fitColumnWidths(
  natural: readonly number[],
  minimum: readonly number[],
  maxWidth: number,
): number[] {
  const widths = [...natural];
  let total = widths.reduce((sum, w) => sum + w, 0) + GAP * Math.max(0, widths.length - 1);
  while (total > maxWidth) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (w > (minimum[i] ?? 0) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    });
    if (widest < 0) break; // every column is at its minimum: the line wraps rather than lose headers
    widths[widest] = (widths[widest] ?? 0) - 1;
    total -= 1;
  }
  return widths;
}

/** A plain aligned text table for people (cli-table3 without borders); machines use --json. */
export function formatTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  options: TableOptions = {},
): string {
  const cells = rows.map((row) => columns.map((column) => sanitizeCell(column.value(row))));
  const natural = columns.map((column, index) =>
    Math.max(stringWidth(column.header), ...cells.map((line) => stringWidth(line[index] ?? ''))),
  );
  const minimum = columns.map((column) => Math.max(stringWidth(column.header), 8));
  const widths =
    options.maxWidth === undefined ? natural : fitColumnWidths(natural, minimum, options.maxWidth);
  const table = new Table({
    head: columns.map((c) => c.header),
    colWidths: widths.map((w, i) => (i === widths.length - 1 ? Math.max(w, 1) : w + GAP)),
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    wordWrap: false,
    truncate: '…',
  });
  table.push(widths.map((w) => '-'.repeat(w)));
  for (const line of cells) table.push(line);
  const lines = table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd());
  return `${lines.join('\n')}\n`;
}

/** Control characters from AWS names must not move the terminal's cursor. */
function sanitizeCell(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
