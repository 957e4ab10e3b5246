#!/usr/bin/env node
'use strict';
// The only place that touches `process`: wire the real streams, run, set the exit code.
// CommonJS on purpose: with the bundled dist/cli.cjs, a start loads two files and no ESM loader.
const { main } = require('../dist/cli.cjs');

// First Ctrl-C (or SIGTERM): stop — a single request is aborted, a batch starts nothing new.
// Second: a batch aborts what is in flight, and the process ends within moments at the latest.
// Third: end now.
const stop = new AbortController();
const hard = new AbortController();
let interrupts = 0;
const interrupt = () => {
  interrupts += 1;
  if (interrupts === 1) stop.abort();
  else if (interrupts === 2) {
    hard.abort();
    setTimeout(() => {
      process.stderr.write('wxpay-coupon: interrupted again; stopping now\n');
      process.exit(130);
    }, 2000).unref();
  } else {
    process.stderr.write('wxpay-coupon: interrupted again; stopping now\n');
    process.exit(130);
  }
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);
// A closed stdout (`| head`) ends the run quietly.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  now: Date.now,
  signal: stop.signal,
  hardSignal: hard.signal,
  stdin: () => process.stdin,
  // resourceUsage().maxRSS is in kilobytes.
  peakRss: () => process.resourceUsage().maxRSS * 1024,
  cpuMs: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
}).then((code) => {
  process.exitCode = code;
});
