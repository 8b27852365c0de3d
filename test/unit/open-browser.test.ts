// How the CLI opens pages: only https or loopback http, never through a shell, and the browser host's token URL by
// way of a 0600 redirect file, so the token is never on the browser's command line (visible in `ps`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { mayOpen, openerCommand, openSecretUrlInBrowser, redirectPage } from '../../main/cli/open-browser.js';

const TOKEN_URL = 'http://127.0.0.1:51234/?token=AbC-dEf_123&x=1';

test('only https anywhere and http to this machine may be opened', () => {
  for (const url of [
    'https://d-123.awsapps.com/start',
    'http://127.0.0.1:8080/',
    'http://localhost:1/',
    'http://[::1]:3/',
  ])
    assert.equal(mayOpen(url), true, url);
  for (const url of [
    'http://example.com/',
    'http://127.0.0.1.evil.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ms-settings:',
    'not a url',
  ])
    assert.equal(mayOpen(url), false, url);
});

test('the opener is one program with the target as one argument, cmd never involved (Windows included)', () => {
  const tricky = 'https://example.com/a?b=1&c=%PATH%^|calc';
  assert.deepEqual(openerCommand(tricky, 'win32'), ['rundll32.exe', ['url.dll,FileProtocolHandler', tricky]]);
  assert.deepEqual(openerCommand(tricky, 'darwin'), ['open', [tricky]]);
  assert.deepEqual(openerCommand(tricky, 'linux'), ['xdg-open', [tricky]]);
});

test('the token URL goes to the browser as a 0600 redirect file in a 0700 folder, removed afterwards', async () => {
  const previousUmask = process.umask(0o022);
  const opened: string[] = [];
  try {
    const redirect = await openSecretUrlInBrowser(TOKEN_URL, async (target) => {
      opened.push(target);
    });
    assert.ok(redirect);
    assert.deepEqual(opened, [redirect.file]);
    assert.ok(!opened[0]?.includes('AbC-dEf_123'), 'the token is not in what the opener is given');
    assert.equal(statSync(redirect.file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(redirect.file)).mode & 0o777, 0o700);
    const html = readFileSync(redirect.file, 'utf8');
    assert.equal(html, redirectPage(TOKEN_URL));
    assert.match(
      html,
      /<meta http-equiv="refresh" content="0;url=http:\/\/127\.0\.0\.1:51234\/\?token=AbC-dEf_123&amp;x=1">/,
    );
    await redirect.remove();
    assert.equal(existsSync(path.dirname(redirect.file)), false);
  } finally {
    process.umask(previousUmask);
  }
  assert.equal(
    await openSecretUrlInBrowser('file:///etc/passwd', async () => assert.fail('opened')),
    undefined,
  );
});
