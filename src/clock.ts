/**
 * Milliseconds from an arbitrary start, for measuring how long something took. Not
 * performance.now(): in Node 20 the first touch of the global `performance` loads perf_hooks,
 * ~2 ms of every call's start-up (npm run bench).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
