// Reading the user's local AWS configuration exactly as the AWS CLI v2 / SDK v3 read it.
export { loadLocalAwsConfig, type LoadLocalAwsConfigOptions } from './load-local-aws-config.js';
export { credentialProviderFor, type CredentialProviderOptions } from './credential-provider.js';
export { resolveClientConfig, type ResolvedClientConfig } from './resolve-client-config.js';
export { watchAwsConfig, type WatchAwsConfigOptions } from './watch-aws-config.js';
export { awsConfigPaths, selectedProfileName, DEFAULT_PROFILE, type AwsConfigPaths } from './paths.js';
export {
  FALLBACK_REGION,
  serviceEnvName,
  serviceConfigKey,
  type AwsServiceId,
  type EndpointSource,
  type RegionSource,
} from './endpoint-resolution.js';
export type {
  ConfigFileKind,
  ConfigWarning,
  ConfigWarningCode,
  LocalAwsConfig,
  ProfileKind,
  ProfileSummary,
  SsoSessionSummary,
} from './types.js';
