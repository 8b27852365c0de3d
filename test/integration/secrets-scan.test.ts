// Secrets scan: a full CLI session against moto (deploy, health, report in every format) through the fault proxy
// (no faults: it is here to see the credentials moto issues). Then every byte the session left behind — stdout,
// stderr, every file in the data directory, the reports (the XLSX read cell by cell) — is searched for the
// External ID, the management profile's secret key and session token, and every secret key and session token
// moto issued through AssumeRole during the session. Any hit fails. The run's secrets file must be gone once the
// run finished. Registration is on, with the sandbox platform (one registration refused, so an error path is
// scanned too): the External ID goes to the platform and nowhere else.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { startMoto, type MotoServer } from '../support/moto.js';
import { seedOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect, type CliResult } from '../support/run-cli.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';

const EXTERNAL_ID = 'cz-Secret-ExtId:7Qz/9w+Kp=R4';
// moto maps any access key it did not issue to its default account (the seeded management account).
const MANAGEMENT_KEY = 'AKIAORGCONNECTSCAN01';
const MANAGEMENT_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYScanSecret1';
const MANAGEMENT_TOKEN = 'IQoJb3JpZ2luX2VjEScanSessionToken/0123456789abcdef+xyz==';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

async function xlsxText(file: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const parts: string[] = [];
  for (const sheet of workbook.worksheets) {
    parts.push(sheet.name);
    sheet.eachRow((row) => row.eachCell((cell) => parts.push(String(cell.text ?? cell.value ?? ''))));
  }
  return parts.join('\n');
}

describe('no secret leaves the session', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let platform: SandboxPlatform;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let outDir: string;
  const results: { name: string; result: CliResult }[] = [];

  before(async () => {
    moto = await startMoto();
    const seeded = await seedOrganization({ endpoint: moto.url, accounts: 6, depth: 1, seed: 8 });
    platform = await startSandboxPlatform();
    platform.inject({ kind: 'status', status: 403, accountId: seeded.memberAccountIds[0] as string });
    proxy = await startFaultProxy({ target: moto.url });
    const files = writeTestAwsConfig(proxy.url);
    writeFileSync(
      files.env['AWS_SHARED_CREDENTIALS_FILE'] ?? '',
      `[emulator]\naws_access_key_id = ${MANAGEMENT_KEY}\naws_secret_access_key = ${MANAGEMENT_SECRET}\naws_session_token = ${MANAGEMENT_TOKEN}\n`,
    );
    dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-data-'));
    outDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-reports-'));
    const { ORGCONNECT_NO_REGISTER: _off, ...awsEnv } = files.env;
    env = { ...awsEnv, ORGCONNECT_HOME: dataDir, ORGCONNECT_PLATFORM_URL: platform.linkUrl };
  });
  after(async () => {
    await platform?.stop();
    await proxy?.stop();
    await moto?.stop();
  });

  test('deploy, health and reports run; then nothing anywhere holds a secret', async () => {
    const run = async (name: string, args: string[], okCodes: number[] = [0]) => {
      const result = await runOrgconnect(args, env, { timeoutMs: 120_000 });
      assert.ok(
        okCodes.includes(result.code),
        `${name} exited ${result.code}: ${result.stderr.slice(-1000)}`,
      );
      results.push({ name, result });
    };
    await run(
      'deploy --json',
      ['deploy', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--yes', '--json'],
      [3],
    );
    // The External ID was sent — to the platform, in the link messages, and only there.
    assert.ok(platform.received.length >= 7);
    assert.ok(platform.received.every((r) => r.message?.data.metadata.external_id === EXTERNAL_ID));
    await run('plan', ['plan', '--profile', 'emulator', '--external-id', EXTERNAL_ID]);
    const health = ['health', '--profile', 'emulator', '--skip', 'stack-drift,regions-sts,cur'];
    // moto builds the roles without their managed policies, so some checks may be red (exit 3); not this test's topic.
    await run('health --json', [...health, '--json'], [0, 3]);
    await run('health', health, [0, 3]);
    await run('runs --json', ['runs', '--json']);
    for (const format of ['csv', 'json', 'xlsx']) {
      await run(`report ${format}`, [
        'report',
        '--format',
        format,
        '--out',
        path.join(outDir, `report.${format}`),
      ]);
    }

    // The session really used assumed credentials, so the scan below is meaningful.
    const issued = proxy.issued;
    assert.ok(issued.length >= 6, `${issued.length} credentials issued through AssumeRole`);
    const secrets = new Map<string, string>([
      ['External ID', EXTERNAL_ID],
      ['External ID (URL-encoded)', encodeURIComponent(EXTERNAL_ID)],
      ['management secret key', MANAGEMENT_SECRET],
      ['management session token', MANAGEMENT_TOKEN],
    ]);
    issued.forEach((c, i) => {
      secrets.set(`secret key #${i} issued for ${c.accountId}`, c.secretAccessKey);
      secrets.set(`session token #${i} issued for ${c.accountId}`, c.sessionToken);
    });

    // Where to look: every output stream, every file in the data directory, every report.
    const haystacks: { where: string; text: string }[] = results.flatMap(({ name, result }) => [
      { where: `${name} stdout`, text: result.stdout },
      { where: `${name} stderr`, text: result.stderr },
    ]);
    const dataFiles = filesUnder(dataDir);
    assert.ok(
      dataFiles.some((f) => f.includes(`${path.sep}runs${path.sep}`)),
      'the run journal is there',
    );
    assert.ok(
      dataFiles.some((f) => f.includes(`${path.sep}health${path.sep}`)),
      'health history is there',
    );
    for (const file of dataFiles)
      haystacks.push({
        where: path.relative(dataDir, file),
        text: readFileSync(file, 'latin1') + readFileSync(file, 'utf8'),
      });
    for (const format of ['csv', 'json']) {
      haystacks.push({
        where: `report.${format}`,
        text: readFileSync(path.join(outDir, `report.${format}`), 'utf8'),
      });
    }
    haystacks.push({ where: 'report.xlsx (cells)', text: await xlsxText(path.join(outDir, 'report.xlsx')) });

    const leaks: string[] = [];
    for (const { where, text } of haystacks) {
      for (const [what, secret] of secrets) if (text.includes(secret)) leaks.push(`${what} in ${where}`);
    }
    assert.deepEqual(leaks, []);

    // The finished run's External ID file is deleted (only an unfinished run keeps one, to resume).
    const secretsDir = path.join(dataDir, 'secrets');
    const left = existsSync(secretsDir) ? readdirSync(secretsDir) : [];
    assert.deepEqual(left, [], 'no run secrets file left after the run finished');
    // The reports still identify the External ID, masked.
    assert.match(readFileSync(path.join(outDir, 'report.csv'), 'utf8'), /••••p=R4/);
    console.log(
      `secrets scan: ${secrets.size} secrets × ${haystacks.length} places (${dataFiles.length} data files), 0 leaks`,
    );
  });
});
