/** The messages between a benchmark and its proxy-host child (see proxy-host.ts). */
export interface ProxyHostConfig {
  motoUrl: string;
  /** How long a new stack stays CREATE_IN_PROGRESS (0: moto's instant completion). */
  stackMs: number;
  /** Injected before forwarding: one figure for every call, or per operation name. */
  latencyMs: number | Record<string, number>;
}

export type ProxyHostMessage = { type: 'stats' } | { type: 'reset' } | { type: 'stop' };

export interface ProxyStats {
  /** Requests that went through the fault proxy since the last reset, by operation. */
  byOperation: Record<string, number>;
  total: number;
  /** Stacks the in-progress proxy saw created, and DescribeStacks answers it rewrote (since start). */
  created: number;
  rewritten: number;
  /** moto's own time since the last reset: Σ round trips to it, and the time ≥ 1 call was at it. */
  emulator: { calls: number; sumMs: number; busyMs: number };
}

export type ProxyHostReply =
  { type: 'ready'; url: string } | ({ type: 'stats' } & ProxyStats) | { type: 'reset' };
