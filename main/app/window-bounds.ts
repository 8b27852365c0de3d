/** The main window's size and position, remembered between launches in userData/window-bounds.json. */
import { readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const boundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(640).max(20_000),
  height: z.number().int().min(480).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowBounds = z.infer<typeof boundsSchema>;

export function boundsFile(userDataDir: string): string {
  return path.join(userDataDir, 'window-bounds.json');
}

/** undefined when there is nothing usable saved (first launch, or a hand-edited file): the OS then places it. */
export async function loadWindowBounds(userDataDir: string): Promise<WindowBounds | undefined> {
  try {
    const parsed = boundsSchema.safeParse(JSON.parse(await readFile(boundsFile(userDataDir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temp file then renamed, so a crash mid-write never leaves a broken file behind. */
export async function saveWindowBounds(userDataDir: string, bounds: WindowBounds): Promise<void> {
  const file = boundsFile(userDataDir);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(bounds)}\n`, 'utf8');
  await rename(temp, file);
}

/** A saved position is used only if it still lands on a display (monitors get unplugged). */
export function visibleOn(
  bounds: WindowBounds,
  displays: readonly { x: number; y: number; width: number; height: number }[],
): boolean {
  return displays.some(
    (area) =>
      bounds.x < area.x + area.width - 100 &&
      bounds.x + bounds.width > area.x + 100 &&
      bounds.y >= area.y - 10 &&
      bounds.y < area.y + area.height - 100,
  );
}
