/**
 * The ready-to-paste markdown table of the scale bench (bench/results/summary-<N>.md): every stage with its
 * wall, bound, ratio and peak RSS, plus the UI bench's figures when bench/results/ui.json is from the same size.
 * Built only from the results of the run; nothing here is typed in by hand.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProxyStats } from './proxy-host-types.js';
import type { MachineInfo } from './results.js';
import { RESULTS_DIR, round } from './results.js';

/** What the bench measures around one AWS-bound stage (the proxy's counters, reset before it). */
export interface StageMeasure {
  wallMs: number;
  calls: number;
  byOperation: Record<string, number>;
  motoBusyMs: number;
  motoMsPerCall: number;
  /** R: a call's mean time at moto, its own service plus waiting for moto to finish the calls ahead of it. */
  motoResponseMsPerCall: number;
  peakRssMiB: number;
}

/** A stage's AWS figures from the proxy chain's counters: calls by operation, and moto's busy time, S and R. */
export function emulatorFigures(
  stats: ProxyStats,
): Pick<StageMeasure, 'calls' | 'byOperation' | 'motoBusyMs' | 'motoMsPerCall' | 'motoResponseMsPerCall'> {
  const perCall = (ms: number): number => round(ms / Math.max(1, stats.emulator.calls), 2);
  return {
    calls: stats.total,
    byOperation: stats.byOperation,
    motoBusyMs: Math.round(stats.emulator.busyMs),
    motoMsPerCall: perCall(stats.emulator.busyMs),
    motoResponseMsPerCall: perCall(stats.emulator.sumMs),
  };
}

export interface ScaleStage {
  name: string;
  detail: string;
  wallMs: number;
  calls?: number;
  byOperation?: Record<string, number>;
  motoBusyMs?: number;
  motoMsPerCall?: number;
  motoResponseMsPerCall?: number;
  peakRssMiB?: number;
  latencyBoundMs?: number;
  emulatorAwareBoundMs?: number;
  boundedBy?: 'moto busy' | 'chain with R';
  ratioVsLatencyBound?: number;
  ratio?: number;
  /** CLI stages: (wall − the CLI's measured start) / bound. */
  ratioLessCliStart?: number;
  target?: number;
  targetMs?: number;
  met?: boolean;
  formula?: string;
}

export interface ScaleResult {
  date: string;
  machine: MachineInfo;
  accounts: number;
  ous: number;
  seedMs: number;
  totalMs: number;
  cliPeakRssMiB: number;
  stages: ScaleStage[];
}

interface UiResult {
  accountsTable: { accounts: number; filterToOneRowMs: number; clearFilterMs: number; sortByNameMs: number };
  deployTable: { rows: number; longestFrameMs: number; framesOver50ms: number; frames: number };
  healthTable: {
    connections: number;
    filterToOneRowMs: number;
    clearFilterMs: number;
    sortByAccountMs: number;
    liveUpdates: { longestFrameMs: number; framesOver50ms: number; frames: number };
  };
  coldStart: { firstRenderMsMedian: number };
  jsHeap?: { peakUsedMiB: number; retainedMiB: number };
  machine: MachineInfo;
  chromium: string;
  date: string;
}

const s = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
const verdict = (met: boolean | undefined): string => (met === undefined ? '' : met ? 'met' : '**missed**');

