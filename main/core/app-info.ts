/** Who we are, for the SDK's user agent (AWS support and CloudTrail show it) and for `--version`. */
import { readFileSync } from 'node:fs';
import { packageRoot } from './package-root.js';
import path from 'node:path';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const APP_VERSION = readVersion();
export const USER_AGENT = `orgconnect/${APP_VERSION}`;
