/**
 * A small hand-made SVG line chart (no plotting dependency): deploy wall time against concurrency, one line per
 * (accounts, polling) series, with the bound drawn dashed. Reads results/deploy-throughput.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR } from './support/results.js';

interface Run {
  accounts: number;
  concurrency: number;
  poll: string;
  wallMs: number;
  boundMs: number;
  ratio: number;
}

const COLORS = ['#0972d3', '#d91515', '#037f0c', '#8d6605', '#7d2105', '#5f6b7a'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function deployPlotSvg(runs: readonly Run[]): string {
  const width = 720;
  const height = 420;
  const m = { left: 70, right: 250, top: 40, bottom: 50 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const concurrencies = [...new Set(runs.map((r) => r.concurrency))].sort((a, b) => a - b);
  // log2 x axis: 1, 8, 32 spread evenly enough to read.
  const lx = (c: number): number => Math.log2(c);
  const xMax = Math.max(1, ...concurrencies.map(lx));
  const yMax = Math.max(...runs.map((r) => Math.max(r.wallMs, r.boundMs))) / 1000;
  const niceMax = Math.ceil(yMax / 10) * 10 || 10;
  const x = (c: number): number => m.left + (lx(c) / xMax) * plotW;
  const y = (seconds: number): number => m.top + plotH - (seconds / niceMax) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${m.left}" y="22" font-size="14" font-weight="bold">Deploy wall time vs concurrency (solid: measured, dashed: bound)</text>`,
    `<line x1="${m.left}" y1="${m.top + plotH}" x2="${m.left + plotW}" y2="${m.top + plotH}" stroke="#333"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + plotH}" stroke="#333"/>`,
    `<text x="${m.left + plotW / 2}" y="${height - 12}" text-anchor="middle">concurrency (log scale)</text>`,
    `<text x="18" y="${m.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 18 ${m.top + plotH / 2})">wall time (s)</text>`,
  ];
  for (const c of concurrencies) {
    parts.push(
      `<line x1="${x(c)}" y1="${m.top + plotH}" x2="${x(c)}" y2="${m.top + plotH + 5}" stroke="#333"/>`,
    );
    parts.push(`<text x="${x(c)}" y="${m.top + plotH + 18}" text-anchor="middle">${c}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const v = (niceMax / 5) * i;
    parts.push(`<line x1="${m.left - 5}" y1="${y(v)}" x2="${m.left + plotW}" y2="${y(v)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.left - 8}" y="${y(v) + 4}" text-anchor="end">${Math.round(v)}</text>`);
  }
  const series = new Map<string, Run[]>();
  for (const run of runs) {
    const key = `N=${run.accounts}, ${run.poll} polling`;
    series.set(key, [...(series.get(key) ?? []), run]);
  }
  [...series.entries()].forEach(([label, points], i) => {
    const color = COLORS[i % COLORS.length] ?? '#333';
    const sorted = [...points].sort((a, b) => a.concurrency - b.concurrency);
    const line = (pick: (r: Run) => number): string =>
      sorted.map((r) => `${x(r.concurrency).toFixed(1)},${y(pick(r) / 1000).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${line((r) => r.wallMs)}"/>`,
    );
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="1" stroke-dasharray="4 3" points="${line((r) => r.boundMs)}"/>`,
    );
    for (const r of sorted) {
      parts.push(
        `<circle cx="${x(r.concurrency).toFixed(1)}" cy="${y(r.wallMs / 1000).toFixed(1)}" r="3.5" fill="${color}"/>`,
      );
      parts.push(
        `<text x="${(x(r.concurrency) + 6).toFixed(1)}" y="${(y(r.wallMs / 1000) - 6).toFixed(1)}" fill="${color}" font-size="10">×${r.ratio}</text>`,
      );
    }
    const ly = m.top + 10 + i * 18;
    parts.push(
      `<line x1="${width - m.right + 20}" y1="${ly - 4}" x2="${width - m.right + 40}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${width - m.right + 46}" y="${ly}">${escapeXml(label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export function writeDeployPlot(): string {
  const data = JSON.parse(readFileSync(path.join(RESULTS_DIR, 'deploy-throughput.json'), 'utf8')) as {
    runs: Run[];
  };
  const file = path.join(RESULTS_DIR, 'deploy-wall-vs-concurrency.svg');
  writeFileSync(file, deployPlotSvg(data.runs));
  return file;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`  → ${path.relative(process.cwd(), writeDeployPlot())}`);
}
