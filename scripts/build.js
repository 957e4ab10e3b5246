#!/usr/bin/env node
// Build: tsc compiles the library (dist/*.js + .d.ts, ESM, what `import 'wxpay-coupon'` gets);
// esbuild bundles the command line into dist/cli.cjs, so a start loads one file instead of
// resolving a few dozen modules (see npm run bench). undici goes into its own chunk,
// dist/cli-undici.cjs, loaded only when a request is sent; cosmiconfig stays a normal
// dependency, loaded only when a config is read (bundled, it would drag in TypeScript).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.18',
  format: 'cjs',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
  absWorkingDir: root,
};

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.cjs',
  define: { __WXPAY_COUPON_VERSION__: JSON.stringify(version) },
  // version.ts reads package.json through import.meta only when the constant above is missing.
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [
    {
      // `await import('undici')` and `await import('cosmiconfig')` in the sources become plain
      // require() calls of dist/cli-undici.cjs and of the installed cosmiconfig, made only when
      // reached. Left as import(), they would start Node's ESM loader, and Node could not see
      // the chunk's named exports.
      name: 'lazy-require',
      setup(builder) {
        const targets = { undici: './cli-undici.cjs', cosmiconfig: 'cosmiconfig' };
        builder.onResolve({ filter: /^(undici|cosmiconfig)$/ }, (args) =>
          args.namespace === 'lazy-require'
            ? { path: targets[args.path], external: true }
            : { path: args.path, namespace: 'lazy-require' },
        );
        builder.onResolve({ filter: /^\.\/cli-undici\.cjs$/, namespace: 'lazy-require' }, (args) => ({ path: args.path, external: true }));
        // undici parses HTTP with a WebAssembly module that V8 compiles twice, quickly (Liftoff) and
        // then optimised (TurboFan) in the background, and a process cannot exit before that
        // background compile ends: ~80 ms on every call that sends a request, for code a CLI run
        // never needs optimised. So the CLI, and only the CLI (never the library), tells V8 to
        // stop at Liftoff, just before undici is first loaded. npm run bench measures it.
        const prelude = { undici: "require('node:v8').setFlagsFromString('--liftoff-only');\n", cosmiconfig: '' };
        builder.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({
          contents: `${prelude[args.path]}module.exports = require(${JSON.stringify(targets[args.path])});`,
          loader: 'js',
        }));
      },
    },
  ],
});

await build({ ...common, entryPoints: ['scripts/undici-cli.cjs'], outfile: 'dist/cli-undici.cjs' });
