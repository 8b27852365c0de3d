import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startMoto } from '../support/moto.js';

test('moto server answers STS through endpoint_url', async () => {
  const moto = await startMoto();
  try {
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.match(identity.Account ?? '', /^\d{12}$/);
  } finally {
    await moto.stop();
  }
});
