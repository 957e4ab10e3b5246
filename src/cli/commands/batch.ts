/** `wxpay-coupon token --batch <file|->`: many token pre-orders in one process, as JSON Lines. */
import { createReadStream } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BATCH_PARTIAL_EXIT_CODE, EXIT_CODES, OutputError, UsageError } from '../../errors.js';
import { StartGate, readLines, runBatch, type BatchStats } from '../../batch.js';
import type { ClientCredentials } from '../../client.js';
import { createClient, type ClientSettings, type CommandContext } from './shared.js';
import { warn } from '../output.js';

export interface BatchFlags {
  batch: string;
  /** --json: stderr warnings as JSON lines. */
  json?: boolean | undefined;
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

  // A failed write of stdout stops the run as a first Ctrl-C does: the lines answered from then
  // on could not be written, so nothing new is started.
  const outputStop = new AbortController();
  const stopSignal = io.signal ? AbortSignal.any([io.signal, outputStop.signal]) : outputStop.signal;
  // Every request in flight and every paced start listens on these signals at once.
  for (const signal of [io.hardSignal, stopSignal, io.signal]) if (signal) setMaxListeners(concurrency * 2 + 16, signal);
  const gate = new StartGate(rate, io.now);
  const client = createClient(credentials, settings, context, { gate, signal: io.hardSignal, stopSignal });
  // Lines finished in one turn of the event loop leave in one write: a write to a pipe costs
  // about as much CPU as everything else a line needs besides RSA (npm run bench). Flushed in
  // the same turn (setImmediate), so each line still goes out as soon as its predecessors have.
  // What became of the answered lines: written, or lost with stdout (their first and last line numbers).
  let pending = '';
  let pendingLines = 0;
  let pendingTokens = 0;
  let pendingFirst = 0;
  let pendingLast = 0;
  let written = 0;
  const lost = { lines: 0, tokens: 0, first: 0, last: 0 };
  let outputFailure: OutputError | undefined;
  let unconfirmed = 0;
  let allConfirmed: (() => void) | undefined;
  const loseChunk = (lines: number, tokens: number, first: number, last: number, error: unknown): void => {
    outputFailure ??= OutputError.from('stdout', error);
    outputStop.abort();
    lost.lines += lines;
    lost.tokens += tokens;
    if (lost.first === 0 || first < lost.first) lost.first = first;
    lost.last = Math.max(lost.last, last);
  };
  // The bin's writer takes a callback and tells each write's fate through it.
  const confirms = io.stdout.write.length >= 2;
  let flushScheduled = false;
  const flush = (): void => {
    flushScheduled = false;
    if (pending === '') return;
    const text = pending;
    const [lines, tokens, first, last] = [pendingLines, pendingTokens, pendingFirst, pendingLast];
    pending = '';
    pendingLines = 0;
    pendingTokens = 0;
    if (outputFailure) {
      loseChunk(lines, tokens, first, last, outputFailure);
      return;
    }
    if (!confirms) {
      // A writer without a callback (an in-process caller's): written once write() returns.
      try {
        io.stdout.write(text);
        written += lines;
      } catch (error) {
        loseChunk(lines, tokens, first, last, error);
      }
      return;
    }
    unconfirmed += 1;
    const done = (error?: Error | null): void => {
      unconfirmed -= 1;
      if (error) loseChunk(lines, tokens, first, last, error);
      else written += lines;
      if (unconfirmed === 0) allConfirmed?.();
    };
    try {
      io.stdout.write(text, done);
    } catch (error) {
      done(error as Error);
    }
  };
  const writeLine = (line: string, lineNumber: number, token: boolean): void => {
    pending += `${line}\n`;
    if (pendingLines === 0) pendingFirst = lineNumber;
    pendingLast = lineNumber;
    pendingLines += 1;
    if (token) pendingTokens += 1;
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
      stopSignal,
      onProgress: (current) => draw(current),
      onWarning: (line, warning) => {
        if (live) io.stderr.write('\r\u001b[K');
        warn(context, warning.code, `line ${line}: ${warning.message}`);
      },
      now: io.now,
    });
  } finally {
    flush();
    await client.close();
  }
  // The summary tells what was written, so it waits until stdout has taken every line.
  if (unconfirmed > 0) await new Promise<void>((resolve) => (allConfirmed = resolve));
  if (live) io.stderr.write('\r\u001b[K');
  const seconds = stats.elapsedMs / 1000;
  const perSecond = seconds > 0 ? (stats.succeeded + stats.failed) / seconds : 0;
  const peak = io.peakRss ? `; peak RSS ${Math.round(io.peakRss() / (1024 * 1024))} MiB` : '';
  const done = stats.succeeded + stats.failed;
  const cpu = io.cpuMs && done > 0 ? `; CPU ${(io.cpuMs() / 1000).toFixed(2)} s (${(io.cpuMs() / done).toFixed(3)} ms a line)` : '';
  const summary =
    `batch: ${stats.lines} line${stats.lines === 1 ? '' : 's'}, ${stats.succeeded} token${stats.succeeded === 1 ? '' : 's'}, ` +
    `${stats.failed} failed in ${formatDuration(stats.elapsedMs)} (${perSecond.toFixed(1)}/s)${peak}${cpu}` +
    (outputFailure
      ? ''
      : stats.stopped
        ? '; interrupted: lines after the last one written were not started'
        : '');
  const colour = stats.stopped || stats.failed > 0 ? colourErr.yellow : colourErr.green;
  // --json: stderr carries JSON lines only (README, Output), the summary and an output failure too.
  const summaryJson = { summary: { lines: stats.lines, tokens: stats.succeeded, failed: stats.failed, message: summary } };
  io.stderr.write(flags.json ? `${JSON.stringify(summaryJson)}\n` : `${colour(summary)}\n`);
  if (outputFailure) {
    const range = lost.first === lost.last ? `line ${lost.first}` : `lines ${lost.first}\u2013${lost.last}`;
    const { exitCode, code } = outputFailure;
    const plain = (message: string): string =>
      flags.json ? `${JSON.stringify({ error: { exit_code: exitCode, kind: 'output', code, message } })}\n` : `${colourErr.red.bold('wxpay-coupon:')} ${message}\n`;
    io.stderr.write(
      plain(`${outputFailure.message}; stopped, nothing new was started. ` +
        `${written} line${written === 1 ? ' was' : 's were'} written; ${lost.lines} more could not be (${range} of the input): ` +
        (lost.tokens > 0
          ? `${lost.tokens} answered with a token, which ${lost.tokens === 1 ? 'is' : 'are'} lost (WeChat Pay issued ${lost.tokens === 1 ? 'it' : 'them'}; ` +
            `request ${lost.tokens === 1 ? 'it' : 'them'} again), and ${lost.lines - lost.tokens} error line${lost.lines - lost.tokens === 1 ? '' : 's'}`
          : `all ${lost.lines} error line${lost.lines === 1 ? '' : 's'}, no token lost`)),
    );
    return outputFailure.exitCode;
  }
  if (stats.stopped) return EXIT_CODES.interrupted;
  return stats.failed > 0 ? BATCH_PARTIAL_EXIT_CODE : EXIT_CODES.ok;
}
