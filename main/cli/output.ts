/** Where the CLI writes: stdout carries results (JSON with --json), stderr carries progress and errors. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Asks the person a question on the terminal; undefined when there is no terminal to ask on. */
  prompt?: (question: string) => Promise<string>;
  isInteractive: boolean;
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

/** A plain aligned text table for people; machines use --json. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => sanitizeCell(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => (line[index] ?? '').length)),
  );
  const render = (values: readonly string[]) =>
    values
      .map((value, index) => (index === values.length - 1 ? value : value.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [render(columns.map((c) => c.header)), render(widths.map((w) => '-'.repeat(w)))];
  for (const line of cells) lines.push(render(line));
  return `${lines.join('\n')}\n`;
}

/** Control characters from AWS names must not move the terminal's cursor. */
function sanitizeCell(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
