// The Electronegativity gate (scripts/electronegativity.mjs, run by `npm test` over main/app, preload and the
// renderer) must be able to fail: an insecure main process is rejected with the findings it deserves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: a plain .mjs script without type declarations
import { scanElectronSources } from '../../scripts/electronegativity.mjs';

interface Scan {
  filesScanned: number;
  errors: unknown[];
  findings: { id: string; severity: string }[];
  blocking: { id: string; severity: string }[];
}

test('an insecure main process fails the gate: no isolation, no sandbox, web security off, no navigation or permission limits', async () => {
  const scan = (await scanElectronSources(['test/fixtures/electron-insecure'])) as Scan;
  assert.equal(scan.filesScanned, 1);
  assert.deepEqual(scan.errors, []);
  const blocking = new Set(scan.blocking.map((finding) => finding.id));
  for (const id of [
    'CONTEXT_ISOLATION_JS_CHECK',
    'SANDBOX_JS_CHECK',
    'WEB_SECURITY_JS_CHECK',
    'LIMIT_NAVIGATION_GLOBAL_CHECK',
    'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
  ]) {
    assert.ok(blocking.has(id), `${id} in ${[...blocking].join(', ')}`);
  }
  console.log(
    `insecure fixture: ${scan.blocking.length} findings MEDIUM or higher (${[...blocking].join(', ')})`,
  );
});
