/**
 * Writes a file only its owner can read (0600), whatever the umask and whether or not it existed: a report may
 * hold the full External ID (--reveal-external-id), and every report lists the Organization's accounts and roles.
 * The mode is set on the open handle before any byte is written, so an existing file that was readable by others
 * is empty by the time it could be read, and never holds the new contents with its old mode.
 */
import { open } from 'node:fs/promises';

export async function writePrivateFile(filePath: string, contents: Buffer | string): Promise<void> {
  const handle = await open(filePath, 'w', 0o600);
  try {
    // open()'s mode is filtered by the umask and ignored for an existing file; chmod makes it exact.
    await handle.chmod(0o600);
    await handle.writeFile(contents);
  } finally {
    await handle.close();
  }
}
