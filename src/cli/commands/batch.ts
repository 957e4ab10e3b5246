/** `wxpay-coupon token --batch <file|->`: many token pre-orders in one process, as JSON Lines. */
import { createReadStream } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BATCH_PARTIAL_EXIT_CODE, EXIT_CODES, OutputError, UsageError } from '../../errors.js';
import { StartGate, readLines, runBatch, type BatchStats } from '../../batch.js';
import type { ClientCredentials } from '../../client.js';
import { createClient, type ClientSettings, type CommandContext } from './shared.js';
import { errorJson, warn } from '../output.js';
import { fitWidth } from '../help.js';
import { t } from '../../i18n/index.js';
import { jsonLine } from '../../redact.js';

export interface BatchFlags {
  batch: string;
  /** --json: stderr warnings as JSON lines. */
  json?: boolean | undefined;
  concurrency?: string;
  rate?: string;
  /** Said before the summary when the run made a token (the sandbox's note: it is not from WeChat Pay). */
  afterTokens?: (() => void) | undefined;
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const line of readLines(createReadStream(file))) if (typeof line !== 'string' || line.trim() !== '') count += 1;
  return count;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60
    ? t('token.batch.minutes', { minutes: Math.floor(seconds / 60), seconds: seconds % 60 })
    : t('token.batch.seconds', { seconds: (ms / 1000).toFixed(1) });
}

export async function runBatchCommand(
  flags: BatchFlags,
  concurrency: number,
  rate: number | undefined,
  credentials: ClientCredentials,
  settings: ClientSettings,
  context: CommandContext,
): Promise<number> {
  const { io } = context;
  io.longRunning?.();
  const { input, countable } = await openInput(flags.batch, io);
  // `--batch -` typed at a prompt with nothing piped in: say what it waits for.
  if (flags.batch === '-' && io.stdinIsTTY === true && flags.json !== true)
    io.stderr.write(`${context.colourErr.dim(t('token.batch.fromTerminal'))}\n`);
  // A live line rewritten with \r is for people: with --json, stderr carries JSON lines only.
  const live = io.stderrIsTTY && flags.json !== true;
  const total = live && countable !== undefined ? await countLines(countable) : undefined;
  const draw = progressDrawer(io, live, total);

  // A failed write of stdout stops the run as a first Ctrl-C does: the lines answered from then
  // on could not be written, so nothing new is started.
  const outputStop = new AbortController();
  const stopSignal = io.signal ? AbortSignal.any([io.signal, outputStop.signal]) : outputStop.signal;
  // Every request in flight and every paced start listens on these signals at once.
  for (const signal of [io.hardSignal, stopSignal, io.signal]) if (signal) setMaxListeners(concurrency * 2 + 16, signal);
  const gate = new StartGate(rate, io.now);
  const client = createClient(credentials, settings, context, { gate, signal: io.hardSignal, stopSignal });
  const output = new BatchOutput(io.stdout, () => outputStop.abort());
  // The first Ctrl-C is said at once: the requests in flight may take up to --timeout to finish.
  let inFlight = 0;
  const onStop = (): void => {
    if (live) io.stderr.write('\r\u001b[K');
    warn(context, 'BATCH_STOPPING', t('token.batch.stopping', { inFlight }));
  };
  io.signal?.addEventListener('abort', onStop, { once: true });
  let stats: BatchStats;
  try {
    stats = await runBatch(readLines(input), client, output.writeLine, {
      concurrency,
      rate,
      stopSignal,
      onProgress: (current) => {
        inFlight = current.inFlight;
        draw(current);
      },
      onStart: (current) => (inFlight = current.inFlight),
      onWarning: (line, warning) => {
        if (live) io.stderr.write('\r\u001b[K');
        warn(context, warning.code, t('token.batch.lineWarning', { line, message: warning.message }));
      },
      now: io.now,
    });
  } finally {
    io.signal?.removeEventListener('abort', onStop);
    output.flush();
    await client.close();
    // A stop leaves a read of a pipe or terminal pending: close the input, so that nothing waits for it.
    (input as { destroy?: () => void }).destroy?.();
  }
  // The summary tells what was written, so it waits until stdout has taken every line.
  await output.confirmed();
  if (live) io.stderr.write('\r\u001b[K');
  // A run that read no request did not do its job: an empty file, a pipe that gave nothing
  // (`grep … | wxpay-coupon token --batch -` matching no line), or blank lines only.
  if (stats.lines === 0 && !stats.stopped && output.failure === undefined) {
    throw new UsageError(t('token.batch.empty', { batch: flags.batch }), { code: 'BATCH_EMPTY' });
  }
  if (stats.succeeded > 0) flags.afterTokens?.();
  return finish(stats, output, context);
}

