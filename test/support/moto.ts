/**
 * Starts a real moto server (the AWS emulator) on a free 127.0.0.1 port for one test file.
 * The venv is created by `.ci/run` / `scripts/test.mjs`; a missing venv is an error, never a skip, because
 * the integration tier is the point of the suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface MotoServer {
  url: string;
  port: number;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * moto's server with the fidelity layer (test/moto_fidelity) installed, so CloudFormation builds IAM roles as AWS
 * does. MOTO_PYTHON may name another interpreter with moto installed.
 */
export function motoServerCommand(): { command: string; args: string[] } {
  const python = process.env['MOTO_PYTHON'] ?? path.resolve(import.meta.dirname, '../../.venv/bin/python');
  if (!existsSync(python)) {
    throw new Error(
      `moto's Python not found at ${python}; run "npm test" (it creates the venv) or scripts/setup-moto.sh`,
    );
  }
  return { command: python, args: [path.resolve(import.meta.dirname, '../moto_fidelity/server.py')] };
}

export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const server = motoServerCommand();
  const child: ChildProcess = spawn(server.command, [...server.args, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      MOTO_ALLOW_NONEXISTENT_REGION: 'true',
      // Tests that count requests use moto's recorder; keep its file out of the work tree.
      MOTO_RECORDER_FILEPATH: path.join(mkdtempSync(path.join(tmpdir(), 'moto-')), 'recording'),
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto server exited early: ${stderr}`);
    try {
      const response = await fetch(`${url}/moto-api/data.json`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto server did not start within 30 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    async reset() {
      await fetch(`${url}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}
