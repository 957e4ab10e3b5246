#!/usr/bin/env node
'use strict';
// The only place that touches `process`: wire the real streams, run, set the exit code.
// CommonJS on purpose: with the bundled dist/cli.cjs, a start loads two files and no ESM loader.
// Every millisecond here is paid by each call of a shell loop, so this file loads nothing that a
// run does not need: no stream is made for stdout unless it is a terminal (see output() below).
const fs = require('node:fs');
const path = require('node:path');
// The class of this very `module` is node:module's Module: requiring node:module itself loads more
// of Node (0.26–0.36 ms a start, `node -e` timing each require, 2026-12-02, Node 20).
const { createRequire } = module.constructor.createRequire ? module.constructor : require('node:module');

/** Each chunk's module, by file, as require() keeps them: set before the chunk runs, as Node does. */
const loaded = new Map();
let requireInDist;
const { main, OutputError, errorToJson, binMessages } = loadWithCompileCache(path.join(__dirname, '..', 'dist', 'cli.cjs'));

/**
 * Loads our bundle (dist/cli.cjs, and the other chunks, scripts/cli-chunks.js, when it requires
 * them) with a V8 code cache, so that a start does not parse and compile up to ~1.2 MB of
 * JavaScript again (`ls -l dist/*.cjs`, 2026-12-02: dist/cli.cjs 143 KB, undici 400 KB;
 * 312 + 400 KB in one bundle when the figures below were measured). What it bought:
 * `npm run bench -- startup`, 2026-12-01, Node 20,
 * idle 2-core machine, 3 runs alternated with a build whose bin plainly require()s the bundle:
 * token --dry-run 1.65–1.91× `node -e 0` with it, 2.01–2.33× without; the full call 2.63–3.19×
 * with, 3.41–4.01× without (each range is one build's run-to-run noise; they do not overlap).
 * test/compile-cache.e2e.test.js guards what it could break: the same output with and without a
 * cache; stale, foreign or corrupt caches ignored; each checkout's own file names in stack
 * traces. Our own rather than Node 22's module.enableCompileCache(): Node 20 lacks it, and where
 * it exists it caches only what a run compiled, and rejects the undici chunk's cache made after
 * the CLI changed a V8 flag (npm run bench on Node 24: a full call 8 ms slower with it). The cache
 * lives in the user's own cache folder, used only if nobody else can write to it (it holds code),
 * and holds a copy of the source it was made from, so it serves exactly that source. It is only an
 * optimisation: any problem with it (no HOME, read-only, a foreign owner) means compiling as usual.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's own.
 */
function loadWithCompileCache(file) {
  const env = process.env;
  const home = env.HOME || env.USERPROFILE;
  const base = env.XDG_CACHE_HOME || (home ? path.join(home, '.cache') : undefined);
  if (env.NODE_DISABLE_COMPILE_CACHE || !base || !path.isAbsolute(base)) return require(file);
  const directory = path.join(base, 'wxpay-coupon', `v8-${process.version}-${process.arch}`);
  try {
    if (!ownedSafely(cacheFolder(directory))) return require(file);
  } catch {
    return require(file);
  }
  return loadCached(file, directory, true);
}

/** The cache folder's stat, the folder made first when it is not there yet: a start that finds it makes one call, not two. */
function cacheFolder(directory) {
  try {
    return fs.statSync(directory);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    makeFolders(directory);
    return fs.statSync(directory);
  }
}

/**
 * Compiles through vm.Script with cachedData. `whole` (each chunk of ours): a cache made anew
 * holds every function of the chunk, compiled eagerly once, so that no later run of any command
 * compiles one lazily and it does not matter which command ran first; the chunks keep what a start
 * deserialises to what its command can run. The undici chunk's cache holds what a run compiled,
 * written at exit.
 */
