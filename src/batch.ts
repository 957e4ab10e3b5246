/**
 * Batch pre-orders: JSON Lines in, JSON Lines out in input order, with a concurrency window,
 * a start-rate limit shared by every attempt, and memory bounded by the window, however
 * long the input. Knows nothing of the command line.
 */
import { UsageError, WxpayError, errorToJson } from './errors.js';
import { hideSecretShapesIn, jsonLine, safeToPrint } from './redact.js';
import { FULL_WIDTH_PUNCTUATION, JsonSyntaxError, parseLosslessJson, type LosslessJson } from './json.js';
import { serializeTokenRequest, tokenRequestFromJson, validateTokenRequest } from './coupon.js';
import { TOKEN_PATH, readTokenAnswer, type WxpayClient } from './client.js';
import { sleep } from './retry.js';
import { launchParameters, launchTokenWarning, type LaunchWarning } from './launch.js';
import { t } from './i18n/index.js';

import { DEFAULT_CONCURRENCY } from './settings.js';

/** Batch requests in flight by default: the settings table's (src/settings.ts). */
export { DEFAULT_CONCURRENCY };

/**
 * Paces request starts across the whole run: at most `rate` starts per second, and a 429
 * anywhere pauses every start until its wait is over.
 */
export class StartGate {
  private nextStartAt = 0;
  private pausedUntil = 0;

  constructor(
    private readonly rate: number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when one more request may start. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.now();
      const earliest = Math.max(this.pausedUntil, this.rate ? this.nextStartAt : 0);
      if (earliest <= now) {
        if (this.rate) this.nextStartAt = Math.max(now, this.nextStartAt) + 1000 / this.rate;
        return;
      }
      await sleep(earliest - now, signal);
    }
  }

  /** A 429 was answered: hold every start for this long. */
  throttle(delayMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + delayMs);
  }
}

/**
 * The longest input line read, in bytes, not counting its line break. A valid request line is
 * far shorter (open_id and each coupon id at most 64 characters, one stock): this bounds what one
 * line can cost, in memory and in time.
 */
export const MAX_LINE_BYTES = 1024 * 1024;
/** How much of an overlong line its error quotes. */
const QUOTED_PREFIX_BYTES = 48;

/** A line longer than the cap: only its length and first few bytes were kept. */
export interface OverlongLine {
  readonly overlong: true;
  readonly bytes: number;
  readonly prefix: string;
}

/**
 * Splits a byte stream into lines in linear time, never holding more than one chunk plus one line
 * of at most `maxBytes`: a longer line is skipped to its line break as it streams past and comes
 * out as an OverlongLine. A line break is \n, optionally after \r; a UTF-8 BOM at the start is dropped.
 */
export async function* readLines(
  stream: AsyncIterable<Buffer | string>,
  maxBytes: number = MAX_LINE_BYTES,
): AsyncGenerator<string | OverlongLine> {
  let parts: Buffer[] = [];
  let length = 0;
  let prefix: Buffer | undefined;
  let first = true;
  const finish = (): string | OverlongLine => {
    let line: string | OverlongLine;
    const carriageReturn = prefix === undefined && length > 0 && lastByte(parts) === 13;
    const content = carriageReturn ? length - 1 : length;
    if (prefix !== undefined || content > maxBytes) {
      const head = prefix ?? Buffer.concat(parts).subarray(0, QUOTED_PREFIX_BYTES);
      // A character cut in two at the end of the quote is left out, not shown as U+FFFD.
      line = { overlong: true, bytes: content, prefix: head.toString('utf8').replace(/\uFFFD$/, '') };
    } else {
      const bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
      let text = bytes.toString('utf8', 0, content);
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      line = text;
    }
    first = false;
    parts = [];
    length = 0;
    prefix = undefined;
    return line;
  };
  for await (const raw of stream) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      const end = newline < 0 ? chunk.length : newline;
      if (end > start) {
        // One byte over the cap is kept for a possible \r before the line break.
        if (prefix === undefined && length + (end - start) > maxBytes + 1) {
          prefix = Buffer.concat([...parts, chunk.subarray(start, Math.min(end, start + QUOTED_PREFIX_BYTES))]).subarray(
            0,
            QUOTED_PREFIX_BYTES,
          );
          parts = [];
        } else if (prefix === undefined) {
          parts.push(chunk.subarray(start, end));
        }
        length += end - start;
      }
      if (newline < 0) break;
      yield finish();
      start = newline + 1;
    }
  }
  if (length > 0) yield finish();
}

function lastByte(parts: readonly Buffer[]): number | undefined {
  const last = parts[parts.length - 1];
  return last === undefined ? undefined : last[last.length - 1];
}

