// The command line's bundle in chunks, so that a start deserialises only the code its command
// can run. The bin (bin/wxpay-coupon.cjs) compiles each chunk eagerly into a V8 code cache of its
// own, and V8 reads a cache whole: one bundle of every command meant that `--help` deserialised the
// sandbox, the batch, notify and the catalogue's every message to print a page of text.
// `npm run bench -- startup --against <checkout>` shows what the split buys (README, Performance).
//
// esbuild splits code only for ESM output, into chunks by the set of entries that reach each
// module (a start would read a dozen small files). So the split is ours, on top of one esbuild
// build per chunk:
// 1. one build in memory gives the module graph (esbuild's metafile);
// 2. each module is given to the first chunk below whose entries reach it by static imports
//    (modules reached only by import() and claimed by no chunk go to the last one);
// 3. each chunk is built from the modules other chunks import from it, each run when first asked
//    for; an import of a module of another chunk becomes `require('./cli-….cjs').__chunk(key)`,
//    that chunk's module itself. So each module exists once (one class, one `instanceof`), and a
//    chunk is read only when a module of it is first imported.
// A static import may only go to an earlier chunk (already loaded); the build fails otherwise, or
// when an entry below is not in the graph any more.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * In load order. `file` is written to dist/. Which rows of `npm run bench -- startup` read each:
 * --help and a token usage error read cli.cjs (and in Chinese cli-zh-CN.cjs); a dry run or a full
 * call also cli-send.cjs (and a full call dist/cli-undici.cjs, built on its own).
 */
export const CLI_CHUNKS = [
  // The program (argv, help, errors, output), `token`'s input (flags, coupons, the request's
  // checks) and the English messages of the area token.
  { file: 'cli.cjs', entries: ['src/cli/main.ts', 'src/cli/commands/token.ts', 'src/i18n/en/token.ts'] },
  // The English messages of the areas cli and config, read only in English, as the Chinese ones
  // (cli-zh-CN.cjs) only in Chinese: each --help reads one language's chunk, the same shape in
  // both. What it bought, `npm run bench -- startup --runs 40 --against <a build of 261d94a>`,
  // 2026-12-02, Node 20, 2-core machine, four runs: the Chinese --help, 0.7–2.1 ms over English
  // before, −0.3 to +0.3 ms from it in the clean environment (issue 13's target: 1 ms); the
  // English --help 0.3–0.4 ms slower (it reads one file more, alternated spawns of both builds);
  // see README's Performance section.
  { file: 'cli-en.cjs', entries: ['src/i18n/en/cli.ts', 'src/i18n/en/config.ts'] },
  // Config, keys, signing, sending, verifying: what a request needs.
  { file: 'cli-send.cjs', entries: ['src/cli/commands/shared.ts', 'src/client.ts', 'src/cli/load-undici.cjs'] },
  // Colours (chalk), for a terminal only; YAML configs (cosmiconfig's loader).
  { file: 'cli-colour.cjs', entries: ['node_modules/chalk/source/index.js'] },
  { file: 'cli-yaml.cjs', entries: ['node_modules/cosmiconfig/dist/index.js'] },
  // Chinese, read only when chosen: the areas cli and config, then token, then the others.
  { file: 'cli-zh-CN.cjs', entries: ['src/i18n/zh-CN/index.ts'] },
  { file: 'cli-zh-CN-token.cjs', entries: ['src/i18n/zh-CN/token.ts'] },
  { file: 'cli-zh-CN-more.cjs', entries: ['src/i18n/zh-CN/api.ts', 'src/i18n/zh-CN/notify.ts', 'src/i18n/zh-CN/ops.ts'] },
  // Everything else: the sandbox, batch, certs, doctor, api, notify, and their English areas.
  { file: 'cli-more.cjs', entries: [] },
];

/**
 * The catalogue areas each language's index (src/i18n/<language>/index.ts) imports at once; the
 * rest on first look-up. English none: its cli and config areas are a chunk of their own
 * (cli-en.cjs above), which a Chinese run never reads.
 */
const EAGER_AREAS = { en: [], 'zh-CN': ['cli', 'config'] };

/**
 * A module loaded when first needed: by import(), or by require() in our own code (the
 * catalogue indexes below). Such a module may live in a later chunk.
 */
const lazy = (edge, from) => edge.kind === 'dynamic-import' || (edge.kind === 'require-call' && from.startsWith('src/'));

/**
 * esbuild plugin: src/i18n/en/index.ts and src/i18n/zh-CN/index.ts, rewritten for the command
 * line so that each area outside EAGER_AREAS is a getter that require()s its module on first use
 * (`t()` looks a message up through its area). The library (tsc) keeps the files as written.
 */
export function lazyCatalogueAreas() {
  return {
    name: 'lazy-catalogue-areas',
    setup(builder) {
      builder.onLoad({ filter: /[\\/]src[\\/]i18n[\\/](en|zh-CN)[\\/]index\.ts$/ }, (args) => ({
        contents: lazyAreas(readFileSync(args.path, 'utf8'), args.path, EAGER_AREAS[path.basename(path.dirname(args.path))]),
        loader: 'ts',
      }));
    },
  };
}

