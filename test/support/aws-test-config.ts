/**
 * A throwaway AWS config + credentials pair pointing a profile at the emulator through `endpoint_url`, the way a
 * user would point the AWS CLI at a local endpoint. Nothing here reads the real ~/.aws.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestAwsFiles {
  dir: string;
  env: NodeJS.ProcessEnv;
}

export function writeTestAwsConfig(endpoint: string, extraConfig = ''): TestAwsFiles {
  const dir = mkdtempSync(path.join(tmpdir(), 'orgconnect-aws-'));
  const home = path.join(dir, 'home');
  mkdirSync(home);
  const configFile = path.join(dir, 'config');
  const credentialsFile = path.join(dir, 'credentials');
  writeFileSync(
    configFile,
    [
      '[profile emulator]',
      'region = us-east-1',
      `endpoint_url = ${endpoint}`,
      '',
      '[profile no-such-endpoint]',
      'region = us-east-1',
      'endpoint_url = http://127.0.0.1:9',
      '',
      extraConfig,
    ].join('\n'),
  );
  writeFileSync(
    credentialsFile,
    [
      '[emulator]',
      'aws_access_key_id = testing',
      'aws_secret_access_key = testing',
      '',
      '[no-such-endpoint]',
      'aws_access_key_id = testing',
      'aws_secret_access_key = testing',
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: home,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_EC2_METADATA_DISABLED: 'true',
    // No test may POST to the real platform (and there is no internet here): a test that checks registration
    // deletes this and passes the sandbox platform's URL (test/support/sandbox-platform-server.ts).
    ORGCONNECT_NO_REGISTER: '1',
  };
  return { dir, env };
}
