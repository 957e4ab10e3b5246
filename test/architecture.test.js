// The import rules of docs/architecture.md, checked against the real `import … from` lines of src/:
// a change that makes the protocol code depend on the command line, or anything depend on the
// CLI, fails here rather than in a review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.js';

const SRC = path.join(ROOT, 'src');

function sourceFiles(folder = SRC) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|cts|cjs|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every module a file names: `import … from`, `export … from`, `import '…'`, `import('…')`, `require('…')`. */
export function importsOf(text) {
  const found = new Set();
  const patterns = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gms,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.add(match[1]);
  return [...found];
}

/** `src/…` paths for relative imports (`./x.js` is `x.ts` in the sources, `./x.cjs` `x.cts` where there is one), bare names for packages and built-ins. */
function resolved(file, specifier) {
  if (!specifier.startsWith('.')) return specifier;
  const target = path.relative(ROOT, path.resolve(path.dirname(file), specifier)).replaceAll('\\', '/');
  if (/\.cjs$/.test(target) && existsSync(path.join(ROOT, target.replace(/\.cjs$/, '.cts')))) return target.replace(/\.cjs$/, '.cts');
  return target.replace(/\.js$/, '.ts');
}

const graph = sourceFiles().map((file) => ({
  file: path.relative(ROOT, file).replaceAll('\\', '/'),
  imports: importsOf(readFileSync(file, 'utf8')).map((specifier) => resolved(file, specifier)),
}));

const PROTOCOL = ['sign', 'verify', 'keys', 'json', 'coupon', 'certificates', 'aead', 'notify'].map((name) => `src/${name}.ts`);
const LEAVES = ['errors', 'hints', 'urls', 'clock', 'version', 'launch'].map((name) => `src/${name}.ts`);
const isCli = (name) => name.startsWith('src/cli/');
const isSandbox = (name) => name.startsWith('src/sandbox/');
const isI18n = (name) => name.startsWith('src/i18n/');
const CONFIG = [...['settings', 'config', 'config-files', 'config-import'].map((name) => `src/${name}.ts`), 'src/config-worker.cts'];

function violations(rule) {
  return graph.flatMap(({ file, imports }) => imports.filter((target) => rule(file, target)).map((target) => `${file} imports ${target}`));
}

test('the parser sees every form of import the sources use', () => {
  const text =
    "import a from 'one';\nimport type { B } from \"two\";\nimport {\n  c,\n  d,\n} from './three.js';\nexport { e } from './four.js';\nimport './five.js';\nconst f = await import('six');\nrequire('seven');\n";
  assert.deepEqual(importsOf(text).sort(), ['./five.js', './four.js', './three.js', 'one', 'seven', 'six', 'two']);
});

test('the graph is the real one: a few known edges are there', () => {
  const edges = new Set(graph.flatMap(({ file, imports }) => imports.map((target) => `${file} -> ${target}`)));
  for (const edge of [
    'src/client.ts -> src/sign.ts',
    'src/cli/main.ts -> commander',
    'src/config.ts -> cosmiconfig',
    'src/cli/commands/token.ts -> src/client.ts',
  ]) {
    assert.ok(edges.has(edge), `missing ${edge}`);
  }
});

test('nothing outside src/cli imports src/cli', () => {
  assert.deepEqual(
    violations((file, target) => !isCli(file) && isCli(target)),
    [],
  );
});

test('commander and chalk are imported only in src/cli', () => {
  assert.deepEqual(
    violations((file, target) => !isCli(file) && /^(commander|chalk)(\/|$)/.test(target)),
    [],
  );
});

test('cosmiconfig is imported only by src/config.ts', () => {
  assert.deepEqual(
    violations((file, target) => file !== 'src/config.ts' && /^cosmiconfig(\/|$)/.test(target)),
    [],
  );
});

test('undici is imported only by the transport, the client (types) and the CLI loader', () => {
  const allowed = new Set(['src/transport.ts', 'src/client.ts', 'src/cli/load-undici.cjs']);
  assert.deepEqual(
    violations((file, target) => !allowed.has(file) && /^undici(\/|$)/.test(target)),
    [],
  );
});

test('the protocol modules and the leaves import no config, sandbox or CLI; all but certificates no transport either', () => {
  const forbidden = (file, target) =>
    CONFIG.includes(target) ||
    isSandbox(target) ||
    isCli(target) ||
    (file !== 'src/certificates.ts' && ['src/transport.ts', 'src/client.ts', 'src/retry.ts', 'src/batch.ts'].includes(target)) ||
    /^(undici|cosmiconfig|commander|chalk)(\/|$)/.test(target);
  assert.deepEqual(
    violations((file, target) => [...PROTOCOL, ...LEAVES].includes(file) && forbidden(file, target)),
    [],
  );
  // Leaves depend on nothing of ours but errors.ts and the messages.
  assert.deepEqual(
    violations((file, target) => LEAVES.includes(file) && target.startsWith('src/') && target !== 'src/errors.ts' && !isI18n(target)),
    [],
  );
  // The messages depend on nothing of ours outside themselves.
  assert.deepEqual(
    violations((file, target) => isI18n(file) && target.startsWith('src/') && !isI18n(target)),
    [],
  );
});

test('the library (src/*.ts) never imports the sandbox; the sandbox never the CLI', () => {
  assert.deepEqual(
    violations((file, target) => !isSandbox(file) && !isCli(file) && isSandbox(target)),
    [],
  );
  assert.deepEqual(
    violations((file, target) => isSandbox(file) && isCli(target)),
    [],
  );
});

/**
 * Whether docs/architecture.md names a source file: by its path (`src/config.ts`), by its name
 * (`server.ts` in the sandbox's line), or by its folder's pattern (`commands/*.ts`, `en/<area>.ts`).
 */
export function undocumentedFiles(files, doc) {
  const patterns = [...doc.matchAll(/`((?:[\w.-]+\/)*)(?:\*|<[\w-]+>)(\.\w+)`/g)].map((match) => ({ folder: match[1], ext: match[2] }));
  return files.filter((file) => {
    const name = path.posix.basename(file);
    const folder = `/${path.posix.dirname(file)}/`;
    if (doc.includes(`\`${file}\``) || doc.includes(`\`${name}\``)) return false;
    // `src/*.ts` is the library as a whole (an import rule), not a list of its modules.
    const described = (pattern) => pattern.folder !== 'src/' && folder.endsWith(`/${pattern.folder}`) && name.endsWith(pattern.ext);
    return !patterns.some(described);
  });
}

test('docs/architecture.md names every source file of src/ (a new module gets its line there)', () => {
  const doc = readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
  assert.deepEqual(
    undocumentedFiles(['src/new-thing.ts', 'src/cli/commands/x.ts', 'src/config.ts'], '`src/config.ts`, `commands/*.ts`, `src/*.ts`'),
    ['src/new-thing.ts'],
  );
  assert.deepEqual(
    undocumentedFiles(
      graph.map(({ file }) => file),
      doc,
    ),
    [],
  );
});