function lazyAreas(source, file, eagerAreas) {
  const imports = new Map([...source.matchAll(/^import \{ (\w+) \} from '(\.\/\w+\.js)';$/gm)].map((match) => [match[1], match[2]]));
  const exported = /^export const (\w+)\b[^=]*= \{ ([\w, ]+) \};$/m.exec(source);
  const areas = exported?.[2].split(', ') ?? [];
  if (areas.length === 0 || areas.some((area) => !imports.has(area)) || imports.size !== areas.length) {
    throw new Error(
      `scripts/cli-chunks.js: ${file} is not shaped as lazyAreas() expects (one import per area, then export const … = { areas })`,
    );
  }
  const eager = areas.filter((area) => eagerAreas.includes(area));
  const lines = eager.map((area) => `import { ${area} } from '${imports.get(area)}';`);
  lines.push(`const loaded: Record<string, unknown> = {};`);
  const members = areas.map((area) =>
    eager.includes(area) ? area : `get ${area}() { return (loaded.${area} ??= require('${imports.get(area)}').${area}); }`,
  );
  lines.push(`export const ${exported[1]} = { ${members.join(', ')} };`);
  return lines.join('\n');
}

const CHUNK_FILE = /^cli(-[\w-]+)?\.cjs$/;

/**
 * Every chunk (dist/cli*.cjs) is one function expression, called at once when Node require()s the
 * file and returned as it is when the bin compiles the file as a script (bin/wxpay-coupon.cjs, no
 * `arguments` outside a function). So the bin compiles the file's text as it was read, rather
 * than a copy wrapped in `(function (exports, …) {…})`: a start allocates each chunk's text once,
 * not twice, in V8's young generation, which (at ~1 MB) otherwise filled up and cost a --help a
 * scavenge (0.5–0.7 ms, `node --trace-gc`), every run.
 */
export const CHUNK_WRAPPER = {
  banner: {
    js: '(typeof arguments === "object" ? (body) => body.apply(this, arguments) : (body) => body)(function (exports, require, module, __filename, __dirname) {',
  },
  footer: { js: '});' },
};

/** Builds every chunk of CLI_CHUNKS with esbuild `options` (plugins included), main.ts's exports in the first. */
export async function buildCliChunks(build, options, root) {
  const outdir = path.join(root, 'dist');
  for (const file of readdirSync(outdir)) if (CHUNK_FILE.test(file)) rmSync(path.join(outdir, file));
  const graph = await moduleGraph(build, options, root);
  const owner = assignModules(graph);
  const exposed = crossChunkImports(graph, owner);
  const names = await exportNames(
    build,
    root,
    graph,
    [...exposed.values()].flatMap((keys) => [...keys]),
  );
  for (const [index, chunk] of CLI_CHUNKS.entries()) {
    const keys = [...(exposed.get(chunk.file) ?? [])].sort();
    if (index > 0 && keys.length === 0) continue;
    // Each module is run when first asked for, as import() ran it in one bundle (chalk, say,
    // looks at the terminal when it loads; a dry run does not need it).
    const lines = index === 0 ? [`export * from ${JSON.stringify(`./${CLI_CHUNKS[0].entries[0]}`)};`] : [];
    lines.push(
      `const modules = { ${keys.map((key) => `${JSON.stringify(key)}: () => require(${JSON.stringify(`./${key}`)})`).join(', ')} };`,
    );
    lines.push('const loaded = {};');
    lines.push('export const __chunk = (key) => (loaded[key] ??= modules[key]());');
    await build({
      ...options,
      stdin: { contents: lines.join('\n'), resolveDir: root, sourcefile: `chunk:${chunk.file}`, loader: 'js' },
      outfile: path.join(outdir, chunk.file),
      ...CHUNK_WRAPPER,
      plugins: [linkChunks(chunk.file, owner, names, root), ...options.plugins],
    });
    asciiOnly(path.join(outdir, chunk.file));
  }
}

/**
 * A chunk's text in ASCII: esbuild escapes the non-ASCII characters of strings, but not those of a
 * tagged template (the zh-CN config area's z`…`) nor of a regular expression literal. One such
 * character makes V8 hold the whole text as a two-byte string, twice the size of the one-byte
 * string an ASCII text is, in the young generation (a text below 128 KiB): the Chinese catalogue's
 * chunk was 75 KB there instead of 44 KB. A `\uXXXX` escape means the same character in a string,
 * a template's cooked text, a regular expression and an identifier; only a template's raw text
 * (String.raw, a tag reading `.raw`) would differ, and no chunk may read it (refused here).
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  if (!/[^\0-\x7f]/.test(text)) return;
  if (/\.raw\b/.test(text))
    throw new Error(`scripts/cli-chunks.js: ${file} reads a template's raw text, which escaping its non-ASCII characters would change`);
  writeFileSync(
    file,
    text.replace(/[^\0-\x7f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

async function moduleGraph(build, options, root) {
  const result = await build({
    ...options,
    entryPoints: [CLI_CHUNKS[0].entries[0]],
    outfile: path.join(root, 'dist', CLI_CHUNKS[0].file),
    write: false,
    metafile: true,
  });
  return result.metafile.inputs;
}

/** Module key (as in esbuild's metafile) → the file of the chunk it is built into. */
function assignModules(graph) {
  const owner = new Map();
  for (const chunk of CLI_CHUNKS) {
    const stack = chunk.entries.map((entry) => {
      // node_modules may be a link to a folder elsewhere (esbuild then names its modules by their real path).
      const key = entry in graph ? entry : Object.keys(graph).find((name) => name.endsWith(`/${entry}`));
      if (key === undefined)
        throw new Error(`scripts/cli-chunks.js: ${entry} (an entry of ${chunk.file}) is not in the CLI's module graph`);
      return key;
    });
    while (stack.length > 0) {
      const key = stack.pop();
      if (owner.has(key)) continue;
      owner.set(key, chunk.file);
      for (const edge of graph[key].imports) if (!edge.external && !lazy(edge, key)) stack.push(edge.path);
    }
  }
  const last = CLI_CHUNKS.at(-1).file;
  for (const key of Object.keys(graph)) if (!owner.has(key)) owner.set(key, last);
  return owner;
}

