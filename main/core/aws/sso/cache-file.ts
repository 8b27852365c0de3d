/**
 * The SSO token cache, shared with the AWS CLI v2 and the AWS SDKs: `~/.aws/sso/cache/<sha1>.json`, where the
 * sha1 is of the sso-session name (or of the start URL for legacy profiles). A token written here is used by
 * `aws`, by the SDK's `fromSSO`, and by us; a token the CLI wrote is used by us.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { getHomeDir } from '@smithy/shared-ini-file-loader';
import { z } from 'zod';
import { pythonJsonDumps, type JsonValue } from './python-json.js';
import type { SsoCachedToken, SsoClientRegistration, SsoTarget } from './types.js';

export function ssoCacheDir(options: { homeDir?: string } = {}): string {
  return path.join(options.homeDir ?? getHomeDir(), '.aws', 'sso', 'cache');
}

/** The file the CLI and SDK read this target's token from (same rule as the SDK's getSSOTokenFilepath). */
export function ssoCacheFilePath(target: SsoTarget, options: { homeDir?: string } = {}): string {
  const id = target.sessionName ?? target.startUrl;
  return path.join(ssoCacheDir(options), `${sha1Hex(id)}.json`);
}

/**
 * The CLI's client-registration cache file: the sha1 of Python's `json.dumps` of tool/startUrl/region/scopes/
 * session_name with sorted keys (botocore `BaseSSOTokenFetcher._registration_cache_key`). `scopes` is the
 * configured list, or null when `sso_registration_scopes` is not set — not the default scope.
 */
export function registrationCacheFilePath(target: SsoTarget, options: { homeDir?: string } = {}): string {
  const args: JsonValue = {
    tool: 'botocore',
    startUrl: target.startUrl,
    region: target.region,
    scopes: target.registrationScopes ?? null,
    session_name: target.sessionName ?? null,
  };
  return path.join(ssoCacheDir(options), `${sha1Hex(pythonJsonDumps(args, { sortKeys: true }))}.json`);
}

/** `2026-11-22T10:00:00Z`: what the CLI writes (strftime '%Y-%m-%dT%H:%M:%SZ'); the SDK parses it too. */
export function formatCacheTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Milliseconds since the epoch, or NaN. Accepts what the CLI v2 and the JS SDK write, plus the `…UTC` suffix
 * older CLI versions wrote.
 */
export function parseCacheTimestamp(text: string): number {
  return Date.parse(text.trim().replace(/\s*UTC$/, 'Z'));
}

const cachedTokenSchema = z.looseObject({
  startUrl: z.string().optional(),
  region: z.string().optional(),
  accessToken: z.string().min(1),
  expiresAt: z.string().refine((value) => !Number.isNaN(parseCacheTimestamp(value))),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  registrationExpiresAt: z.string().optional(),
  refreshToken: z.string().optional(),
});

const registrationSchema = z.looseObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  expiresAt: z.string().refine((value) => !Number.isNaN(parseCacheTimestamp(value))),
  scopes: z.array(z.string()).optional(),
  grantTypes: z.array(z.string()).optional(),
});

/** The cached token for `target`, or undefined when there is none or it is unreadable (as the CLI treats it). */
export async function readCachedToken(
  target: SsoTarget,
  options: { homeDir?: string } = {},
): Promise<SsoCachedToken | undefined> {
  const parsed = cachedTokenSchema.safeParse(await readJson(ssoCacheFilePath(target, options)));
  if (!parsed.success) return undefined;
  const {
    startUrl,
    region,
    accessToken,
    expiresAt,
    clientId,
    clientSecret,
    registrationExpiresAt,
    refreshToken,
  } = parsed.data;
  return dropUndefined({
    startUrl,
    region,
    accessToken,
    expiresAt,
    clientId,
    clientSecret,
    registrationExpiresAt,
    refreshToken,
  });
}

export async function writeCachedToken(
  target: SsoTarget,
  token: SsoCachedToken,
  options: { homeDir?: string } = {},
): Promise<void> {
  // Field order as the CLI writes it, so a diff between the two tools' files shows only values.
  const record: JsonValue = {
    startUrl: token.startUrl,
    region: token.region,
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    clientId: token.clientId,
    clientSecret: token.clientSecret,
    registrationExpiresAt: token.registrationExpiresAt,
    refreshToken: token.refreshToken,
  };
  await writeFileAtomic(ssoCacheFilePath(target, options), pythonJsonDumps(record));
}

export async function readCachedRegistration(
  target: SsoTarget,
  options: { homeDir?: string } = {},
): Promise<SsoClientRegistration | undefined> {
  const parsed = registrationSchema.safeParse(await readJson(registrationCacheFilePath(target, options)));
  if (!parsed.success) return undefined;
  const { clientId, clientSecret, expiresAt, scopes, grantTypes } = parsed.data;
  return dropUndefined({ clientId, clientSecret, expiresAt, scopes, grantTypes });
}

export async function writeCachedRegistration(
  target: SsoTarget,
  registration: SsoClientRegistration,
  options: { homeDir?: string } = {},
): Promise<void> {
  const record: JsonValue = {
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    expiresAt: registration.expiresAt,
    scopes: registration.scopes,
    grantTypes: registration.grantTypes,
  };
  await writeFileAtomic(registrationCacheFilePath(target, options), pythonJsonDumps(record));
}

/**
 * Temp file in the same directory, then rename: a reader (the CLI, the SDK, another orgconnect) sees the old
 * file or the new one, never half of one. Mode 0600 because the file holds a bearer token and a client secret.
 */
export async function writeFileAtomic(filePath: string, contents: string): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });
  const tempPath = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tempPath, 'wx', 0o600);
  try {
    await handle.writeFile(contents, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // open()'s mode is filtered by the umask; chmod makes 0600 exact whatever the umask is.
    await chmod(tempPath, 0o600);
    await rename(tempPath, filePath);
  } catch (error) {
    await unlink(tempPath).catch(() => undefined);
    throw error;
  }
}

async function readJson(filePath: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(filePath, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
