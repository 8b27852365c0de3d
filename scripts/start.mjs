#!/usr/bin/env node
// `npm start`, the one command on a fresh clone: installs what is missing (`npm ci`, Electron's binary), builds,
// then opens orgconnect — the desktop app where Electron's binary is there and a display to show it on, otherwise
// the same UI in your browser through `orgconnect serve --open` (127.0.0.1 only, per-launch token).
// On a Node older than 22 it runs itself on the project's Node 24 (scripts/project-node.mjs).
// Extra arguments go to the app/serve (e.g. `npm start -- --port 8443`).
import { spawnSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies, ensureElectronBinary } from './install-missing.mjs';
import { runOnSupportedNode } from './project-node.mjs';

await runOnSupportedNode(import.meta.url);

const root = fileURLToPath(new URL('..', import.meta.url));
const extra = process.argv.slice(2);

function step(label, command, args) {
  process.stderr.write(`== ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

ensureDependencies();
step('build (TypeScript)', 'npx', ['tsc', '-b']);
step('build (renderer)', 'npx', ['vite', 'build', '--logLevel', 'warn']);

const electron = ensureElectronBinary();
let child;
if (electron && hasDisplay()) {
  child = spawn(electron, [root, ...extra], { cwd: root, stdio: 'inherit' });
} else {
  process.stderr.write(
    electron
      ? 'No display to open the desktop window on; opening orgconnect in your browser instead.\n'
      : 'Opening orgconnect in your browser instead of the desktop window.\n',
  );
  child = spawn(process.execPath, [path.join(root, 'bin/orgconnect.js'), 'serve', '--open', ...extra], {
    cwd: root,
    stdio: 'inherit',
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
