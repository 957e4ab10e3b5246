/**
 * Milliseconds from an arbitrary start, for measuring how long something took. Not
 * performance.now(): in Node 20 the first touch of the global `performance` loads perf_hooks,
 * ~2 ms of every call's start-up (npm run bench).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** RFC 3339 in China Standard Time, like WeChat Pay writes it: 2015-05-20T13:29:35+08:00. */
export function formatChinaTime(milliseconds: number): string {
  return `${new Date(milliseconds + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
