/**
 * Runs the real `orgconnect` executable and hands each complete stdout line to the test as it arrives, so a
 * test can act mid-run (switch faults on once the run starts, `kill -9` at a chosen point).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { assertBuilt, ORGCONNECT_BIN } from './run-cli.js';

export interface StreamedRun {
  child: ChildProcess;
  /** Resolves when the process has exited (by itself or killed). */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function streamOrgconnect(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string, child: ChildProcess) => void,
  timeoutMs = 240_000,
): StreamedRun {
  assertBuilt();
  const child = spawn(process.execPath, [ORGCONNECT_BIN, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.length > 0) onLine(line, child);
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}
