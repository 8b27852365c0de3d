import { spawn } from 'node:child_process';

/**
 * Opens a sign-in page with the desktop's default browser. Where there is none (a server, CI) the URL is
 * already printed, so a failure here is silent on purpose.
 */
export async function openInBrowser(url: string): Promise<void> {
  if (!/^https?:\/\//.test(url)) return;
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  await new Promise<void>((resolve) => {
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: true });
      child.on('error', () => resolve());
      child.unref();
      resolve();
    } catch {
      resolve();
    }
  });
}
