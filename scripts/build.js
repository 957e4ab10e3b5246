#!/usr/bin/env node
// Build: tsc compiles the library (dist/*.js + .d.ts, ESM, what `import 'wxpay-coupon'` gets);
// esbuild bundles the command line into dist/cli.cjs, so a start loads one file instead of
// resolving a few dozen modules (see npm run bench). undici goes into its own chunk,
// dist/cli-undici.cjs, loaded only when a request is sent; cosmiconfig stays a normal
// dependency, loaded only when a config is read (bundled, it would drag in TypeScript).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assertModule from 'node:assert';
import { build } from 'esbuild';
import { CHUNK_WRAPPER, buildCliChunks, lazyCatalogueAreas } from './cli-chunks.js';

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

/** A Node built-in loaded on first use; `__esModule` is answered without loading (TypeScript's interop asks it). */
const lazyBuiltin = (name) =>
  `let loaded; module.exports = new Proxy({}, { get: (_, key) => key === '__esModule' ? undefined : (loaded ??= require('node:${name}'))[key] });`;

const cli = {
  ...common,
  define: { __WXPAY_COUPON_VERSION__: JSON.stringify(version) },
  logOverride: {
    // version.ts reads package.json through import.meta only when the constant above is missing.
    'empty-import-meta': 'silent',
    // require.resolve('cosmiconfig') is meant to run, not to be bundled (see cosmiconfig-deps).
    'require-resolve-not-external': 'silent',
  },
  plugins: [
    {
      // A JS config is evaluated in a worker thread, dist/config-worker.cjs (tsc output of
      // src/config-worker.cts). The bundle starts it through dist/import-config.cjs, a file Node
      // loads with require() and so has a __dirname: the bundle itself runs from the bin's compile
      // cache through vm.Script, where import.meta has no URL, and where import() (of the config,
      // or of node:worker_threads, loaded only for a JS config) would need vm's experimental
      // importModuleDynamically.
      name: 'config-import',
      setup(builder) {
        builder.onResolve({ filter: /^\.\/config-import\.js$/ }, () => ({ path: './import-config.cjs', external: true }));
      },
    },
    {
      // `await import('undici')` in the sources becomes a plain require() of src/cli/load-undici.cjs,
      // which sets the V8 flag for undici's WebAssembly (the why is there) and requires
      // dist/cli-undici.cjs, made only when a request is sent. Left as import(), it would start
      // Node's ESM loader, and Node could not see the chunk's named exports.
      name: 'lazy-undici',
      setup(builder) {
        builder.onResolve({ filter: /^undici$/ }, () => ({ path: path.join(root, 'src/cli/load-undici.cjs') }));
        builder.onResolve({ filter: /^\.\/cli-undici\.cjs$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
    // Each language's catalogue: the areas a start needs now, the others when first looked up.
    lazyCatalogueAreas(),
    {
      // cosmiconfig is bundled too (its modules run only when a config is read), minus what a
      // JSON config never needs. Its YAML, JS and TypeScript loaders (js-yaml, import-fresh,
      // typescript) stay where npm installed them for cosmiconfig, loaded on first use. parse-json
      // (with Babel's code frame and picocolors, which even touches process.stdout) serves only to
      // word a syntax error: cosmiconfig reads package.json with it on every start, so valid JSON
      // goes through JSON.parse and only broken JSON reaches the real parse-json.
      name: 'cosmiconfig-deps',
      setup(builder) {
        // Resolved from cosmiconfig's own folder at run time, wherever npm put (or nested) them.
        const requireFromCosmiconfig = "require('node:module').createRequire(require.resolve('cosmiconfig'))";
        const inCosmiconfig = (args) => /[\\/]node_modules[\\/]cosmiconfig[\\/]/.test(args.importer);
        builder.onResolve({ filter: /^(js-yaml|import-fresh|typescript|parse-json)$/ }, (args) =>
          inCosmiconfig(args) ? { path: args.path, namespace: 'cosmiconfig-deps' } : undefined,
        );
        // Its async explorer reads a few small files through fs/promises (readFile, stat,
        // realpath), which every start would load (with readline and file watchers behind it;
        // test/startup.test.js pins that none loads fs/promises). Here those calls are the synchronous ones, wrapped in promises: the same results
        // and errors, sooner for files this small. Anything else goes to the real fs/promises.
        builder.onResolve({ filter: /^(node:)?fs(\/promises)?$/ }, (args) =>
          inCosmiconfig(args) ? { path: args.path.replace(/^node:/, ''), namespace: 'cosmiconfig-fs' } : undefined,
        );
        builder.onLoad({ filter: /.*/, namespace: 'cosmiconfig-fs' }, (args) => ({
          contents: `const fs = require('node:fs');
const wrap = (name) => async (...args) => fs[name](...args);
const promises = new Proxy(
  { readFile: wrap('readFileSync'), stat: wrap('statSync'), realpath: wrap('realpathSync') },
  { get: (own, key) => (key in own ? own[key] : key === '__esModule' ? undefined : require('node:fs/promises')[key]) },
);
module.exports = ${args.path === 'fs' ? "new Proxy(fs, { get: (target, key) => (key === 'promises' ? promises : target[key]) })" : 'promises'};`,
          loader: 'js',
        }));
        builder.onLoad({ filter: /.*/, namespace: 'cosmiconfig-deps' }, (args) => ({
          contents:
            args.path === 'parse-json'
              ? `module.exports = (text, reviver, filename) => {
                   try { return JSON.parse(text, reviver); } catch {}
                   return ${requireFromCosmiconfig}('parse-json')(text, reviver, filename);
                 };`
              : `module.exports = ${requireFromCosmiconfig}(${JSON.stringify(args.path)});`,
          loader: 'js',
        }));
      },
    },
    {
      // commander requires node:child_process at load, for executable subcommands, which this
      // CLI has none of; every start would load it (and net, dgram and streams behind it), which
      // test/startup.test.js pins that none does.
      // Here it is loaded on first use instead.
      name: 'lazy-child-process',
      setup(builder) {
        builder.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
          /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
        );
      },
    },
    {
      name: 'lazy-builtin',
      setup(builder) {
        builder.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: lazyBuiltin(args.path), loader: 'js' }));
      },
    },
  ],
};
await buildCliChunks(build, cli, root);

