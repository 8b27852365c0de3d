/**
 * Checks many connections, on demand and on an interval, with a concurrency limit (AWS throttles per account,
 * and every connection is a handful of IAM/CloudFormation calls). Each time a connection's result changes —
 * its overall health or any check's status, not merely a timestamp or a "last used" date — the monitor emits
 * `health-changed`. Results go to the per-connection history (see history.ts); the previous result is read
 * from there after a restart, so a change that happened while the app was closed is still reported.
 */
import pLimit from 'p-limit';
import type { OrganizationSnapshot } from '../org/types.js';
import type { ConnectionHealth } from './check-result.js';
import { connectionKey, type Connection } from './connection.js';
import { createHealthHistory, DEFAULT_HISTORY_LIMIT, type HealthHistory } from './history.js';
import { checkConnection, type ConnectionCheckDeps } from './run-checks.js';

export interface HealthChangedEvent {
  type: 'health-changed';
  connectionKey: string;
  /** Undefined the first time a connection is checked. */
  previous: ConnectionHealth | undefined;
  current: ConnectionHealth;
}
export type HealthEvent = HealthChangedEvent;

export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const systemTimers: IntervalTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface HealthMonitorOptions extends Omit<ConnectionCheckDeps, 'snapshot'> {
  dataDir: string;
  /** The latest Organization discovery (for account-active); read before every round. */
  snapshot?: () => OrganizationSnapshot | undefined | Promise<OrganizationSnapshot | undefined>;
  /** Connections checked at once (default 8). */
  concurrency?: number;
  /** Results kept per connection (default 20). */
  historyLimit?: number;
  onEvent?: (event: HealthEvent) => void;
  /** Every result as it comes, changed or not (a live table keeps its "last checked" times current). */
  onChecked?: (current: ConnectionHealth, changed: boolean, previous?: ConnectionHealth) => void;
  /** After each interval round, with its results (the Organization's daily coverage point is written here). */
  onRound?: (results: ConnectionHealth[]) => void | Promise<void>;
  timers?: IntervalTimers;
}

export interface HealthMonitor {
  /** Checks these connections now; resolves with their results in the same order. */
  checkNow(connections: readonly Connection[]): Promise<ConnectionHealth[]>;
  /** Checks `connections()` every `intervalMs` (a round still running skips the tick). Starts with a round now. */
  start(connections: () => readonly Connection[] | Promise<readonly Connection[]>, intervalMs: number): void;
  stop(): void;
  /** The last result this process saw (or loaded) for a connection. */
  latest(connectionKey: string): ConnectionHealth | undefined;
  history(connectionKey: string): Promise<ConnectionHealth[]>;
  subscribe(listener: (event: HealthEvent) => void): () => void;
  /** Resolves when the round in progress (if any) has finished; for hosts shutting down and for tests. */
  idle(): Promise<void>;
}

/** Two results are "the same" when the overall health and every check's status are. */
export function healthSignature(health: ConnectionHealth): string {
  return [health.overall, ...health.checks.map((check) => `${check.id}:${check.status}`)].join('|');
}

export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const history: HealthHistory = createHealthHistory(
    options.dataDir,
    options.historyLimit ?? DEFAULT_HISTORY_LIMIT,
  );
  const limit = pLimit(options.concurrency ?? 8);
  const timers = options.timers ?? systemTimers;
  const listeners = new Set<(event: HealthEvent) => void>();
  if (options.onEvent) listeners.add(options.onEvent);
  const latest = new Map<string, ConnectionHealth>();
  let handle: unknown;
  let round: Promise<unknown> = Promise.resolve();
  let running = false;

  const emit = (event: HealthEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not stop the monitor or the other listeners.
      }
    }
  };

  const previousOf = async (key: string): Promise<ConnectionHealth | undefined> =>
    latest.get(key) ?? (await history.latest(key).catch(() => undefined));

  const checkNow = async (connections: readonly Connection[]): Promise<ConnectionHealth[]> => {
    const snapshot = await options.snapshot?.();
    return Promise.all(
      connections.map(async (connection) => {
        // The limit is for AWS (it throttles per account and per caller): the history's read and fsynced write
        // below happen outside it, so the next connection's calls start as soon as this one's end.
        const current = await limit(() => checkConnection(connection, { ...options, snapshot }));
        const key = connectionKey(connection);
        const previous = await previousOf(key);
        latest.set(key, current);
        await history.append(current);
        const changed = previous === undefined || healthSignature(previous) !== healthSignature(current);
        if (changed) emit({ type: 'health-changed', connectionKey: key, previous, current });
        try {
          options.onChecked?.(current, changed, previous);
        } catch {
          // As for listeners: a consumer's bug must not stop the round.
        }
        return current;
      }),
    );
  };

  const tick = (connections: () => readonly Connection[] | Promise<readonly Connection[]>): void => {
    if (running) return;
    running = true;
    round = (async () => {
      const results = await checkNow(await connections());
      await options.onRound?.(results);
    })()
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  };

  return {
    checkNow,
    start(connections, intervalMs) {
      if (handle !== undefined) timers.clearInterval(handle);
      tick(connections);
      handle = timers.setInterval(() => tick(connections), intervalMs);
    },
    stop() {
      if (handle !== undefined) timers.clearInterval(handle);
      handle = undefined;
    },
    latest: (key) => latest.get(key),
    history: (key) => history.read(key),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle: () => round.then(() => undefined),
  };
}