function loadCached(file, directory, whole) {
  const vm = require('node:vm');
  const source = fs.readFileSync(file);
  // One cache per checkout (the folder's name hashed into the file's): V8 keeps the file name a
  // cache was made for, so a cache shared by two checkouts of the same source would name the
  // other one's files in every stack trace.
  const cacheFile = path.join(directory, `${path.basename(file)}.${folderHash(path.dirname(file))}.cache`);
  let cached;
  try {
    // Layout: source length (4 bytes, LE), the source itself, V8's data. V8 checks only the length.
    const data = readRegularFile(cacheFile);
    const length = data.readUInt32LE(0);
    if (length === source.length && source.equals(data.subarray(4, 4 + length))) {
      cached = data.subarray(4 + length);
    }
  } catch {
    /* No cache yet, or one that cannot be read: compile without it (and write a new one). */
  }
  // Each chunk's text is a function expression (scripts/cli-chunks.js, CHUNK_WRAPPER): compiled as it is.
  const text = source.toString('utf8');
  // No importModuleDynamically: the bundle never calls import() itself (JS configs are imported
  // by dist/config-worker.cjs, in a worker thread of their own), so vm's experimental loader is not needed.
  const options = { filename: file };
  let script = cached === undefined ? undefined : new vm.Script(text, { ...options, cachedData: cached });
  const save = script === undefined || script.cachedDataRejected === true;
  if (save) script = whole ? compileEagerly(vm, text, options) : new vm.Script(text, options);
  const module = { exports: {} };
  loaded.set(file, module);
  // Every chunk is in dist/, so one require() resolves for all of them.
  requireInDist ??= createRequire(file);
  const requireHere = requireInDist;
  // The bundle's other chunks (scripts/cli-chunks.js), the Chinese catalogue (compiled whole,
  // like dist/cli.cjs) and the undici chunk (a cache of what a run compiled, written at exit),
  // each once. `npm run bench -- startup`, 2026-12-01, load ~5: a Chinese --help 18.8 ms over
  // English without this cache; the row "--help in Chinese" shows it.
  const requireBundle = (id) => {
    if (!/^\.\/cli(-[\w-]+)?\.cjs$/.test(id)) return requireHere(id);
    const chunk = path.join(path.dirname(file), id);
    return (loaded.get(chunk) ?? { exports: loadCached(chunk, directory, id !== './cli-undici.cjs') }).exports;
  };
  requireBundle.resolve = requireHere.resolve;
  requireBundle.cache = requireHere.cache;
  script.runInThisContext()(module.exports, requireBundle, module, file, path.dirname(file));
  if (save) {
    // dist/cli.cjs right away: the CLI changes a V8 flag before it loads undici, and V8 rejects a
    // cache made under other flags. The undici chunk at exit, with all it compiled in the run.
    if (whole) writeCache(cacheFile, source, script);
    else process.once('exit', () => writeCache(cacheFile, source, script));
  }
  return module.exports;
}

/**
 * Compiles every function now rather than on first call (V8's --no-lazy, set back at once: V8
 * rejects a cache made under flags other than its user's). Left alone if the user set the flag.
 * V8's in-memory compilation cache is off meanwhile: when the file's cache was rejected (made
 * under other V8 flags, say NODE_OPTIONS=--max-old-space-size=4096 on Node 20 and 22, or
 * damaged), V8 has already compiled this very text lazily and would hand that back here, so the
 * new cache held only the functions that one start ran, and every later start compiled the rest
 * again: a dry run 3.6 ms and a full call 4.9 ms slower for good (timed after one start under
 * NODE_OPTIONS=--max-old-space-size=4096 against a fresh cache: alternated spawns of
 * `token --dry-run` and `token -q` against the sandbox, 40 each, 2026-12-02, Node 20).
 * test/compile-cache.e2e.test.js ('a cache rejected …') guards it.
 */
function compileEagerly(vm, text, options) {
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (/(^|\s)--(no[-_])?lazy(\s|=|$)/.test(flags)) return new vm.Script(text, options);
  const v8 = require('node:v8');
  const ownCompilationCache = /(^|\s)--(no[-_])?compilation[-_]cache(\s|=|$)/.test(flags);
  v8.setFlagsFromString('--no-lazy');
  if (!ownCompilationCache) v8.setFlagsFromString('--no-compilation-cache');
  try {
    return new vm.Script(text, options);
  } finally {
    if (!ownCompilationCache) v8.setFlagsFromString('--compilation-cache');
    v8.setFlagsFromString('--lazy');
  }
}

/**
 * A cache file's bytes, or an error for anything but a regular file: a FIFO would block the start
 * (opened without O_NONBLOCK) and a link to /dev/zero would be read until memory ran out.
 */
