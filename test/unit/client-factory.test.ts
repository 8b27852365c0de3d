// The client factory's cache (issue 18): one client per account + service + region, so the SDK's adaptive retry
// limits each account as AWS throttles it, but bounded, so a 10,000-account run does not keep 30,000 clients.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_CACHE_LIMIT, createClientFactory } from '../../main/core/aws/client-factory.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';

const { env } = writeTestAwsConfig('http://127.0.0.1:9');

describe('client factory cache', () => {
  test('the same account, service and region get the same client; another region or service a new one', async () => {
    const factory = await createClientFactory('emulator', { env });
    const cfn = factory.client('CloudFormation', { accountKey: '111111111111' });
    assert.equal(factory.client('CloudFormation', { accountKey: '111111111111' }), cfn);
    assert.notEqual(factory.client('CloudFormation', { accountKey: '111111111111', region: 'eu-west-1' }), cfn);
    assert.notEqual(factory.client('IAM', { accountKey: '111111111111' }), cfn);
  });

  test('keeps the most recently used clients and drops the least recently used one', async () => {
    const factory = await createClientFactory('emulator', { env, clientCacheLimit: 3 });
    const of = (account: string) => factory.client('IAM', { accountKey: account });
    const [a, b, c] = [of('a'), of('b'), of('c')];
    assert.equal(of('a'), a); // a is now the most recently used; b the least
    of('d');
    assert.equal(of('a'), a);
    assert.equal(of('c'), c);
    assert.notEqual(of('b'), b, 'b was dropped and is built again');
  });

  test(`holds at most ${CLIENT_CACHE_LIMIT} clients by default, however many accounts are reached`, async () => {
    const factory = await createClientFactory('emulator', { env });
    const accounts = Array.from({ length: CLIENT_CACHE_LIMIT + 500 }, (_, i) => String(200000000000 + i));
    const clients = accounts.map((accountKey) => factory.client('STS', { accountKey }));
    const last = accounts.length - 1;
    assert.equal(factory.client('STS', { accountKey: accounts[last] }), clients[last]);
    assert.equal(
      factory.client('STS', { accountKey: accounts[last - CLIENT_CACHE_LIMIT + 2] }),
      clients[last - CLIENT_CACHE_LIMIT + 2],
    );
    assert.notEqual(factory.client('STS', { accountKey: accounts[0] }), clients[0]);
  });
});
