/**
 * The public shapes of the local AWS configuration. Summaries never carry secret values (keys, session tokens)
 * nor the External ID itself: they go to the UI, to logs and to JSON output.
 */

export type ProfileKind =
  'static' | 'assume-role' | 'credential-process' | 'web-identity' | 'sso' | 'sso-legacy' | 'unknown';

export type ConfigFileKind = 'config' | 'credentials';

export interface ProfileSummary {
  name: string;
  kind: ProfileKind;
  region?: string;
  definedIn: ConfigFileKind[];
  sourceProfile?: string;
  credentialSource?: string;
  roleArn?: string;
  hasExternalId: boolean;
  mfaSerial?: string;
  durationSeconds?: number;
  credentialProcess: boolean;
  webIdentityTokenFile?: string;
  ssoSession?: string;
  ssoStartUrl?: string;
  ssoRegion?: string;
  ssoAccountId?: string;
  ssoRoleName?: string;
  endpointUrl?: string;
  servicesSection?: string;
}

export interface SsoSessionSummary {
  name: string;
  startUrl: string;
  region: string;
  registrationScopes?: string[];
}

export type ConfigWarningCode =
  | 'INVALID_SECTION_NAME'
  | 'UNKNOWN_SECTION'
  | 'PROFILE_PREFIX_IN_CREDENTIALS'
  | 'DEFAULT_PROFILE_CONFLICT'
  | 'SERVICES_SECTION_MISSING'
  | 'SSO_SESSION_MISSING'
  | 'SSO_SESSION_INCOMPLETE'
  | 'SOURCE_PROFILE_MISSING'
  | 'ROLE_SOURCE_CONFLICT';

export interface ConfigWarning {
  code: ConfigWarningCode;
  file: string;
  /** 1-based line in `file`. */
  line: number;
  message: string;
}

export interface LocalAwsConfig {
  configFile: string;
  credentialsFile: string;
  selectedProfile: string;
  profiles: ProfileSummary[];
  ssoSessions: SsoSessionSummary[];
  warnings: ConfigWarning[];
}
