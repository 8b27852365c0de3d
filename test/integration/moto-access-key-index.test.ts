// The fidelity layer's access-key index (test/moto_fidelity/access_key_index.py): moto finds each request's account
// by scanning every account's IAM backend, so its cost grows with the Organization; the index answers the same
// question in constant time. These check it gives the answers moto's scan gives, through the SDK.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../support/moto.js';

const REGION = 'us-east-1';
const STATIC = { accessKeyId: 'AKIAINDEXTEST', secretAccessKey: 'index' };
const MOTO_DEFAULT_ACCOUNT = '123456789012';

describe('moto fidelity layer: which account an access key belongs to', () => {
  let moto: MotoServer;
  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto?.stop();
  });

  const sts = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new STSClient({ region: REGION, endpoint: moto.url, credentials });
  const accountOf = async (credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  }) => (await sts(credentials).send(new GetCallerIdentityCommand({}))).Account;
  async function assumeInto(accountId: string) {
    const out = await sts(STATIC).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/Access`, RoleSessionName: 'index' }),
    );
    const c = out.Credentials!;
    return {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
  }

  test('assumed-role keys act in the account of the role, for each of many accounts', async () => {
    const accounts = Array.from({ length: 40 }, (_, i) => String(300000000000 + i * 7919));
    const keys = await Promise.all(accounts.map((id) => assumeInto(id)));
    const seen = await Promise.all(keys.map((key) => accountOf(key)));
    assert.deepEqual(seen, accounts);
  });

  test('a key no backend holds acts in moto default account, as moto scan answers', async () => {
    assert.equal(await accountOf(STATIC), MOTO_DEFAULT_ACCOUNT);
  });

  test('an IAM user key acts in its account while it exists, and not after DeleteAccessKey', async () => {
    const member = '444455556666';
    const iam = new IAMClient({ region: REGION, endpoint: moto.url, credentials: await assumeInto(member) });
    await iam.send(new CreateUserCommand({ UserName: 'indexed' }));
    const created = (await iam.send(new CreateAccessKeyCommand({ UserName: 'indexed' }))).AccessKey!;
    const userKey = { accessKeyId: created.AccessKeyId!, secretAccessKey: created.SecretAccessKey! };
    assert.equal(await accountOf(userKey), member);
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'indexed', AccessKeyId: created.AccessKeyId! }));
    assert.equal(await accountOf(userKey), MOTO_DEFAULT_ACCOUNT);
  });

  test('after a moto reset, a key from before acts in the default account (the index holds no stale answer)', async () => {
    const key = await assumeInto('777788889999');
    assert.equal(await accountOf(key), '777788889999');
    await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
    assert.equal(await accountOf(key), MOTO_DEFAULT_ACCOUNT);
  });
});
