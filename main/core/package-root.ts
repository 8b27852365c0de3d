/**
 * The folder holding orgconnect's package.json. Code runs from TypeScript sources (tests, tsx) and from dist/
 * (CLI, Electron's asar), so files shipped beside the code (templates, renderer) are found from here, not by
 * fixed relative hops.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = import.meta.dirname;
  for (;;) {
    if (isOurPackage(path.join(dir, 'package.json'))) break;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`orgconnect's package root was not found above ${import.meta.dirname}`);
    dir = parent;
  }
  cached = dir;
  return dir;
}

function isOurPackage(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'orgconnect';
  } catch {
    return false;
  }
}