function formatBytes(bytes: number): string {
  return bytes.toLocaleString('en-US');
}

/** The error of a line over the cap: its length and a short quote, never the whole value. */
export function overlongLineError(line: number, overlong: OverlongLine): UsageError {
  const bytes = formatBytes(overlong.bytes);
  return new UsageError(t('token.batch.lineTooLong', { line, bytes, max: formatBytes(MAX_LINE_BYTES), prefix: overlong.prefix }), {
    code: 'LINE_TOO_LONG',
  });
}

export interface BatchStats {
  lines: number;
  succeeded: number;
  failed: number;
  inFlight: number;
  startedAt: number;
  elapsedMs: number;
  /** True when a stop was asked for at any moment of the run (reading, in flight, at the gate, in a backoff). */
  stopped: boolean;
}

export interface BatchOptions {
  concurrency?: number;
  /** Requests started per second, retries included; undefined: no limit. */
  rate?: number | undefined;
  /**
   * First Ctrl-C: read no more lines and start nothing new, let what is in flight finish. The
   * client must have been given the same signal as its stopSignal, so that no attempt (a line
   * waiting at the gate, a retry) starts either.
   */
  stopSignal?: AbortSignal;
  /** Called whenever a line finishes, for progress displays. */
  onProgress?: (stats: BatchStats) => void;
  /** Called whenever a line starts (the CLI's first-Ctrl-C line says how many are in flight). */
  onStart?: (stats: BatchStats) => void;
  /** Told of a line whose token the launch page may refuse (longer than 64 characters, P6). */
  onWarning?: (line: number, warning: LaunchWarning) => void;
  now?: () => number;
}

interface Slot {
  line: number;
  output?: string;
  token?: boolean;
}

/**
 * The next input line, or 'stop' as soon as a stop is asked for: a stop must not wait for
 * the next line (stdin may stay open and silent). The listener is removed every time;
 * racing against one long-lived promise instead would keep a reaction per line alive.
 */
function nextOrStop<T>(iterator: AsyncIterator<T>, signal: AbortSignal | undefined): Promise<IteratorResult<T> | 'stop'> {
  if (signal?.aborted) return Promise.resolve('stop');
  if (!signal) return iterator.next();
  return new Promise((resolve, reject) => {
    const onStop = (): void => resolve('stop');
    signal.addEventListener('abort', onStop, { once: true });
    iterator
      .next()
      .finally(() => {
        signal.removeEventListener('abort', onStop);
      })
      .then(resolve, reject);
  });
}

/**
 * Runs every input line through the client and writes one output line per input line, in
 * input order, each as soon as every line before it is written. The client must have been
 * built with `gate` hooks if a rate limit or run-wide 429 backoff is wanted.
 */
export async function runBatch(
  lines: AsyncIterable<string | OverlongLine>,
  client: WxpayClient,
  /** Called with each output line, its input line number and whether it carries a token. */
  write: (line: string, lineNumber: number, token: boolean) => void,
  options: BatchOptions = {},
): Promise<BatchStats> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const now = options.now ?? Date.now;
  const stats: BatchStats = { lines: 0, succeeded: 0, failed: 0, inFlight: 0, startedAt: now(), elapsedMs: 0, stopped: false };
  // Lines started but not yet written, oldest first; never longer than `concurrency`.
  const window: Slot[] = [];
  const freed: Wakeup = {};
  const settle = (): void => {
    writeFinishedLines(window, write);
    stats.elapsedMs = now() - stats.startedAt;
    options.onProgress?.(stats);
    freed.wake?.();
  };
  const handleLine = async (slot: Slot, text: string | OverlongLine): Promise<void> => {
    const answer = await answerLine(slot.line, text, client, options);
    if (answer.token) stats.succeeded += 1;
    else stats.failed += 1;
    slot.token = answer.token;
    slot.output = answer.output;
    stats.inFlight -= 1;
    settle();
  };

  const iterator = lines[Symbol.asyncIterator]();
  let lineNumber = 0;
  const running = new Set<Promise<void>>();
  for (;;) {
    // A stop does not wait for a free slot: nothing more is read anyway.
    while (window.length >= concurrency && !options.stopSignal?.aborted) await waitForWake(freed, options.stopSignal);
    const next = await nextOrStop(iterator, options.stopSignal);
    if (next === 'stop') {
      stats.stopped = true;
      // Not awaited: an async generator's return() waits for the read in flight, and a terminal or
      // a slow producer (`sleep 20 | …`) may give that read nothing for ever. The caller closes it.
      iterator.return?.(undefined).catch(() => {});
      break;
    }
    if (next.done) break;
    lineNumber += 1;
    if (typeof next.value === 'string' && next.value.trim() === '') continue;
    const slot: Slot = { line: lineNumber };
    window.push(slot);
    stats.lines += 1;
    stats.inFlight += 1;
    options.onStart?.(stats);
    const task = handleLine(slot, next.value).finally(() => running.delete(task));
    running.add(task);
  }
  await Promise.all(running);
  if (options.stopSignal?.aborted) stats.stopped = true;
  settle();
  return stats;
}