function readRegularFile(file) {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    if (!fs.fstatSync(fd).isFile()) throw new Error('not a regular file');
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** FNV-1a, 32 bits, in hex: a short name for a folder, without loading node:crypto. */
function folderHash(text) {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * `mkdir -p`, one folder at a time: Node's own recursive mkdirSync never returns where a
 * folder cannot be made under /proc (HOME=/proc/self: it spins at 100% CPU, Node 20).
 */
function makeFolders(directory) {
  // `directory` itself is known to be missing (cacheFolder); its parents are looked at here.
  const missing = [directory];
  for (let folder = path.dirname(directory); ; folder = path.dirname(folder)) {
    try {
      fs.statSync(folder);
      break;
    } catch (error) {
      if (error.code !== 'ENOENT' || path.dirname(folder) === folder) throw error;
      missing.unshift(folder);
    }
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      // Made meanwhile by another start.
      if (error.code !== 'EEXIST') throw error;
    }
  }
}

/** Only a folder of our own that nobody else can write to is trusted to hold code. */
function ownedSafely(stat) {
  if (!stat.isDirectory()) return false;
  if (typeof process.getuid !== 'function') return true;
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** Written whole or not at all: to a temporary file, then renamed over the old one. */
function writeCache(cacheFile, source, script) {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    const header = Buffer.alloc(4);
    header.writeUInt32LE(source.length, 0);
    fs.writeFileSync(temporary, Buffer.concat([header, source, script.createCachedData()]), { mode: 0o600 });
    fs.renameSync(temporary, cacheFile);
  } catch {
    try {
      fs.unlinkSync(temporary);
    } catch {
      /* The temporary file was never made; a cache is an optimisation, so a failure here is quiet. */
    }
  }
}

/**
 * One of the bin's own lines, in main()'s language. Should the messages themselves not load (a
 * partial install: a dist/cli-*.cjs chunk missing or damaged, which is what failed), it is said in
 * plain English, so that the run still ends with one line and its exit code, never with an
 * uncaught stack trace (test/i18n.test.js, 'a missing or damaged chunk …').
 */
function binLine(name, ...args) {
  try {
    return binMessages[name](...args);
  } catch {
    // The caller gives the internal error's reason as one line already.
    let said = 'internal error: the command stopped before it finished';
    if (name === 'internal') said = `internal error: ${args[0]}`;
    else if (name === 'interruptedAgain') said = 'interrupted again; stopping now';
    return `${said} (wxpay-coupon's own files are incomplete: reinstall it)`;
  }
}

// First Ctrl-C (or SIGTERM): stop — a single request is aborted, a batch starts nothing new.
// Second: a batch aborts what is in flight, and the process ends within moments at the latest.
// Third: end now.
// The controllers are made when first asked for: only commands that send or serve use them.
let stop;
let hard;
const stopController = () => (stop ??= new AbortController());
const hardController = () => (hard ??= new AbortController());
let interrupts = 0;
const interrupt = () => {
  interrupts += 1;
  if (interrupts === 1) stopController().abort();
  else if (interrupts === 2) {
    hardController().abort();
    setTimeout(() => {
      stderr.write(`wxpay-coupon: ${binLine('interruptedAgain')}\n`);
      process.exit(130);
    }, 2000).unref();
  } else {
    stderr.write(`wxpay-coupon: ${binLine('interruptedAgain')}\n`);
    process.exit(130);
  }
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);
const stdoutIsTTY = isTerminal(1);
const stderrIsTTY = isTerminal(2);
const stdout = output(1, stdoutIsTTY, () => process.stdout);
const stderr = output(2, stderrIsTTY, () => process.stderr);

// --json: stderr carries JSON lines only, so Node's own warnings (ExperimentalWarning,
// DeprecationWarning, from a user's JS config or NODE_OPTIONS) are not printed by Node but handed
// to main(), which writes them as JSON warnings. Node prints them from a 'warning' listener of
// its own, which is removed here.
let warningListener;
const queuedWarnings = [];
if (process.argv.slice(2).includes('--json')) {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => (warningListener ? warningListener(warning) : queuedWarnings.push(warning)));
}