function uiRows(ui: UiResult): string[] {
  const a = ui.accountsTable;
  const h = ui.healthTable;
  const worst = Math.max(a.filterToOneRowMs, a.clearFilterMs, a.sortByNameMs);
  const worstHealth = Math.max(h.filterToOneRowMs, h.clearFilterMs, h.sortByAccountMs);
  const frame = (f: { longestFrameMs: number; framesOver50ms: number; frames: number }): string =>
    `${f.longestFrameMs} ms (${f.framesOver50ms} of ${f.frames} frames > 50 ms)`;
  return [
    '',
    `UI (${a.accounts} accounts, ${ui.chromium}, ${ui.date}):`,
    '',
    '| measure | result | target | ratio | |',
    '|---|---:|---:|---:|---|',
    `| checklist filter / clear / sort | ${a.filterToOneRowMs} / ${a.clearFilterMs} / ${a.sortByNameMs} ms | < 100 ms | ${(worst / 100).toFixed(2)} | ${verdict(worst < 100)} |`,
    `| Health table filter / clear / sort | ${h.filterToOneRowMs} / ${h.clearFilterMs} / ${h.sortByAccountMs} ms | < 100 ms | ${(worstHealth / 100).toFixed(2)} | ${verdict(worstHealth < 100)} |`,
    `| Deploy table (${ui.deployTable.rows} rows) under 100 updates/s: longest frame | ${frame(ui.deployTable)} | ≤ 50 ms | ${(ui.deployTable.longestFrameMs / 50).toFixed(2)} | ${verdict(ui.deployTable.longestFrameMs <= 50)} |`,
    `| Health table (${h.connections} rows) under 100 updates/s: longest frame | ${frame(h.liveUpdates)} | ≤ 50 ms | ${(h.liveUpdates.longestFrameMs / 50).toFixed(2)} | ${verdict(h.liveUpdates.longestFrameMs <= 50)} |`,
    `| cold start to interactive (median of 5) | ${ui.coldStart.firstRenderMsMedian} ms | < 1.5 s | ${(ui.coldStart.firstRenderMsMedian / 1500).toFixed(2)} | ${verdict(ui.coldStart.firstRenderMsMedian < 1500)} |`,
    ...(ui.jsHeap
      ? [
          `| renderer JS heap: peak used / live after GC | ${ui.jsHeap.peakUsedMiB} / ${ui.jsHeap.retainedMiB} MiB | — | | |`,
        ]
      : []),
  ];
}

export function scaleSummaryMarkdown(result: ScaleResult, ui?: UiResult): string {
  const m = result.machine;
  const lines = [
    `### ${result.accounts.toLocaleString('en-US')} accounts — ${result.date.slice(0, 10)}`,
    '',
    `Machine: ${m.nproc} vCPU ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.platform}, Node ${m.node}, load ${m.loadAverage1m} at the end. ` +
      `${result.accounts} accounts in ${result.ous} OUs; seeding moto ${s(result.seedMs)} (outside every figure); ` +
      `the whole scale bench ${s(result.totalMs)}.`,
    '',
    '| stage | what | wall | latency bound (ratio) | moto busy (S; R ms/call) | **wall / bound** | target | CLI peak RSS |',
    '|---|---|---:|---:|---:|---:|---|---:|',
  ];
  for (const stage of result.stages) {
    const aws = stage.emulatorAwareBoundMs !== undefined;
    lines.push(
      `| ${stage.name} | ${stage.detail} | ${aws ? s(stage.wallMs) : `${stage.wallMs} ms`} | ` +
        `${aws ? `${s(stage.latencyBoundMs)} (${stage.ratioVsLatencyBound})` : '—'} | ` +
        `${aws ? `${s(stage.motoBusyMs)} (${stage.motoMsPerCall}; ${stage.motoResponseMsPerCall})` : '—'} | ` +
        `${stage.ratio === undefined ? '—' : `**${stage.ratio}**${aws ? ` (bound: ${stage.boundedBy}${stage.ratioLessCliStart === undefined ? '' : `; ${stage.ratioLessCliStart} without the CLI's start`})` : ''}`} | ` +
        `${stage.target !== undefined ? `≤ ${stage.target}` : stage.targetMs !== undefined ? `< ${stage.targetMs} ms` : '—'} ${verdict(stage.met)} | ` +
        `${stage.peakRssMiB === undefined ? '—' : `${stage.peakRssMiB} MiB`} |`,
    );
  }
  lines.push(
    '',
    `CLI peak RSS over every stage: ${result.cliPeakRssMiB} MiB (target < 1,024 MiB: ${verdict(result.cliPeakRssMiB < 1024)}).`,
  );
  if (ui) lines.push(...uiRows(ui));
  return `${lines.join('\n')}\n`;
}

export function writeScaleSummary(result: ScaleResult): string {
  const uiFile = path.join(RESULTS_DIR, 'ui.json');
  const ui = existsSync(uiFile) ? (JSON.parse(readFileSync(uiFile, 'utf8')) as UiResult) : undefined;
  const sameSize = ui && ui.accountsTable.accounts === result.accounts ? ui : undefined;
  const file = path.join(RESULTS_DIR, `summary-${result.accounts}.md`);
  writeFileSync(file, scaleSummaryMarkdown(result, sameSize));
  return file;
}