/** Where a waiting reader is woken: set while it waits for a line to be written. */
interface Wakeup {
  wake?: (() => void) | undefined;
}

/** Resolves at the next `wakeup.wake()` (a line was written) or at a stop. */
async function waitForWake(wakeup: Wakeup, stop: AbortSignal | undefined): Promise<void> {
  let onStop: (() => void) | undefined;
  await new Promise<void>((resolve) => {
    wakeup.wake = resolve;
    onStop = (): void => resolve();
    stop?.addEventListener('abort', onStop, { once: true });
  });
  if (onStop) stop?.removeEventListener('abort', onStop);
  wakeup.wake = undefined;
}

/** Writes the finished lines at the head of the window, in input order, up to the first one still in flight. */
function writeFinishedLines(window: Slot[], write: (line: string, lineNumber: number, token: boolean) => void): void {
  while (window.length > 0 && window[0]?.output !== undefined) {
    const slot = window.shift() as Slot;
    write(slot.output as string, slot.line, slot.token === true);
  }
}

/**
 * One input line through the whole request: its output line (a token or an error, as JSON) and
 * whether it carries a token. Never throws: whatever goes wrong becomes the line's error.
 */
async function answerLine(
  line: number,
  text: string | OverlongLine,
  client: WxpayClient,
  options: BatchOptions,
): Promise<{ output: string; token: boolean }> {
  let openId: string | undefined;
  let output: Record<string, unknown>;
  let token = false;
  try {
    const input = tokenRequestFromJson(parseLine(line, text));
    if (typeof input['open_id'] === 'string') openId = input['open_id'];
    const request = validateTokenRequest(input);
    const response = await client.call('POST', TOKEN_PATH, serializeTokenRequest(request));
    const result = readTokenAnswer(response.body, response.requestId, (options.now ?? Date.now)());
    output = { line, open_id: openId, token: result.token };
    if (result.expires_time !== undefined) output['expires_time'] = result.expires_time;
    if (result.requestId !== undefined) output['request_id'] = result.requestId;
    output['launch'] = launchParameters(client.mchid, result.token);
    const warning = launchTokenWarning(result.token);
    if (warning) options.onWarning?.(line, warning);
    token = true;
  } catch (thrown) {
    const error =
      thrown instanceof WxpayError
        ? thrown
        : new WxpayError('internal', t('token.batch.internal', { reason: thrown instanceof Error ? thrown.message : String(thrown) }), {
            code: 'INTERNAL',
          });
    // The error's words through the same backstop as every other error (a coupon id that is the APIv3 key).
    const json = errorToJson(error);
    output = {
      line,
      ...(openId !== undefined ? { open_id: openId } : {}),
      error: {
        ...json,
        message: safeToPrint(String(json['message'])),
        ...('detail' in json ? { detail: hideSecretShapesIn(json['detail']) } : {}),
      },
    };
  }
  if (output['open_id'] === undefined) delete output['open_id'];
  return { output: jsonLine(output), token };
}

/**
 * The shape of a file that is JSON but not JSON Lines, as a line of it shows it (careless check,
 * helper-41): a JSON array (`[` opens it), an object spread over lines (`{` alone), or CSV (a
 * header naming open_id). Said with the jq command that makes JSON Lines of it.
 */
function notJsonLinesHint(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return t('token.batch.array');
  if (trimmed === '{') return t('token.batch.spread');
  if (!trimmed.startsWith('{') && /^[\w\s"]*open_?id[\w\s"]*,/i.test(trimmed)) return t('token.batch.csv');
  return '';
}

/** A line's JSON value; an overlong line or one that is not JSON is a UsageError naming the line. */
function parseLine(line: number, text: string | OverlongLine): LosslessJson {
  if (typeof text !== 'string') throw overlongLineError(line, text);
  try {
    return parseLosslessJson(text);
  } catch (error) {
    // Full-width punctuation from a Chinese input method is the likely cause: say so.
    const fullWidth = FULL_WIDTH_PUNCTUATION.test(text) ? t('token.batch.fullWidth') : '';
    throw new UsageError(
      t('token.batch.notJson', { line, reason: (error as JsonSyntaxError).message }) + fullWidth + notJsonLinesHint(text),
      {
        code: 'INVALID_JSON',
      },
    );
  }
}
