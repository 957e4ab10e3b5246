/**
 * Starts the worker that evaluates a JS config (src/config-worker.cts, built as
 * dist/config-worker.cjs, next to this module in the library's tsc output). worker_threads is
 * loaded only here: it brings Node's streams (about 2 ms), which a JSON or YAML config never needs.
 * The CLI bundle replaces this module with dist/import-config.cjs (scripts/build.js), a file Node
 * loads itself with require(): the bundle runs from the bin's compile cache through vm.Script,
 * where import.meta has no URL and import() would need vm's experimental importModuleDynamically.
 */
import type { Worker, WorkerOptions } from 'node:worker_threads';

export async function startConfigWorker(options: WorkerOptions): Promise<Worker> {
  const { Worker } = await import('node:worker_threads');
  return new Worker(new URL('./config-worker.cjs', import.meta.url), options);
}