// Set once main() has settled; see the 'beforeExit' backstop below.
let finished = false;
main(process.argv.slice(2), {
  stdout,
  stderr,
  exitsAfterCommand: true,
  longRunning: () => {
    stdout.useStream();
    stderr.useStream();
  },
  env: process.env,
  // A getter: process.cwd() throws when the working folder was deleted under the shell, and
  // main() turns that into a clean error for the commands that need it (help does not).
  get cwd() {
    return process.cwd();
  },
  stdoutIsTTY,
  stderrIsTTY,
  stdinIsTTY: isTerminal(0),
  columns: stdoutIsTTY ? process.stdout.columns : undefined,
  // A getter: process.stderr is a stream made on first use, and only batch progress asks.
  get stderrColumns() {
    return stderrIsTTY ? process.stderr.columns : undefined;
  },
  now: Date.now,
  get signal() {
    return stopController().signal;
  },
  get hardSignal() {
    return hardController().signal;
  },
  nodeWarnings: (listener) => {
    warningListener = listener;
    for (const warning of queuedWarnings.splice(0)) listener(warning);
  },
  stdin: () => process.stdin,
  // resourceUsage().maxRSS is in kilobytes.
  peakRss: () => process.resourceUsage().maxRSS * 1024,
  cpuMs: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
}).then(
  (code) => {
    finished = true;
    // A failed write of stdout the command did not report itself (74) is reported here: never exit 0 after it.
    process.exitCode = stdout.failure() && code !== 74 ? reportOutputFailure(stdout.failure()) : code;
    // The command is done: something a user's JS config left running (a setInterval, an open
    // socket) must not hold the process open. An unref'd timer fires only if something else keeps
    // the event loop alive; it waits while stdout or stderr still has data for a slow reader.
    const exitWhenFlushed = () => {
      if ((process.stdout.writableLength ?? 0) + (process.stderr.writableLength ?? 0) > 0) setTimeout(exitWhenFlushed, 200).unref();
      else process.exit();
    };
    setTimeout(exitWhenFlushed, 1000).unref();
  },
  (error) => {
    // main() is the error boundary and does not reject; should it, that is a bug, not a success.
    finished = true;
    // One line: Node's own messages may go on (MODULE_NOT_FOUND lists its require stack).
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    stderr.write(`wxpay-coupon: ${binLine('internal', reason)}\n`);
    process.exitCode = 70;
  },
);

// The backstop for "never exit 0 without having done the job": should the event loop run empty
// while main() is still pending (a promise nothing will ever settle), Node would exit 0 with
// nothing printed. 'beforeExit' is emitted exactly then (and not on process.exit()).
process.on('beforeExit', () => {
  if (finished) return;
  finished = true;
  stderr.write(`wxpay-coupon: ${binLine('stoppedEarly')}\n`);
  process.exit(70);
});

/**
 * isatty() without node:tty (which loads net and streams) when fstat already says no: a pipe, a
 * file, or /dev/null (a character device, as a terminal is); test/startup.test.js pins that
 * output sent to /dev/null loads no terminal module.
 */
function isTerminal(fd) {
  let stat;
  try {
    stat = fs.fstatSync(fd);
  } catch {
    return false;
  }
  if (!stat.isCharacterDevice()) return false;
  if (process.platform !== 'win32') {
    try {
      const devNull = fs.statSync('/dev/null');
      if (stat.rdev === devNull.rdev && stat.ino === devNull.ino) return false;
    } catch {
      /* No /dev/null to compare with (a chroot, a container): let isatty decide alone. */
    }
  }
  return require('node:tty').isatty(fd);
}

