#!/usr/bin/env node
// `npm start`: build, then open orgconnect — the desktop app where Electron's binary is installed, otherwise the
// same UI in your browser through `orgconnect serve --open` (127.0.0.1 only, per-launch token).
// Extra arguments go to the app/serve (e.g. `npm start -- --port 8443`).
import { spawnSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const extra = process.argv.slice(2);

function step(label, command, args) {
  process.stderr.write(`== ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function electronBinary() {
  try {
    // The electron package exports the path of its binary, and throws when the binary was never downloaded.
    return createRequire(import.meta.url)('electron');
  } catch {
    return undefined;
  }
}

step('build (TypeScript)', 'npx', ['tsc', '-b']);
step('build (renderer)', 'npx', ['vite', 'build', '--logLevel', 'warn']);

const electron = electronBinary();
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const child = electron
  ? spawn(electron, [root, ...extra], { cwd: root, stdio: 'inherit', env })
  : (process.stderr.write('Electron is not installed here; opening orgconnect in your browser instead.\n'),
    spawn(process.execPath, [path.join(root, 'bin/orgconnect.js'), 'serve', '--open', ...extra], {
      cwd: root,
      stdio: 'inherit',
      env,
    }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
