/**
 * Reads ~/.aws/config and ~/.aws/credentials the way the AWS SDK v3 does (its own parser supplies every value),
 * and reports what the SDK would silently drop, with file:line, so the user can fix it.
 * Always reads fresh from disk: an edited file is seen by the next call.
 */
import { readFile } from 'node:fs/promises';
import { loadSharedConfigFiles, type ParsedIniData } from '@smithy/shared-ini-file-loader';
import { OrgConnectError } from '../../errors.js';
import {
  malformed,
  scanIniText,
  SECTION_TYPES,
  type ScannedFile,
  type ScannedSection,
} from './line-scanner.js';
import { awsConfigPaths, selectedProfileName, type AwsConfigPaths } from './paths.js';
import { profileKind, type RawProfile, type RawProfiles } from './profile-kind.js';
import type {
  ConfigFileKind,
  ConfigWarning,
  LocalAwsConfig,
  ProfileSummary,
  SsoSessionSummary,
} from './types.js';

export interface LoadLocalAwsConfigOptions {
  env?: NodeJS.ProcessEnv;
}

/** Everything read in one pass; internal to the config folder (it holds secret values). */
export interface AwsConfigSnapshot {
  paths: AwsConfigPaths;
  /** The config file as the SDK sees it: profile names, plus `sso-session.NAME` and `services.NAME` keys. */
  configData: ParsedIniData;
  /** The credentials file as the SDK sees it. */
  credentialsData: ParsedIniData;
  /** Profiles merged as fromIni merges them (parseKnownFiles: credentials override config). */
  profiles: RawProfiles;
  summary: LocalAwsConfig;
}

export async function loadLocalAwsConfig(options: LoadLocalAwsConfigOptions = {}): Promise<LocalAwsConfig> {
  return (await readAwsConfigSnapshot(options.env ?? process.env)).summary;
}

export async function readAwsConfigSnapshot(env: NodeJS.ProcessEnv): Promise<AwsConfigSnapshot> {
  const paths = awsConfigPaths(env);
  const [configScan, credentialsScan] = await Promise.all([
    scanFile(paths.configFile),
    scanFile(paths.credentialsFile),
  ]);
  const { configFile: configData, credentialsFile: credentialsData } = await loadSharedConfigFiles({
    configFilepath: paths.configFile,
    filepath: paths.credentialsFile,
    ignoreCache: true,
  });
  // loadSharedConfigFiles swallows every read/parse error and returns {}; if it lost a file the scan says has
  // settings, the SDK would run with no profiles from it, so stop here instead.
  assertSdkReadFile(configScan, configData, (key) => configEntryFor(key) !== undefined);
  assertSdkReadFile(credentialsScan, credentialsData, () => true);

  const profiles = mergeLikeParseKnownFiles(configData, credentialsData);
  const context: Context = { paths, configScan, credentialsScan, configData, credentialsData, profiles };
  const ssoSessions = ssoSessionSummaries(context);
  const summary: LocalAwsConfig = {
    configFile: paths.configFile,
    credentialsFile: paths.credentialsFile,
    selectedProfile: selectedProfileName(env),
    profiles: profileNames(context).map((name) => profileSummary(context, name)),
    ssoSessions: ssoSessions.sessions,
    warnings: [...sectionWarnings(context), ...settingWarnings(context), ...ssoSessions.warnings].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line,
    ),
  };
  return { paths, configData, credentialsData, profiles, summary };
}

interface Context {
  paths: AwsConfigPaths;
  configScan: ScannedFile | undefined;
  credentialsScan: ScannedFile | undefined;
  configData: ParsedIniData;
  credentialsData: ParsedIniData;
  profiles: RawProfiles;
}

async function scanFile(file: string): Promise<ScannedFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A missing file is normal (many users have only one of the two); the SDK treats it as empty too.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new OrgConnectError('CONFIG_MALFORMED', `${file}: cannot be read (${code ?? 'unknown error'}).`, {
      fix: 'Make it a readable file owned by you (chmod 600), or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere.',
      cause: error,
    });
  }
  return scanIniText(text, file);
}

function assertSdkReadFile(
  scan: ScannedFile | undefined,
  data: ParsedIniData,
  kept: (sectionKey: string) => boolean,
): void {
  if (scan === undefined || Object.keys(data).length > 0) return;
  const section = scan.sections.find((s) => s.key !== undefined && s.keys.length > 0 && kept(s.key));
  if (section) {
    throw malformed(
      scan.file,
      section.line,
      'the AWS SDK could not read this file (it changed while being read, or it cannot be parsed).',
      'Check the file, then reload.',
    );
  }
}

/** What getConfigData (SDK) turns a config-file section key into, or undefined when it drops the section. */
type ConfigEntry = { type: 'profile' | 'sso-session' | 'services'; name: string };

function configEntryFor(sectionKey: string | undefined): ConfigEntry | undefined {
  if (sectionKey === undefined) return undefined;
  if (sectionKey === 'default') return { type: 'profile', name: 'default' };
  const dot = sectionKey.indexOf('.');
  if (dot === -1) return undefined;
  const type = sectionKey.slice(0, dot);
  if (!(SECTION_TYPES as readonly string[]).includes(type)) return undefined;
  return { type: type as ConfigEntry['type'], name: sectionKey.slice(dot + 1) };
}