/** --batch <file|->: the lines to run, and the file whose lines can be counted for the ETA. */
async function openInput(batch: string, io: CommandContext['io']): Promise<{ input: AsyncIterable<Buffer | string>; countable?: string }> {
  if (batch === '-') {
    if (!io.stdin) throw new UsageError(t('token.batch.noStdin'), { code: 'NO_STDIN' });
    return { input: io.stdin() };
  }
  const file = path.resolve(io.cwd, batch);
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new UsageError(t('token.batch.noFile', { batch }), { code: 'BATCH_FILE_MISSING' });
  if (info.isDirectory()) throw new UsageError(t('token.batch.folder', { batch }), { code: 'BATCH_FILE_MISSING' });
  // /dev/zero or /dev/urandom would be read for ever (helper-39); a terminal is --batch -'s.
  // /dev/null stays what it was: an empty input (BATCH_EMPTY).
  if ((info.isCharacterDevice() && file !== '/dev/null') || info.isBlockDevice() || info.isSocket())
    throw new UsageError(t('token.batch.device', { batch }), { code: 'BATCH_NOT_FILE' });
  // Only a regular file can be read twice: the ETA's count of its lines. A pipe, a FIFO,
  // /dev/stdin or <(…) is read once, by the run, or the count would drain it.
  return { input: createReadStream(file), ...(info.isFile() ? { countable: file } : {}) };
}

/** The progress line on a terminal's stderr, redrawn at most every 100 ms (or when forced). */
function progressDrawer(io: CommandContext['io'], live: boolean, total: number | undefined): (stats: BatchStats, force?: boolean) => void {
  let lastDraw = 0;
  return (stats, force = false) => {
    const now = io.now();
    if (!live || (!force && now - lastDraw < 100)) return;
    lastDraw = now;
    const done = stats.succeeded + stats.failed;
    const perSecond = stats.elapsedMs > 0 ? (done / stats.elapsedMs) * 1000 : 0;
    const eta = total !== undefined && perSecond > 0 ? formatDuration(((total - done) / perSecond) * 1000) : undefined;
    const progress = t('token.batch.progress', {
      done: `${done}${total !== undefined ? `/${total}` : ''}`,
      failed: stats.failed,
      inFlight: stats.inFlight,
      perSecond: perSecond.toFixed(0),
      eta,
    });
    // One column spare: a line that fills the last column wraps on some terminals.
    io.stderr.write(`\r\u001b[K${io.stderrColumns ? fitWidth(progress, io.stderrColumns - 1) : progress}`);
  };
}

/** Answered lines whose write failed: how many, how many of them held a token, their first and last line numbers. */
interface LineRange {
  lines: number;
  tokens: number;
  first: number;
  last: number;
}

/**
 * The answered lines on their way to stdout. Lines finished in one turn of the event loop leave in
 * one write: a write to a pipe costs about as much CPU as everything else a line needs besides RSA
 * (npm run bench). Flushed in the same turn (setImmediate), so each line still goes out as soon as
 * its predecessors have. Keeps what became of them: written, or lost with stdout.
 */
class BatchOutput {
  written = 0;
  readonly lost: LineRange = { lines: 0, tokens: 0, first: 0, last: 0 };
  failure: OutputError | undefined;
  private pending = '';
  private chunk: LineRange = { lines: 0, tokens: 0, first: 0, last: 0 };
  private flushScheduled = false;
  private unconfirmed = 0;
  private allConfirmed: (() => void) | undefined;
  /** The bin's writer takes a callback and tells each write's fate through it. */
  private readonly confirms: boolean;

  constructor(
    private readonly stdout: CommandContext['io']['stdout'],
    private readonly onFailure: () => void,
  ) {
    this.confirms = stdout.write.length >= 2;
  }

  readonly writeLine = (line: string, lineNumber: number, token: boolean): void => {
    this.pending += `${line}\n`;
    if (this.chunk.lines === 0) this.chunk.first = lineNumber;
    this.chunk.last = lineNumber;
    this.chunk.lines += 1;
    if (token) this.chunk.tokens += 1;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  };

  readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.pending === '') return;
    const text = this.pending;
    const chunk = { ...this.chunk };
    this.pending = '';
    this.chunk.lines = 0;
    this.chunk.tokens = 0;
    if (this.failure) {
      this.lose(chunk, this.failure);
      return;
    }
    if (!this.confirms) {
      // A writer without a callback (an in-process caller's): written once write() returns.
      try {
        this.stdout.write(text);
        this.written += chunk.lines;
      } catch (error) {
        this.lose(chunk, error);
      }
      return;
    }
    this.unconfirmed += 1;
    const done = (error?: Error | null): void => {
      this.unconfirmed -= 1;
      if (error) this.lose(chunk, error);
      else this.written += chunk.lines;
      if (this.unconfirmed === 0) this.allConfirmed?.();
    };
    try {
      this.stdout.write(text, done);
    } catch (error) {
      done(error as Error);
    }
  };

  /** Resolves once stdout has told the fate of every write. */
  async confirmed(): Promise<void> {
    if (this.unconfirmed > 0) await new Promise<void>((resolve) => (this.allConfirmed = resolve));
  }

  private lose(chunk: LineRange, error: unknown): void {
    this.failure ??= OutputError.from('stdout', error);
    this.onFailure();
    const lost = this.lost;
    lost.lines += chunk.lines;
    lost.tokens += chunk.tokens;
    if (lost.first === 0 || chunk.first < lost.first) lost.first = chunk.first;
    lost.last = Math.max(lost.last, chunk.last);
  }
}

/** The summary line on stderr (a JSON line with --json), the lost lines if stdout failed, and the exit code. */
function finish(stats: BatchStats, output: BatchOutput, context: CommandContext): number {
  const { io, colourErr } = context;
  if (context.json) {
    io.stderr.write(`${jsonLine({ summary: summaryJson(stats, io, summaryLine(stats, io, output.failure !== undefined)) })}\n`);
  } else {
    const colour = stats.stopped || stats.failed > 0 ? colourErr.yellow : colourErr.green;
    io.stderr.write(`${colour(summaryLine(stats, io, output.failure !== undefined))}\n`);
  }
  if (output.failure) {
    const message = t('token.batch.outputFailed', { message: output.failure.message, lost: lostLines(output) });
    if (context.json) {
      const { written, lost } = output;
      const json = errorJson(output.failure);
      const body = json['error'] as Record<string, unknown>;
      body['message'] = message;
      body['lines_written'] = written;
      body['lines_lost'] =
        lost.lines > 0 ? { count: lost.lines, first: lost.first, last: lost.last, tokens: lost.tokens } : { count: 0, tokens: 0 };
      io.stderr.write(`${jsonLine(json)}\n`);
    } else {
      io.stderr.write(`${colourErr.red.bold('wxpay-coupon:')} ${message}\n`);
    }
    return output.failure.exitCode;
  }
  if (stats.stopped) return EXIT_CODES.interrupted;
  return stats.failed > 0 ? BATCH_PARTIAL_EXIT_CODE : EXIT_CODES.ok;
}

/** The summary for scripts: the same figures as summaryLine, as numbers. */
function summaryJson(stats: BatchStats, io: CommandContext['io'], message: string): Record<string, unknown> {
  const done = stats.succeeded + stats.failed;
  return {
    lines: stats.lines,
    tokens: stats.succeeded,
    failed: stats.failed,
    elapsed_ms: Math.round(stats.elapsedMs),
    interrupted: stats.stopped,
    ...(io.peakRss ? { peak_rss_bytes: io.peakRss() } : {}),
    ...(io.cpuMs && done > 0 ? { cpu_ms: Math.round(io.cpuMs()) } : {}),
    message,
  };
}

function summaryLine(stats: BatchStats, io: CommandContext['io'], outputFailed: boolean): string {
  const seconds = stats.elapsedMs / 1000;
  const perSecond = seconds > 0 ? (stats.succeeded + stats.failed) / seconds : 0;
  const peak = io.peakRss ? t('token.batch.peak', { mib: Math.round(io.peakRss() / (1024 * 1024)) }) : '';
  const done = stats.succeeded + stats.failed;
  const cpu =
    io.cpuMs && done > 0 ? t('token.batch.cpu', { seconds: (io.cpuMs() / 1000).toFixed(2), perLine: (io.cpuMs() / done).toFixed(3) }) : '';
  const figures = t('token.batch.summary', {
    lines: stats.lines,
    tokens: stats.succeeded,
    failed: stats.failed,
    duration: formatDuration(stats.elapsedMs),
    perSecond: perSecond.toFixed(1),
  });
  return `${figures}${peak}${cpu}${outputFailed || !stats.stopped ? '' : t('token.batch.interrupted')}`;
}

/** What was written and what was lost with stdout, the tokens among the lost lines named: WeChat Pay issued them. */
function lostLines(output: BatchOutput): string {
  const { written, lost } = output;
  return t('token.batch.lost', { written, lines: lost.lines, first: lost.first, last: lost.last, tokens: lost.tokens });
}
