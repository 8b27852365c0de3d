/**
 * `adopt --roles FILE.csv`: a header and the columns `account_id,role_arn[,connection_name]`. The whole file is
 * checked before anything is adopted; every bad row is named by its line and reason.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { OrgConnectError } from '../errors.js';
import { validateConnectionName } from '../onboarding/connection-names.js';

export interface RoleRow {
  accountId: string;
  roleArn: string;
  connectionName?: string;
  /** 1-based line in the file. */
  line: number;
}

const rowSchema = z.object({
  account_id: z.string().regex(/^\d{12}$/, 'account_id must be 12 digits'),
  role_arn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\x21-\x7E]+\/)*[\w+=,.@-]{1,64}$/,
      'role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<path/>name)',
    ),
  connection_name: z.string().optional(),
});

const REQUIRED = ['account_id', 'role_arn'];
const KNOWN = [...REQUIRED, 'connection_name'];

export function parseRolesCsv(text: string): RoleRow[] {
  let records: { record: Record<string, string>; line: number }[];
  try {
    records = (
      parse(text, {
        columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
        bom: true,
        info: true,
      }) as { record: Record<string, string>; info: { lines: number } }[]
    ).map(({ record, info }) => ({ record, line: info.lines }));
  } catch (error) {
    throw new OrgConnectError(
      'ROLES_CSV_INVALID',
      `The roles file is not valid CSV: ${(error as Error).message}`,
      {
        fix: 'Save it as CSV with a header line: account_id,role_arn,connection_name',
      },
    );
  }
  const header = Object.keys(records[0]?.record ?? {});
  const problems: string[] = [];
  if (records.length === 0) problems.push('the file has no rows after its header');
  for (const column of REQUIRED)
    if (records.length > 0 && !header.includes(column)) problems.push(`the header lacks ${column}`);
  for (const column of header)
    if (!KNOWN.includes(column)) problems.push(`unknown column "${column}" (expected ${KNOWN.join(', ')})`);
  const rows: RoleRow[] = [];
  const seen = new Map<string, number>();
  if (problems.length === 0) {
    for (const { record, line } of records) {
      const parsed = rowSchema.safeParse({
        ...record,
        connection_name: record['connection_name'] || undefined,
      });
      if (!parsed.success) {
        problems.push(`line ${line}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
        continue;
      }
      const { account_id: accountId, role_arn: roleArn, connection_name: connectionName } = parsed.data;
      const arnAccount = /::(\d{12}):/.exec(roleArn)?.[1];
      if (arnAccount !== accountId) {
        problems.push(`line ${line}: role_arn is in account ${arnAccount}, not ${accountId}`);
        continue;
      }
      if (connectionName !== undefined) {
        const valid = validateConnectionName(connectionName);
        if (!valid.ok) {
          problems.push(`line ${line}: connection_name: ${valid.message}`);
          continue;
        }
      }
      const earlier = seen.get(accountId);
      if (earlier !== undefined) {
        problems.push(`line ${line}: account ${accountId} is already on line ${earlier}`);
        continue;
      }
      seen.set(accountId, line);
      rows.push({ accountId, roleArn, line, ...(connectionName === undefined ? {} : { connectionName }) });
    }
  }
  if (problems.length > 0) {
    throw new OrgConnectError(
      'ROLES_CSV_INVALID',
      `The roles file has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}: ${problems.join('; ')}.`,
      { fix: 'Correct those lines; nothing was adopted.' },
    );
  }
  return rows;
}
