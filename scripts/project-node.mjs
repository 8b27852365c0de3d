#!/usr/bin/env node
// The project's Node.js: the version in .node-version (Node 24 LTS), which CI, the tests, the benches and the CLI
// run on. Where the machine's Node is older, it comes from the npm registry's binary Node packages
// (node-<platform>-<arch>, the ones the `node` package installs; npm checks the tarball's integrity) into a cache
// folder outside the checkout: $ORGCONNECT_NODE_CACHE, else $XDG_CACHE_HOME/orgconnect, else ~/.cache/orgconnect.
//
//   node scripts/project-node.mjs --bin-dir        installs it if needed, prints its bin folder (for PATH)
//   node scripts/project-node.mjs ARGS…            runs `node ARGS…` on Node 22 or later (the project's Node
//                                                  where the machine's is older)
//
// Written for any Node from 18 on: it is what runs before the right Node is there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** package.json's engines floor: Node lines older than this are replaced by the project's Node. */
export const MINIMUM_NODE_MAJOR = 22;

export function projectNodeVersion() {
  return readFileSync(path.join(root, '.node-version'), 'utf8').trim();
}

export function nodeMajor(version = process.versions.node) {
  return Number(version.replace(/^v/, '').split('.')[0]);
}

function cacheRoot() {
  if (process.env.ORGCONNECT_NODE_CACHE) return process.env.ORGCONNECT_NODE_CACHE;
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg ? xdg : path.join(homedir(), '.cache'), 'orgconnect');
}

function registryPackage(version) {
  if (process.platform !== 'linux' && process.platform !== 'darwin') {
    throw new Error(
      `no binary Node package is set up for ${process.platform}: install Node.js ${version} (or any 22+) yourself`,
    );
  }
  return `node-${process.platform}-${process.arch}@${version}`;
}

function installedVersion(binary) {
  if (!existsSync(binary)) return undefined;
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
}

/**
 * The project's Node binary, installed into the cache on first use. Says what it downloads, on stderr.
 * Throws with a one-line reason when it cannot be had.
 */
export function ensureProjectNode() {
  const version = projectNodeVersion();
  const dir = path.join(cacheRoot(), `node-v${version}-${process.platform}-${process.arch}`);
  const binary = path.join(dir, 'bin', 'node');
  if (installedVersion(binary) === version) return { version, binary, binDir: path.dirname(binary) };

  const spec = registryPackage(version);
  process.stderr.write(`== Node.js ${version}: fetching ${spec} from the npm registry into ${dir}\n`);
  mkdirSync(cacheRoot(), { recursive: true });
  const staging = mkdtempSync(path.join(cacheRoot(), '.node-download-'));
  try {
    const pack = spawnSync('npm', ['pack', spec, '--silent', '--pack-destination', staging], {
      cwd: staging,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarball = pack.stdout?.trim().split('\n').pop();
    if (pack.status !== 0 || !tarball) throw new Error(`npm pack ${spec} failed (exit ${pack.status})`);
    const untar = spawnSync('tar', ['-xzf', path.join(staging, tarball), '-C', staging], {
      stdio: 'inherit',
    });
    if (untar.status !== 0) throw new Error(`could not unpack ${tarball} (tar exit ${untar.status})`);
    const unpacked = path.join(staging, 'package');
    const got = installedVersion(path.join(unpacked, 'bin', 'node'));
    if (got !== version)
      throw new Error(`${spec} holds Node ${got ?? 'that does not start'}, not ${version}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { version, binary, binDir: path.dirname(binary) };
}

/** The environment for children of the project's Node: its bin folder first, so `npm`, `npx` and `node` use it. */
export function envWithNode(binDir, env = process.env) {
  return { ...env, PATH: [binDir, env.PATH].filter(Boolean).join(path.delimiter) };
}

/**
 * For the scripts behind `npm test` and `npm start`: on a Node older than the engines floor, runs this same
 * script again under the project's Node (installing it first), passing signals on, and exits with its status
 * (the returned promise then never settles). Resolves at once on a supported Node.
 */
export function runOnSupportedNode(scriptUrl) {
  if (nodeMajor() >= MINIMUM_NODE_MAJOR) return Promise.resolve();
  let node;
  try {
    node = ensureProjectNode();
  } catch (error) {
    process.stderr.write(
      `This is Node ${process.versions.node}; orgconnect needs ${MINIMUM_NODE_MAJOR} or later and could not fetch ` +
        `Node ${projectNodeVersion()}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
  process.stderr.write(
    `== Node ${process.versions.node} is older than ${MINIMUM_NODE_MAJOR}: running on Node ${node.version}\n`,
  );
  const child = spawn(node.binary, [fileURLToPath(scriptUrl), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: envWithNode(node.binDir),
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return new Promise(() => undefined);
}

function main(args) {
  if (args[0] === '--bin-dir') {
    process.stdout.write(`${ensureProjectNode().binDir}\n`);
    return 0;
  }
  const node =
    nodeMajor() >= MINIMUM_NODE_MAJOR
      ? { binary: process.execPath, binDir: path.dirname(process.execPath) }
      : ensureProjectNode();
  const result = spawnSync(node.binary, args, { stdio: 'inherit', env: envWithNode(node.binDir) });
  return result.status ?? 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
