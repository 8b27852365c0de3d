// The monitor's own behaviour with checks that need no AWS: concurrency limit, change events (also across a
// restart, through the history files), bounded history, and interval rounds driven by injected timers.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  createHealthHistory,
  createHealthMonitor,
  historyFile,
  result,
  type CheckStatus,
  type Connection,
  type HealthCheck,
  type HealthEvent,
  type HealthMonitorOptions,
} from '../../main/core/health/index.js';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'orgconnect-health-unit-'));
  dirs.push(dir);
  return dir;
}

const connection = (i: number): Connection => ({
  managementAccountId: '111122223333',
  accountId: String(100000000000 + i),
  accountName: `a${i}`,
  ouPath: 'Root',
  kind: 'resource',
  connectionName: `a${i}`,
  stackName: 's',
  region: 'us-east-1',
  roleName: 'r',
  rolePath: '/',
  platformAccountId: '061190967865',
  externalIdSha256: '0'.repeat(64),
  externalIdLast4: 'abcd',
});

function options(
  dataDir: string,
  check: HealthCheck,
  extra: Partial<HealthMonitorOptions> = {},
): HealthMonitorOptions {
  return {
    dataDir,
    checks: [check],
    credentialsFor: async () => {
      throw new Error('no AWS in this test');
    },
    clientFor: (() => {
      throw new Error('no AWS in this test');
    }) as never,
    ...extra,
  };
}

describe('health monitor', () => {
  test('runs at most `concurrency` connections at once and returns results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow: HealthCheck = {
      id: 'account-active',
      needsAws: false,
      async run({ connection: c }) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return result('account-active', 'pass', c.accountId);
      },
    };
    const monitor = createHealthMonitor(options(await tempDir(), slow, { concurrency: 2 }));
    const list = Array.from({ length: 7 }, (_, i) => connection(i));
    const results = await monitor.checkNow(list);
    assert.equal(peak, 2);
    assert.deepEqual(
      results.map((r) => r.checks[0]?.summary),
      list.map((c) => c.accountId),
    );
  });

  test('emits health-changed only when a status changes, also after a restart; a failing AWS login is unknown', async () => {
    const dataDir = await tempDir();
    let status: CheckStatus = 'pass';
    const controlled: HealthCheck = {
      id: 'account-active',
      needsAws: false,
      run: async () => result('account-active', status, `now ${Date.now()}`),
    };
    const events: HealthEvent[] = [];
    const checked: boolean[] = [];
    const first = createHealthMonitor(
      options(dataDir, controlled, {
        onEvent: (e) => events.push(e),
        onChecked: (_current, changed) => checked.push(changed),
      }),
    );
    await first.checkNow([connection(1)]);
    await first.checkNow([connection(1)]);
    assert.equal(
      events.length,
      1,
      'the first result is a change; an identical second one (other summary) is not',
    );
    assert.equal(events[0]?.previous, undefined);
    assert.deepEqual(checked, [true, false], 'every result is reported, with whether it changed');

    status = 'fail';
    const restarted = createHealthMonitor(options(dataDir, controlled, { onEvent: (e) => events.push(e) }));
    await restarted.checkNow([connection(1)]);
    assert.equal(events.length, 2);
    assert.equal(events[1]?.previous?.overall, 'healthy');
    assert.equal(events[1]?.current.overall, 'unhealthy');

    const aws: HealthCheck = {
      id: 'role-exists',
      needsAws: true,
      run: async () => result('role-exists', 'pass', 'unreachable code'),
    };
    const noLogin = createHealthMonitor(options(dataDir, aws));
    const [health] = await noLogin.checkNow([connection(2)]);
    assert.equal(health?.overall, 'unknown');
    assert.match(health?.checks[0]?.summary ?? '', /Cannot reach account 100000000002: no AWS in this test/);
  });

  test('history keeps the newest N per connection and skips a torn line', async () => {
    const dataDir = await tempDir();
    const history = createHealthHistory(dataDir, 3);
    const key = '100000000001/resource';
    for (let i = 0; i < 5; i++) {
      await history.append({
        connectionKey: key,
        overall: 'healthy',
        checkedAt: new Date(Date.UTC(2025, 0, 1, i)).toISOString(),
        checks: [],
      });
    }
    const file = historyFile(dataDir, key);
    assert.equal(path.basename(file), '100000000001-resource.jsonl');
    assert.equal((await readFile(file, 'utf8')).trim().split('\n').length, 3);
    assert.deepEqual(
      (await history.read(key)).map((h) => h.checkedAt.slice(11, 13)),
      ['02', '03', '04'],
    );
    await writeFile(file, `${await readFile(file, 'utf8')}{"connectionKey":"100000000001/resou`);
    await history.append({
      connectionKey: key,
      overall: 'degraded',
      checkedAt: new Date(Date.UTC(2025, 0, 1, 9)).toISOString(),
      checks: [],
    });
    assert.deepEqual(
      (await history.read(key)).map((h) => h.overall),
      ['healthy', 'healthy', 'degraded'],
    );
    assert.notEqual(historyFile(dataDir, '../../etc/passwd'), path.join(dataDir, 'etc', 'passwd.jsonl'));
    assert.equal(path.dirname(historyFile(dataDir, '../../etc/passwd')), path.join(dataDir, 'health'));
  });

  test('interval rounds run on the injected timer; a tick during a running round is skipped; stop clears it', async () => {
    let callback: (() => void) | undefined;
    let cleared = 0;
    let rounds = 0;
    let release: () => void = () => undefined;
    const gate: HealthCheck = {
      id: 'account-active',
      needsAws: false,
      async run() {
        rounds++;
        await new Promise<void>((resolve) => (release = resolve));
        return result('account-active', 'pass', 'ok');
      },
    };
    const monitor = createHealthMonitor(
      options(await tempDir(), gate, {
        timers: {
          setInterval: (cb) => ((callback = cb), 'handle'),
          clearInterval: (h) => void (h === 'handle' && cleared++),
        },
      }),
    );
    monitor.start(() => [connection(1)], 60_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(rounds, 1, 'start runs a round at once');
    callback?.();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(rounds, 1, 'a tick while a round runs is skipped');
    release();
    await monitor.idle();
    callback?.();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(rounds, 2);
    release();
    await monitor.idle();
    monitor.stop();
    assert.equal(cleared, 1);
    assert.equal(monitor.latest('100000000001/resource')?.overall, 'healthy');
  });

  test('onChecked hears the previous result; onRound hears each interval round once it is done', async () => {
    let status: CheckStatus = 'pass';
    const controlled: HealthCheck = {
      id: 'account-active',
      needsAws: false,
      run: async () => result('account-active', status, 'x'),
    };
    const previous: (string | undefined)[] = [];
    const rounds: string[][] = [];
    let tick: (() => void) | undefined;
    const monitor = createHealthMonitor(
      options(await tempDir(), controlled, {
        onChecked: (_current, _changed, before) => previous.push(before?.overall),
        onRound: (results) => void rounds.push(results.map((r) => r.overall)),
        timers: { setInterval: (cb) => ((tick = cb), 'h'), clearInterval: () => undefined },
      }),
    );
    await monitor.checkNow([connection(1)]);
    assert.deepEqual(rounds, [], 'checkNow is not an interval round');
    status = 'fail';
    monitor.start(() => [connection(1)], 60_000);
    await monitor.idle();
    tick?.();
    await monitor.idle();
    monitor.stop();
    assert.deepEqual(previous, [undefined, 'healthy', 'unhealthy']);
    assert.deepEqual(rounds, [['unhealthy'], ['unhealthy']]);
  });
});
