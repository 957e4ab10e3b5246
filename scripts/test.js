#!/usr/bin/env node
// Builds (tsc is incremental, esbuild takes a moment), then runs every test file with node's own runner.
// Files are listed explicitly: Node 20 takes folders, Node 22+ takes globs, both take files.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const only = process.argv.slice(2);
const files = readdirSync(path.join(root, 'test'))
  .filter((name) => name.endsWith('.test.js'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.includes(wanted)))
  .sort()
  .map((name) => path.join('test', name));
const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
