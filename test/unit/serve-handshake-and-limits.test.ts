// The browser host's handshake token parsing and its per-connection budgets, as pure functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenBucket } from '../../main/serve/connection-limits.js';
import { handshakeProtocols, tokenFromProtocolHeader, WS_PROTOCOL } from '../../preload/ws-handshake.js';

test('the token is read from our subprotocol offer only when it is unambiguous', () => {
  const offer = handshakeProtocols('tok_en-1').join(', ');
  assert.equal(offer, `${WS_PROTOCOL}, orgconnect.token.tok_en-1`);
  assert.equal(tokenFromProtocolHeader(offer), 'tok_en-1');
  assert.equal(tokenFromProtocolHeader('orgconnect.token.tok_en-1'), undefined, 'without our protocol');
  assert.equal(tokenFromProtocolHeader(`${WS_PROTOCOL}`), undefined);
  assert.equal(tokenFromProtocolHeader(`${offer}, orgconnect.token.other`), undefined, 'two tokens');
  assert.equal(tokenFromProtocolHeader(undefined), undefined);
  assert.equal(tokenFromProtocolHeader(`${WS_PROTOCOL}, orgconnect.token.${'a'.repeat(2000)}`), undefined);
});

test('a token bucket allows its burst, then only its rate', () => {
  let now = 0;
  const bucket = tokenBucket(3, 2, () => now);
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  now += 500; // half a second refills one
  assert.deepEqual([bucket.take(), bucket.take()], [true, false]);
  now += 10_000; // never more than the burst
  assert.deepEqual([bucket.take(3), bucket.take()], [true, false]);
  assert.equal(tokenBucket(10, 1, () => now).take(11), false, 'one message bigger than the burst');
});
