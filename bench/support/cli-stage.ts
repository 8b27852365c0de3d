/**
 * Runs the real `orgconnect` CLI (bin/orgconnect.js over dist/) for one bench stage: wall time, exit code, output,
 * and the process's peak RSS (bench/support/peak-rss.mjs, preloaded, reports getrusage's ru_maxrss at exit).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertBuilt, ORGCONNECT_BIN } from '../../test/support/run-cli.js';

export interface CliStageResult {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  peakRssMiB: number;
}

const PEAK_RSS_PRELOAD = path.join(import.meta.dirname, 'peak-rss.mjs');

export async function runCliStage(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliStageResult> {
  assertBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'orgconnect-bench-rss-'));
  const rssFile = path.join(dir, 'peak-rss');
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ['--import', PEAK_RSS_PRELOAD, ORGCONNECT_BIN, ...args], {
        env: { ...env, BENCH_PEAK_RSS_FILE: rssFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', reject);
      child.on('close', (exit) =>
        resolve({
          code: exit ?? -1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
    },
  );
  const wallMs = performance.now() - started;
  let peakRssKiB = 0;
  try {
    peakRssKiB = Number(readFileSync(rssFile, 'utf8'));
  } catch {
    // The CLI died before its exit handler ran; the stage reports the exit code.
  }
  rmSync(dir, { recursive: true, force: true });
  return { code, stdout, stderr, wallMs, peakRssMiB: Math.round(peakRssKiB / 1024) };
}
