/** A Resource connection as the Health checks' unit tests see it (its External ID is only ever hashed). */
import { createHash } from 'node:crypto';
import type { Connection } from '../../main/core/health/index.js';

export const TEST_EXTERNAL_ID = 'ext-id-for-unit-tests-9f3a';

export const resourceConnection: Connection = {
  managementAccountId: '111122223333',
  accountId: '444455556666',
  accountName: 'payments-prod',
  ouPath: 'Root/Workloads',
  kind: 'resource',
  connectionName: 'payments-prod',
  stackName: 'orgconnect-resource',
  region: 'us-east-1',
  roleName: 'orgconnect-platform-resource',
  rolePath: '/',
  platformAccountId: '061190967865',
  externalIdSha256: createHash('sha256').update(TEST_EXTERNAL_ID).digest('hex'),
  externalIdLast4: '9f3a',
};