/** Chunk file → the keys of its modules that modules of other chunks import. */
function crossChunkImports(graph, owner) {
  const order = new Map(CLI_CHUNKS.map((chunk, index) => [chunk.file, index]));
  const exposed = new Map();
  for (const [from, { imports }] of Object.entries(graph)) {
    for (const edge of imports) {
      if (edge.external || owner.get(edge.path) === owner.get(from)) continue;
      const home = owner.get(edge.path);
      if (!lazy(edge, from) && order.get(home) > order.get(owner.get(from))) {
        throw new Error(`scripts/cli-chunks.js: ${from} (${owner.get(from)}) imports ${edge.path} (${home}), a later chunk, statically`);
      }
      if (edge.path.includes(':')) throw new Error(`scripts/cli-chunks.js: ${edge.path} is imported across chunks, and is not a file`);
      if (!exposed.has(home)) exposed.set(home, new Set());
      exposed.get(home).add(edge.path);
    }
  }
  return exposed;
}

/**
 * The names an ES module exports (esbuild's metafile, the module built alone), by key; CommonJS
 * modules have none here. A link to an ES module re-exports its names as constants: no linked
 * module declares `export let` or `export var` (refused here), a static import only reaches a module that has run (an earlier chunk), and
 * an import() waits for the module, so the values are final when read. Imports then cost what
 * they cost in one bundle, not a getter per use and a copy of every export per importer.
 */
async function exportNames(build, root, graph, keys) {
  const names = new Map();
  await Promise.all(
    keys.map(async (key) => {
      if (graph[key].format !== 'esm') return;
      const source = readFileSync(path.join(root, key), 'utf8');
      if (/^\s*export\s*\*/m.test(source)) return; // `export *`: names not known here, so linked as CommonJS
      if (/^\s*export\s+(let|var)\b/m.test(source)) {
        throw new Error(`scripts/cli-chunks.js: ${key} exports a let or var, which a link across chunks would copy once`);
      }
      const result = await build({
        entryPoints: [path.join(root, key)],
        bundle: false,
        format: 'esm',
        write: false,
        metafile: true,
        outdir: '/',
        logLevel: 'silent',
      });
      names.set(
        key,
        Object.values(result.metafile.outputs).flatMap((output) => output.exports),
      );
    }),
  );
  return names;
}

/** An import of a module that another chunk holds becomes a require() of that chunk. */
function linkChunks(file, owner, names, root) {
  const own = Symbol('cli-chunks');
  return {
    name: 'cli-chunks',
    setup(builder) {
      builder.onResolve({ filter: /.*/ }, async (args) => {
        if (args.namespace === 'chunk-link') return { path: args.path, external: true };
        if (args.pluginData === own || args.kind === 'entry-point' || args.importer === '<stdin>') return undefined;
        const resolved = await builder.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          namespace: args.namespace,
          resolveDir: args.resolveDir,
          pluginData: own,
        });
        if (resolved.errors.length > 0 || resolved.external) return undefined;
        const key =
          resolved.namespace === 'file'
            ? path.relative(root, resolved.path).split(path.sep).join('/')
            : `${resolved.namespace}:${resolved.path}`;
        const home = owner.get(key);
        if (home === undefined || home === file) return undefined;
        return { path: key, namespace: 'chunk-link', pluginData: home };
      });
      builder.onLoad({ filter: /.*/, namespace: 'chunk-link' }, (args) => {
        const module = `require(${JSON.stringify(`./${args.pluginData}`)}).__chunk(${JSON.stringify(args.path)})`;
        const exported = names.get(args.path);
        if (exported === undefined) return { contents: `module.exports = ${module};`, loader: 'js' };
        const constants = exported.map((name, n) => `const __link${n} = __link[${JSON.stringify(name)}];`);
        const list = exported.map((name, n) => `__link${n} as ${/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)}`);
        return { contents: `const __link = ${module};\n${constants.join('\n')}\nexport { ${list.join(', ')} };`, loader: 'js' };
      });
    },
  };
}
