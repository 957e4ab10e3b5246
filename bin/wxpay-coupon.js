#!/usr/bin/env node
// The only place that touches `process`: wire the real streams, run, set the exit code.
import { main } from '../dist/cli/main.js';

const controller = new AbortController();
let interrupts = 0;
const interrupt = () => {
  interrupts += 1;
  // A second Ctrl-C does not wait for a graceful stop.
  if (interrupts > 1) {
    process.stderr.write('wxpay-coupon: interrupted again; stopping now\n');
    process.exit(130);
  }
  controller.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);
// A closed stdout (`| head`) ends the run quietly.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  now: Date.now,
  signal: controller.signal,
});