writeFileSync(
  path.join(root, 'dist', 'import-config.cjs'),
  `'use strict';
// Starts the worker that evaluates a JS config for dist/cli.cjs (see src/config-import.ts): its
// file is found from here, and worker_threads is loaded only then.
exports.startConfigWorker = async (options) =>
  new (require('node:worker_threads').Worker)(require('node:path').join(__dirname, 'config-worker.cjs'), options);
`,
);

await build({
  ...common,
  entryPoints: ['scripts/undici-cli.cjs'],
  outfile: 'dist/cli-undici.cjs',
  ...CHUNK_WRAPPER,
  plugins: [
    {
      // undici calls assert(condition) in nearly every module; node:assert is slow to load (no
      // full call may load it, test/startup.test.js), and creates process.stderr as it does. This assert loads the real one only when a
      // condition fails (and for any other member of node:assert, listed here at build time).
      name: 'lazy-assert',
      setup(builder) {
        builder.onResolve({ filter: /^(node:)?assert$/ }, () => ({ path: 'assert', namespace: 'lazy-assert' }));
        builder.onLoad({ filter: /.*/, namespace: 'lazy-assert' }, () => ({
          contents: `let real;
const load = () => (real ??= require('node:assert'));
function assert(value, message) { if (!value) load()(value, message); }
for (const key of ${JSON.stringify(Object.keys(assertModule))}) {
  Object.defineProperty(assert, key, { get: () => load()[key], enumerable: true });
}
module.exports = assert;`,
          loader: 'js',
        }));
      },
    },
    {
      // undici's HTTP/2 client (and node:http2 behind it; test/startup.test.js) is loaded when a connection
      // first negotiates h2, which the CLI never asks for (allowH2 stays off): on first use.
      name: 'lazy-http2-client',
      setup(builder) {
        builder.onResolve({ filter: /^\.\/client-h2\.js$/ }, (args) =>
          args.namespace === 'lazy-http2-client'
            ? undefined
            : { path: path.join(args.resolveDir, args.path), namespace: 'lazy-http2-client' },
        );
        builder.onLoad({ filter: /.*/, namespace: 'lazy-http2-client' }, (args) => ({
          contents: "module.exports = (...args) => require('./client-h2.js')(...args);",
          resolveDir: path.dirname(args.path),
          loader: 'js',
        }));
      },
    },
  ],
});
