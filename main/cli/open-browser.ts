/**
 * Opens a page with the desktop's default browser: an https sign-in page, or the browser host on loopback.
 * Where there is no browser (a server, CI) the URL is already printed, so a failure here is silent on purpose.
 *
 * Nothing here goes through a shell: the URL is one argument of open / xdg-open, and on Windows of
 * rundll32's URL handler (what `start` would call, without cmd's parsing of & | ^ % in the URL).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https anywhere, http only to this machine; anything else (file:, javascript:, a typo) is not opened. */
export function mayOpen(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
}

/** The program and arguments that open `target` (a URL or a local file) on this platform, no shell involved. */
export function openerCommand(target: string, platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [target]];
  if (platform === 'win32') return ['rundll32.exe', ['url.dll,FileProtocolHandler', target]];
  return ['xdg-open', [target]];
}

export async function openInBrowser(url: string): Promise<void> {
  if (!mayOpen(url)) return;
  await launch(url);
}

export interface OpenedRedirect {
  /** The 0600 file that redirects to the URL; gone once remove() resolves. */
  file: string;
  remove(): Promise<void>;
}

/**
 * Opens a URL that carries a secret (the browser host's token) without putting it on a command line, where
 * `ps` would show it for the browser's whole life: the browser is given a 0600 file, in a fresh 0700 folder,
 * that redirects to the URL (as notebook servers do). remove() deletes it; call it when the host stops.
 */
export async function openSecretUrlInBrowser(
  url: string,
  opener: (target: string) => Promise<void> = launch,
): Promise<OpenedRedirect | undefined> {
  if (!mayOpen(url)) return undefined;
  const folder = await mkdtemp(path.join(tmpdir(), 'orgconnect-open-'));
  const file = path.join(folder, 'open.html');
  await writeFile(file, redirectPage(url), { mode: 0o600, flag: 'wx' });
  await opener(file);
  return { file, remove: () => rm(folder, { recursive: true, force: true }) };
}

export function redirectPage(url: string): string {
  const attribute = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${attribute}">`,
    '<title>Opening orgconnect</title></head>',
    `<body><p>Opening orgconnect… If nothing happens, <a href="${attribute}">open it here</a>.</p></body></html>`,
    '',
  ].join('\n');
}

async function launch(target: string): Promise<void> {
  const [command, args] = openerCommand(target);
  await new Promise<void>((resolve) => {
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false });
      child.on('error', () => resolve());
      child.unref();
      resolve();
    } catch {
      resolve();
    }
  });
}
