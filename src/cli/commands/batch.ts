/** `wxpay-coupon token --batch <file|->`: many token pre-orders in one process, as JSON Lines. */
import { createReadStream } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BATCH_PARTIAL_EXIT_CODE, EXIT_CODES, UsageError } from '../../errors.js';
import { StartGate, readLines, runBatch, type BatchStats } from '../../batch.js';
import type { ClientCredentials } from '../../client.js';
import { createClient, type ClientSettings, type CommandContext } from './shared.js';

export interface BatchFlags {
  batch: string;
  concurrency?: string;
  rate?: string;
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const line of readLines(createReadStream(file))) if (typeof line !== 'string' || line.trim() !== '') count += 1;
  return count;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${(ms / 1000).toFixed(1)} s`;
}

export async function runBatchCommand(
  flags: BatchFlags,
  concurrency: number,
  rate: number | undefined,
  credentials: ClientCredentials,
  settings: ClientSettings,
  context: CommandContext,
): Promise<number> {
  const { io, colourErr } = context;
  io.longRunning?.();
  let input: AsyncIterable<Buffer | string>;
  // Only a regular file can be read twice: the ETA's count of its lines. A pipe, a FIFO,
  // /dev/stdin or <(…) is read once, by the run, or the count would drain it.
  let countable: string | undefined;
  if (flags.batch === '-') {
    if (!io.stdin) throw new UsageError('--batch - reads standard input, but there is none', { code: 'NO_STDIN' });
    input = io.stdin();
  } else {
    const file = path.resolve(io.cwd, flags.batch);
    const info = await stat(file).catch(() => undefined);
    if (!info) throw new UsageError(`--batch ${flags.batch}: no such file; pass a JSON Lines file, or - for standard input`, { code: 'BATCH_FILE_MISSING' });
    if (info.isDirectory()) throw new UsageError(`--batch ${flags.batch} is a folder; pass a JSON Lines file`, { code: 'BATCH_FILE_MISSING' });
    if (info.isFile()) countable = file;
    input = createReadStream(file);
  }

  const live = io.stderrIsTTY;
  const total = live && countable !== undefined ? await countLines(countable) : undefined;
  let lastDraw = 0;
  const draw = (stats: BatchStats, force = false): void => {
    const now = io.now();
    if (!live || (!force && now - lastDraw < 100)) return;
    lastDraw = now;
    const done = stats.succeeded + stats.failed;
    const perSecond = stats.elapsedMs > 0 ? (done / stats.elapsedMs) * 1000 : 0;
    const eta = total !== undefined && perSecond > 0 ? `, ETA ${formatDuration(((total - done) / perSecond) * 1000)}` : '';
    io.stderr.write(
      `\r\u001b[K${done}${total !== undefined ? `/${total}` : ''} done, ${stats.failed} failed, ${stats.inFlight} in flight, ${perSecond.toFixed(0)}/s${eta}`,
    );
  };

  // Every request in flight and every paced start listens on the second-Ctrl-C signal at once.
  if (io.hardSignal) setMaxListeners(concurrency * 2 + 16, io.hardSignal);
  const gate = new StartGate(rate, io.now);
  const client = createClient(credentials, settings, context, { gate, signal: io.hardSignal, stopSignal: io.signal });
  // Lines finished in one turn of the event loop leave in one write: a write to a pipe costs
  // about as much CPU as everything else a line needs besides RSA (npm run bench). Flushed in
  // the same turn (setImmediate), so each line still goes out as soon as its predecessors have.
  let pending = '';
  let flushScheduled = false;
  const flush = (): void => {
    flushScheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    io.stdout.write(text);
  };
  const writeLine = (line: string): void => {
    pending += `${line}\n`;
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };
  let stats: BatchStats;
  try {
    stats = await runBatch(readLines(input), client, writeLine, {
      concurrency,
      rate,
      ...(io.signal ? { stopSignal: io.signal } : {}),
      onProgress: (current) => draw(current),
      now: io.now,
    });
  } finally {
    flush();
    await client.close();
  }
  if (live) io.stderr.write('\r\u001b[K');
  const seconds = stats.elapsedMs / 1000;
  const perSecond = seconds > 0 ? (stats.succeeded + stats.failed) / seconds : 0;
  const peak = io.peakRss ? `; peak RSS ${Math.round(io.peakRss() / (1024 * 1024))} MiB` : '';
  const done = stats.succeeded + stats.failed;
  const cpu = io.cpuMs && done > 0 ? `; CPU ${(io.cpuMs() / 1000).toFixed(2)} s (${(io.cpuMs() / done).toFixed(3)} ms a line)` : '';
  const summary =
    `batch: ${stats.lines} line${stats.lines === 1 ? '' : 's'}, ${stats.succeeded} token${stats.succeeded === 1 ? '' : 's'}, ` +
    `${stats.failed} failed in ${formatDuration(stats.elapsedMs)} (${perSecond.toFixed(1)}/s)${peak}${cpu}` +
    (stats.stopped ? '; interrupted: lines after the last one written were not started' : '');
  const colour = stats.stopped || stats.failed > 0 ? colourErr.yellow : colourErr.green;
  io.stderr.write(`${colour(summary)}\n`);
  if (stats.stopped) return EXIT_CODES.interrupted;
  return stats.failed > 0 ? BATCH_PARTIAL_EXIT_CODE : EXIT_CODES.ok;
}
