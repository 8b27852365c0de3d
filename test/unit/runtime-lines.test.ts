// The Node line the project runs on (.node-version: CI, tests, benches, the CLI) is the one inside the Electron it
// ships, and the type definitions, engines floor and Electron's own requirement agree with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const readJson = (file: string) =>
  JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
const major = (version: string) => Number(/(\d+)/.exec(version)?.[1]);

const projectNode = readFileSync(path.join(root, '.node-version'), 'utf8').trim();
const pkg = readJson('package.json') as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const electron = readJson('node_modules/electron/package.json') as {
  version: string;
  engines: { node: string };
  dependencies: Record<string, string>;
};

test('the project Node is a 24 LTS release, the line inside Electron (its @types/node)', () => {
  assert.match(projectNode, /^24\.\d+\.\d+$/);
  const electronNodeTypes = electron.dependencies['@types/node'];
  assert.ok(electronNodeTypes, 'electron declares the Node types of its own Node');
  assert.equal(major(electronNodeTypes), major(projectNode));
});

test('@types/node, the engines floor and Electron’s own requirement fit the project Node', () => {
  assert.equal(major(pkg.devDependencies['@types/node'] ?? ''), major(projectNode));
  assert.equal(pkg.engines.node, '>=22');
  // electron's engines are ">= X.Y.Z": the project Node must meet them.
  const [wantMajor = 0, wantMinor = 0] = electron.engines.node
    .replace(/[^\d.]/g, '')
    .split('.')
    .map(Number);
  const [haveMajor = 0, haveMinor = 0] = projectNode.split('.').map(Number);
  assert.ok(
    haveMajor > wantMajor || (haveMajor === wantMajor && haveMinor >= wantMinor),
    electron.engines.node,
  );
});

test('package.json asks for the Electron major that is installed', () => {
  assert.equal(major(pkg.devDependencies['electron'] ?? ''), major(electron.version));
  assert.ok(major(electron.version) >= 45, `electron ${electron.version}`);
});

test('CI runs on the project Node', { skip: process.env['CI'] ? false : 'not CI' }, () => {
  assert.equal(process.versions.node, projectNode);
});