function isTypedKey(key: string): boolean {
  return SECTION_TYPES.some((type) => key.startsWith(`${type}.`));
}

function mergeLikeParseKnownFiles(config: ParsedIniData, credentials: ParsedIniData): RawProfiles {
  const merged: Record<string, RawProfile> = {};
  for (const file of [config, credentials]) {
    for (const [key, values] of Object.entries(file)) {
      merged[key] = { ...merged[key], ...values };
    }
  }
  return merged;
}

/** Profiles a user can select: config profiles and credentials sections, not sso-session/services entries. */
function profileNames(ctx: Context): string[] {
  const names = new Set<string>();
  for (const key of Object.keys(ctx.configData)) if (!isTypedKey(key)) names.add(key);
  for (const key of Object.keys(ctx.credentialsData)) if (!isTypedKey(key)) names.add(key);
  return [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

/** Settings that select endpoints are read config-first (the SDK's fromSharedConfigFiles default). */
function endpointView(ctx: Context, name: string): RawProfile {
  return { ...ctx.credentialsData[name], ...ctx.configData[name] };
}

function profileSummary(ctx: Context, name: string): ProfileSummary {
  const p = ctx.profiles[name] ?? {};
  const kind = profileKind(p);
  const definedIn: ConfigFileKind[] = [];
  if (ctx.configData[name]) definedIn.push('config');
  if (ctx.credentialsData[name]) definedIn.push('credentials');
  const session =
    p['sso_session'] === undefined ? undefined : ctx.configData[`sso-session.${p['sso_session']}`];
  const endpoints = endpointView(ctx, name);
  const duration = p['duration_seconds'];
  return withoutUndefined<ProfileSummary>({
    name,
    kind,
    region: p['region'],
    definedIn,
    sourceProfile: p['source_profile'],
    credentialSource: p['credential_source'],
    roleArn: p['role_arn'],
    hasExternalId: typeof p['external_id'] === 'string' && p['external_id'] !== '',
    mfaSerial: p['mfa_serial'],
    durationSeconds: duration !== undefined && /^\d+$/.test(duration) ? Number(duration) : undefined,
    credentialProcess: typeof p['credential_process'] === 'string',
    webIdentityTokenFile: p['web_identity_token_file'],
    ssoSession: p['sso_session'],
    // fromSSO takes the start URL and region from the sso-session section when the profile names one.
    ssoStartUrl: session?.['sso_start_url'] ?? p['sso_start_url'],
    ssoRegion: session?.['sso_region'] ?? p['sso_region'],
    ssoAccountId: p['sso_account_id'],
    ssoRoleName: p['sso_role_name'],
    endpointUrl: endpoints['endpoint_url'],
    servicesSection: endpoints['services'],
  });
}

/** Drops undefined fields so summaries compare and serialise cleanly. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function ssoSessionSummaries(ctx: Context): { sessions: SsoSessionSummary[]; warnings: ConfigWarning[] } {
  const sessions: SsoSessionSummary[] = [];
  const warnings: ConfigWarning[] = [];
  for (const [key, values] of Object.entries(ctx.configData)) {
    if (!key.startsWith('sso-session.')) continue;
    const name = key.slice('sso-session.'.length);
    const startUrl = values['sso_start_url'];
    const region = values['sso_region'];
    if (!startUrl || !region) {
      const header = lastSection(ctx.configScan, (s) => s.key === key);
      warnings.push({
        code: 'SSO_SESSION_INCOMPLETE',
        file: ctx.paths.configFile,
        line: header?.line ?? 1,
        message: `[sso-session ${name}] needs both sso_start_url and sso_region; SSO login cannot use it.`,
      });
      continue;
    }
    const scopes = values['sso_registration_scopes'];
    sessions.push({
      name,
      startUrl,
      region,
      ...(scopes === undefined
        ? {}
        : {
            registrationScopes: scopes
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          }),
    });
  }
  return { sessions: sessions.sort((a, b) => a.name.localeCompare(b.name)), warnings };
}

const TYPED_HEADER = /^(profile|sso-session|services)\s+\S/;

function sectionWarnings(ctx: Context): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const config = ctx.configScan;
  if (config) {
    const warn = (section: ScannedSection, code: ConfigWarning['code'], message: string) =>
      warnings.push({ code, file: config.file, line: section.line, message });
    for (const section of config.sections) {
      if (configEntryFor(section.key) !== undefined) continue;
      if (TYPED_HEADER.test(section.header)) {
        warn(
          section,
          'INVALID_SECTION_NAME',
          `[${section.header}]: ${nameProblem(section.header.replace(/^\S+\s+/, ''))}; the AWS SDK ignores this section.`,
        );
      } else {
        warn(
          section,
          'UNKNOWN_SECTION',
          `[${section.header}] is not a section type the AWS SDK reads in the config file ` +
            '([default], [profile NAME], [sso-session NAME], [services NAME]); it is ignored.',
        );
      }
    }
    const prefixedDefault = config.sections.find((s) => s.key === 'profile.default' && s.keys.length > 0);
    if (prefixedDefault) {
      for (const section of config.sections.filter((s) => s.key === 'default')) {
        warn(
          section,
          'DEFAULT_PROFILE_CONFLICT',
          `[default] is ignored: [profile default] on line ${prefixedDefault.line} replaces it entirely.`,
        );
      }
    }
  }
  const credentials = ctx.credentialsScan;
  if (credentials) {
    for (const section of credentials.sections) {
      const warn = (code: ConfigWarning['code'], message: string) =>
        warnings.push({ code, file: credentials.file, line: section.line, message });
      if (section.key === undefined) {
        if (section.header === '') warn('UNKNOWN_SECTION', '[] has no profile name; it is ignored.');
        else
          warn(
            'INVALID_SECTION_NAME',
            `[${section.header}]: ${nameProblem(section.header)}; the AWS SDK ignores it.`,
          );
      } else if (section.key !== section.header) {
        const [type] = section.key.split('.');
        const name = section.key.slice((type ?? '').length + 1);
        warn(
          'PROFILE_PREFIX_IN_CREDENTIALS',
          type === 'profile'
            ? `[${section.header}]: the credentials file names profiles without the "profile" prefix; write [${name}].`
            : `[${section.header}]: ${type} sections belong in the config file; the credentials file only holds profiles.`,
        );
      }
    }
  }
  return warnings;
}

function nameProblem(name: string): string {
  if (/\s/.test(name)) return `the name "${name}" contains a space`;
  return `the name "${name}" may only contain letters, digits and - _ @ + . % : /`;
}

function settingWarnings(ctx: Context): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const name of profileNames(ctx)) {
    const p = ctx.profiles[name] ?? {};
    const at = (key: string, preferred: ConfigFileKind) => settingLocation(ctx, name, key, preferred);
    const source = p['source_profile'];
    if (source !== undefined && ctx.profiles[source] === undefined) {
      warnings.push({
        code: 'SOURCE_PROFILE_MISSING',
        ...at('source_profile', 'credentials'),
        message: `Profile ${name}: source_profile "${source}" is not defined in the config or credentials file.`,
      });
    }
    if (p['role_arn'] !== undefined && source !== undefined && p['credential_source'] !== undefined) {
      warnings.push({
        code: 'ROLE_SOURCE_CONFLICT',
        ...at('credential_source', 'credentials'),
        message: `Profile ${name} sets both source_profile and credential_source; the AWS SDK then cannot assume its role. Keep one.`,
      });
    }
    const services = endpointView(ctx, name)['services'];
    if (services !== undefined && ctx.configData[`services.${services}`] === undefined) {
      warnings.push({
        code: 'SERVICES_SECTION_MISSING',
        ...at('services', 'config'),
        message: `Profile ${name}: services = ${services}, but there is no [services ${services}] section; the AWS SDK ignores every endpoint_url of this profile.`,
      });
    }
    const session = p['sso_session'];
    if (session !== undefined && ctx.configData[`sso-session.${session}`] === undefined) {
      warnings.push({
        code: 'SSO_SESSION_MISSING',
        ...at('sso_session', 'credentials'),
        message: `Profile ${name}: sso_session = ${session}, but there is no [sso-session ${session}] section in the config file.`,
      });
    }
  }
  return warnings;
}

/** The line that supplies `key` for profile `name`, looking first in the file whose value wins. */
function settingLocation(
  ctx: Context,
  name: string,
  key: string,
  preferred: ConfigFileKind,
): { file: string; line: number } {
  const prefixedDefault = ctx.configScan?.sections.some(
    (s) => s.key === 'profile.default' && s.keys.length > 0,
  );
  const inConfig = (s: ScannedSection) => {
    if (name === 'default' && prefixedDefault) return s.key === 'profile.default';
    const entry = configEntryFor(s.key);
    return entry?.type === 'profile' && entry.name === name;
  };
  const inCredentials = (s: ScannedSection) => s.key === name;
  const order: [ScannedFile | undefined, (s: ScannedSection) => boolean][] =
    preferred === 'credentials'
      ? [
          [ctx.credentialsScan, inCredentials],
          [ctx.configScan, inConfig],
        ]
      : [
          [ctx.configScan, inConfig],
          [ctx.credentialsScan, inCredentials],
        ];
  for (const [scan, belongs] of order) {
    if (!scan) continue;
    const section = lastSection(scan, (s) => belongs(s) && s.keys.some((k) => k.name === key));
    const line = section?.keys.filter((k) => k.name === key).at(-1)?.line;
    if (line !== undefined) return { file: scan.file, line };
  }
  return { file: ctx.paths.configFile, line: 1 };
}

function lastSection(
  scan: ScannedFile | undefined,
  predicate: (s: ScannedSection) => boolean,
): ScannedSection | undefined {
  return scan?.sections.filter(predicate).at(-1);
}