/**
 * stdout or stderr. A terminal (and anything on Windows) gets Node's own stream. A pipe or a file
 * is written with fs.writeSync, sparing a short command setting up a stream (process.stdout loads
 * net and streams), until a long-running command (batch, sandbox) calls useStream(): a synchronous
 * write blocks the whole process while the reader is slow, and a server or a batch must keep
 * serving and timing its requests meanwhile. Should the descriptor be non-blocking (EAGAIN), the
 * rest goes through Node's stream too, in order.
 * What it buys: `npm run bench -- startup`, 2026-12-01, Node 20, idle 2-core machine, 3 runs
 * alternated with a build that always writes through process.stdout/stderr: --help 1.39–1.50×
 * `node -e 0` with it, 1.54–1.72× without (each range one build's run-to-run noise); a usage
 * error 1.42–1.50× / 1.45–1.81×; a dry run 1.65–1.91× / 1.66–2.05×. What it could break is tested
 * by test/startup.test.js ('--help and a usage error load no stream …'),
 * test/output-failure.e2e.test.js (failed, short and closed writes) and, for the streams of the
 * long-running commands, test/batch.e2e.test.js ('the sandbox keeps answering while nobody reads
 * its log', 'a reader that stops for a while blocks nothing …').
 * A closed stdout (`| head`, EPIPE) ends the run quietly. Any other failure to write stdout
 * (ENOSPC, EIO, EBADF …), either way it is written, becomes an OutputError (exit 74): thrown by a
 * synchronous write, or given to the write's `done` callback; once failed, stdout writes nothing
 * more. A failing stderr is ignored: it must never stop a command.
 */
function output(fd, terminal, stream) {
  const name = fd === 1 ? 'stdout' : 'stderr';
  let direct = !terminal && process.platform !== 'win32';
  let failure;
  let watched = false;
  const failed = (error) => {
    if (error.code === 'EPIPE' && fd === 1) process.exit(process.exitCode ?? 0);
    if (failure === undefined) {
      const described = typeof error.errno === 'number' ? require('node:util').getSystemErrorMap().get(error.errno) : undefined;
      failure = described ? new OutputError(name, described[1], { errno: described[0], cause: error }) : OutputError.from(name, error);
    }
    return failure;
  };
  const getStream = () => {
    const node = stream();
    if (!watched) {
      watched = true;
      // Also told to each write's callback; this listener keeps the error from being thrown, and
      // reports a failure that comes after the command has returned.
      node.on('error', (error) => {
        failed(error);
        if (fd === 1 && finished && process.exitCode !== 74) process.exitCode = reportOutputFailure(failure);
      });
    }
    return node;
  };
  const streamWrite = (chunk, done) =>
    getStream().write(chunk, (error) => {
      if (error && fd === 1) done?.(failed(error));
      else done?.();
    });
  const settle = (error, done) => {
    const reported = failed(error);
    if (fd === 2) {
      done?.();
      return true;
    }
    if (done) {
      done(reported);
      return false;
    }
    throw reported;
  };
  return {
    failure: () => failure,
    useStream() {
      // A file or a device is written synchronously either way (Node's stream for a file does so
      // too, but ignores a short write, which would leave half a line before a full disk's error).
      if (direct && !isPipeOrSocket(fd)) return;
      direct = false;
    },
    write(text, done) {
      if (failure !== undefined) return settle(failure, done);
      if (!direct) return streamWrite(text, done);
      const bytes = Buffer.from(text);
      let offset = 0;
      while (offset < bytes.length) {
        try {
          offset += fs.writeSync(fd, bytes, offset);
        } catch (error) {
          if (error.code === 'EAGAIN') {
            direct = false;
            return streamWrite(bytes.subarray(offset), done);
          }
          if (error.code === 'EPIPE' && fd === 2) {
            done?.();
            return true;
          }
          if (offset > 0) removePartialWrite(fd, offset);
          return settle(error, done);
        }
      }
      done?.();
      return true;
    },
  };
}

function isPipeOrSocket(fd) {
  try {
    const stat = fs.fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return true;
  }
}

/**
 * The start of a text was written to a file before the write failed (a full disk, a file size
 * limit): cut it off again, so that the file never ends in half a line. The file is written at
 * its end (`>` or `>>`), so the text began `written` bytes before it.
 */
function removePartialWrite(fd, written) {
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isFile() && stat.size >= written) fs.ftruncateSync(fd, stat.size - written);
  } catch {
    /* Best effort on a path that is already reporting the write's own failure (exit 74). */
  }
}

/** A failed stdout write, told on stderr (as JSON with --json) when no command reported it; returns 74. */
function reportOutputFailure(failure) {
  const text = process.argv.includes('--json') ? JSON.stringify({ error: errorToJson(failure) }) : `wxpay-coupon: ${failure.message}`;
  stderr.write(`${text}\n`);
  return failure.exitCode;
}
