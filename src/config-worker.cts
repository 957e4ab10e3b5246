/**
 * The worker thread that evaluates a JS config file (src/config-files.ts starts it, one per file
 * read, and ends it once it has answered). Off the main thread, an endless loop, a call of
 * process.exit() or an uncaught error in the config ends or stalls this thread only: the main one
 * keeps its timer and its signals, and can terminate it. It answers with one message: the value
 * the file exports, copied into plain data, or how it failed, described without the error's
 * message (which may quote a secret) and without its stack leaving this thread.
 *
 * CommonJS on purpose (dist/config-worker.cjs): Node runs it synchronously right after any
 * `--require` preload (NODE_OPTIONS included, which workers run too), so it removes Node's own
 * warning printer before a preload's warning is emitted; those are the main thread's warnings
 * already, and are dropped here. It imports nothing of ours: a start loads this file only.
 */
import { types } from 'node:util';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

/** What a failed config threw, in words that quote none of it. */
export interface Thrown {
  /** typeof what was thrown ('null' for null); 'object' for an Error. */
  what: string;
  isError: boolean;
  /** The class's name, when it looks like one (SyntaxError, TypeError …). */
  name: string | undefined;
  /** Where in the config file, from the stack. */
  line: string | undefined;
  column: string | undefined;
}

/**
 * Where it failed: loading (or an uncaught error of its own), the promise it exports, awaiting a
 * default export that is not a promise (a Proxy or an object whose `then` throws or rejects),
 * reading its value.
 */
export type FailedStage = 'load' | 'promise' | 'then' | 'reading';

export type WorkerMessage =
  | { kind: 'warning'; name: string; message: string; code: string | undefined }
  | { kind: 'value'; value: unknown }
  | { kind: 'failed'; stage: FailedStage; thrown: Thrown }
  | { kind: 'notData' }
  /** The file exports a `then` (a CommonJS `exports.then`, an ESM `export const then`): import() called it. */
  | { kind: 'thenExport' };

export interface WorkerInput {
  /** The file's file: URL (its real path), as import() takes it. */
  href: string;
  /** How the file may appear in a stack: its URL, its real path, the path it was found by. */
  stackNames: string[];
}

const port = ((): MessagePort => {
  if (parentPort === null) throw new Error('config-worker.cjs runs as a worker thread only');
  return parentPort;
})();
const { href, stackNames } = workerData as WorkerInput;
let answered = false;
const answer = (message: WorkerMessage): void => {
  if (answered) return;
  answered = true;
  port.postMessage(message);
};

// Node's own warnings (a DeprecationWarning the config causes …) go to the main thread, which
// emits them as its own: printed as Node prints them, or JSON warnings under --json.
process.removeAllListeners('warning');
let forwarding = false;
process.on('warning', (warning: { name?: unknown; message?: unknown; code?: unknown }) => {
  if (!forwarding || answered) return;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const message: WorkerMessage = {
    kind: 'warning',
    name: text(warning.name) ?? 'Warning',
    message: text(warning.message) ?? '',
    code: text(warning.code),
  };
  port.postMessage(message);
});
// An error the config throws later (from a timer, a rejected promise nobody awaits) is its failure too.
process.on('uncaughtException', (error) => answer({ kind: 'failed', stage: 'load', thrown: describe(error) }));
process.on('unhandledRejection', (reason) => answer({ kind: 'failed', stage: 'load', thrown: describe(reason) }));
// This thread stays alive until the main one ends it: a promise that never settles is the main
// thread's timeout, not an early end.
setInterval(() => undefined, 60_000);
// A preload's warnings, emitted on the next tick, are not forwarded; the config's are.
setImmediate(() => {
  forwarding = true;
  void load();
});

async function load(): Promise<void> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(href)) as Record<string, unknown>;
  } catch (error) {
    answer({ kind: 'failed', stage: 'load', thrown: describe(error) });
    return;
  }
  // A module namespace with a `then` export is a thenable: import() resolves to what that then gives,
  // not to the module (hostile check, helper-40: "holds no configuration" for a CommonJS thenable).
  if (!types.isModuleNamespaceObject(namespace)) {
    answer({ kind: 'thenExport' });
    return;
  }
  let value: unknown;
  const exported = namespace['default'];
  try {
    value = await Promise.resolve(exported);
  } catch (error) {
    // isPromise runs no trap of a Proxy (instanceof would run getPrototypeOf).
    answer({ kind: 'failed', stage: types.isPromise(exported) ? 'promise' : 'then', thrown: describe(error) });
    return;
  }
  // Read here, once, into plain data: a getter or a Proxy trap that throws (its message may be a
  // secret) is this file's failure, not an internal error later in the validation.
  let data: unknown;
  try {
    data = plainData(value, 0);
  } catch (error) {
    answer({ kind: 'failed', stage: 'reading', thrown: describe(error) });
    return;
  }
  // The warnings the config raised go first: Node emits each a tick after it is raised.
  await new Promise((resolve) => setImmediate(resolve));
  // And what it printed: the main thread ends this thread as soon as the value arrives.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  if (answered) return;
  try {
    port.postMessage({ kind: 'value', value: data } satisfies WorkerMessage);
    answered = true;
  } catch (error) {
    // A function or a symbol cannot be copied to the main thread (DataCloneError); anything else
    // is a getter deeper than plainData goes, throwing as the copy read it.
    const notData = error instanceof Error && error.name === 'DataCloneError';
    answer(notData ? { kind: 'notData' } : { kind: 'failed', stage: 'reading', thrown: describe(error) });
  }
}

/** Arrays and objects copied key by key (what the validation reads), anything else as it is. */
function plainData(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => plainData(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = plainData((value as Record<string, unknown>)[key], depth + 1);
  return copy;
}

/** What was thrown, by its type, class name and place in the file: never its message. */
function describe(error: unknown): Thrown {
  if (!(error instanceof Error)) {
    return { what: error === null ? 'null' : typeof error, isError: false, name: undefined, line: undefined, column: undefined };
  }
  let name: string | undefined;
  let stack = '';
  try {
    // The class's name only when it looks like one: a name is the program's to set, and could be anything.
    if (typeof error.name === 'string' && /^[A-Za-z]{0,40}Error$/.test(error.name)) name = error.name;
    if (typeof error.stack === 'string') stack = error.stack;
  } catch {
    /* A getter on the error itself that throws: described as "an error", without a place. */
  }
  let line: string | undefined;
  let column: string | undefined;
  for (const candidate of stackNames) {
    const at = stack.indexOf(`${candidate}:`);
    if (at === -1) continue;
    [, line, column] = /^:(\d+)(?::(\d+))?/.exec(stack.slice(at + candidate.length)) ?? [];
    break;
  }
  return { what: 'object', isError: true, name, line, column };
}
