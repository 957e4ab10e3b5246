/**
 * Batch pre-orders: JSON Lines in, JSON Lines out in input order, with a concurrency window,
 * a start-rate limit shared by every attempt, and memory bounded by the window, however
 * long the input. Knows nothing of the command line.
 */
import { UsageError, WxpayError, errorToJson } from './errors.js';
import { JsonSyntaxError, parseLosslessJson } from './json.js';
import { serializeTokenRequest, tokenRequestFromJson, validateTokenRequest } from './coupon.js';
import { TOKEN_PATH, readTokenAnswer, type WxpayClient } from './client.js';
import { sleep } from './retry.js';
import { launchParameters, launchTokenWarning, type LaunchWarning } from './launch.js';

export const DEFAULT_CONCURRENCY = 8;

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

/** Splits a byte stream into lines without ever holding more than one chunk plus one line. */
export async function* readLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let rest = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = rest.indexOf('\n');
    while (newline >= 0) {
      yield rest.slice(0, newline).replace(/\r$/, '');
      rest = rest.slice(newline + 1);
      newline = rest.indexOf('\n');
    }
  }
  rest += decoder.decode();
  if (rest !== '') yield rest.replace(/\r$/, '');
}

export interface BatchStats {
  lines: number;
  succeeded: number;
  failed: number;
  inFlight: number;
  startedAt: number;
  elapsedMs: number;
  /** True when a stop was asked for before the input ended. */
  stopped: boolean;
}

export interface BatchOptions {
  concurrency?: number;
  /** Requests started per second, retries included; undefined: no limit. */
  rate?: number | undefined;
  /** First Ctrl-C: start nothing new, let what is in flight finish. */
  stopSignal?: AbortSignal;
  /** Called whenever a line finishes, for progress displays. */
  onProgress?: (stats: BatchStats) => void;
  /** Told of a line whose token the launch page may refuse (longer than 64 characters, P6). */
  onWarning?: (line: number, warning: LaunchWarning) => void;
  now?: () => number;
}

interface Slot {
  line: number;
  output?: string;
}

/**
 * The next input line, or 'stop' as soon as a stop is asked for: a stop must not wait for
 * the next line (stdin may stay open and silent). The listener is removed every time;
 * racing against one long-lived promise instead would keep a reaction per line alive.
 */
function nextOrStop(iterator: AsyncIterator<string>, signal: AbortSignal | undefined): Promise<IteratorResult<string> | 'stop'> {
  if (signal?.aborted) return Promise.resolve('stop');
  if (!signal) return iterator.next();
  return new Promise((resolve, reject) => {
    const onStop = (): void => resolve('stop');
    signal.addEventListener('abort', onStop, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener('abort', onStop);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onStop);
        reject(error);
      },
    );
  });
}

/**
 * Runs every input line through the client and writes one output line per input line, in
 * input order, each as soon as every line before it is written. The client must have been
 * built with `gate` hooks if a rate limit or run-wide 429 backoff is wanted.
 */
export async function runBatch(
  lines: AsyncIterable<string>,
  client: WxpayClient,
  write: (line: string) => void,
  options: BatchOptions = {},
): Promise<BatchStats> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const now = options.now ?? Date.now;
  const stats: BatchStats = { lines: 0, succeeded: 0, failed: 0, inFlight: 0, startedAt: now(), elapsedMs: 0, stopped: false };
  // Lines started but not yet written, oldest first; never longer than `concurrency`.
  const window: Slot[] = [];
  let wake: (() => void) | undefined;
  const settle = (): void => {
    while (window.length > 0 && window[0]?.output !== undefined) {
      write((window.shift() as Slot).output as string);
    }
    stats.elapsedMs = now() - stats.startedAt;
    options.onProgress?.(stats);
    wake?.();
  };

  const handleLine = async (slot: Slot, text: string): Promise<void> => {
    let openId: string | undefined;
    let output: Record<string, unknown>;
    try {
      let value;
      try {
        value = parseLosslessJson(text);
      } catch (error) {
        throw new UsageError(`line ${slot.line} is not JSON (${(error as JsonSyntaxError).message})`, { code: 'INVALID_JSON' });
      }
      const input = tokenRequestFromJson(value);
      if (typeof input['open_id'] === 'string') openId = input['open_id'];
      const request = validateTokenRequest(input);
      const response = await client.call('POST', TOKEN_PATH, serializeTokenRequest(request));
      const result = readTokenAnswer(response.body, response.requestId);
      output = { line: slot.line, open_id: openId, token: result.token };
      if (result.expires_time !== undefined) output['expires_time'] = result.expires_time;
      if (result.requestId !== undefined) output['request_id'] = result.requestId;
      output['launch'] = launchParameters(client.mchid, result.token);
      const warning = launchTokenWarning(result.token);
      if (warning) options.onWarning?.(slot.line, warning);
      stats.succeeded += 1;
    } catch (thrown) {
      const error =
        thrown instanceof WxpayError
          ? thrown
          : new WxpayError('internal', `internal error: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { code: 'INTERNAL' });
      output = { line: slot.line, ...(openId !== undefined ? { open_id: openId } : {}), error: errorToJson(error) };
      stats.failed += 1;
    }
    if (output['open_id'] === undefined) delete output['open_id'];
    slot.output = JSON.stringify(output);
    stats.inFlight -= 1;
    settle();
  };

  const iterator = lines[Symbol.asyncIterator]();
  let lineNumber = 0;
  const running = new Set<Promise<void>>();
  for (;;) {
    while (window.length >= concurrency) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    const next = await nextOrStop(iterator, options.stopSignal);
    if (next === 'stop') {
      stats.stopped = true;
      await iterator.return?.(undefined);
      break;
    }
    if (next.done) break;
    lineNumber += 1;
    if (next.value.trim() === '') continue;
    const slot: Slot = { line: lineNumber };
    window.push(slot);
    stats.lines += 1;
    stats.inFlight += 1;
    const task = handleLine(slot, next.value).finally(() => running.delete(task));
    running.add(task);
  }
  await Promise.all(running);
  settle();
  return stats;
}

