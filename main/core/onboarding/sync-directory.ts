import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Makes a new file's directory entry durable too (a synced file that no directory names is lost on a crash). */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, fsConstants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot open a directory; the file's own sync is the best they offer.
  }
}
