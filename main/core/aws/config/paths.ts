/**
 * Where the AWS CLI v2 / SDK v3 look for the shared files, computed from an injected environment so tests
 * (and a host that wants to point at another home) never touch the real ~/.aws.
 * Mirrors @smithy/shared-ini-file-loader's getHomeDir / getConfigFilepath / getCredentialsFilepath / getProfileName.
 */
import { homedir } from 'node:os';
import path from 'node:path';

export const DEFAULT_PROFILE = 'default';

export interface AwsConfigPaths {
  configFile: string;
  credentialsFile: string;
}

export function awsHomeDir(env: NodeJS.ProcessEnv): string {
  const { HOME, USERPROFILE, HOMEPATH, HOMEDRIVE = `C:${path.sep}` } = env;
  if (HOME) return HOME;
  if (USERPROFILE) return USERPROFILE;
  if (HOMEPATH) return `${HOMEDRIVE}${HOMEPATH}`;
  return homedir();
}

// The SDK expands a leading "~/" in either path (loadSharedConfigFiles); the CLI expands "~" too.
function expandHome(file: string, env: NodeJS.ProcessEnv): string {
  return file.startsWith('~/') ? path.join(awsHomeDir(env), file.slice(2)) : file;
}

export function awsConfigPaths(env: NodeJS.ProcessEnv = process.env): AwsConfigPaths {
  const home = awsHomeDir(env);
  return {
    configFile: expandHome(env['AWS_CONFIG_FILE'] || path.join(home, '.aws', 'config'), env),
    credentialsFile: expandHome(
      env['AWS_SHARED_CREDENTIALS_FILE'] || path.join(home, '.aws', 'credentials'),
      env,
    ),
  };
}

export function selectedProfileName(env: NodeJS.ProcessEnv = process.env): string {
  return env['AWS_PROFILE'] || DEFAULT_PROFILE;
}
