/** The streams and facts a command may touch, injected so tests can run commands in-process (docs/style.md). */
export interface OutputStream {
  /**
   * Writes text (bytes only where they must pass unchanged: `api` printing an answer that is not
   * UTF-8). A failed write of stdout throws an OutputError, or, when `done` is given, calls
   * `done` with it; `done`, when given, is called once the text is written (no argument) or
   * could not be; a writer that declares the parameter must call it (batch then waits for it
   * before its summary), one that does not is taken to have written the text when write() returns.
   * A closed pipe on stdout (EPIPE) ends the process quietly; stderr never throws.
   */
  write(text: string | Uint8Array, done?: (error?: Error | null) => void): unknown;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** True when standard input is a terminal (`--batch -` then says it is waiting for typed lines). */
  stdinIsTTY?: boolean;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Terminal width for help text; 80 when not a terminal. */
  columns?: number | undefined;
  /** stderr's terminal width, when stderr is a terminal: batch progress is fitted to it. */
  stderrColumns?: number | undefined;
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM. */
  signal?: AbortSignal;
  /** Aborted on a second Ctrl-C or SIGTERM: batch runs then abort what is in flight. */
  hardSignal?: AbortSignal;
  /** For `--batch -`; a function, because merely touching process.stdin costs every start a few ms. */
  stdin?: () => AsyncIterable<Buffer | string>;
  /** Peak resident memory of this process in bytes, for the batch summary; left out in tests in-process. */
  peakRss?: () => number;
  /**
   * True when the process ends as soon as the command returns (the bin). A one-shot command then
   * leaves its idle keep-alive connection to the exit (undici unrefs idle sockets, so it holds
   * nothing open): closing it first would make Node create process.stderr, as it does whenever a
   * socket is destroyed. In-process callers (tests) leave it unset and get every connection closed.
   */
  exitsAfterCommand?: boolean;
  /**
   * Called by the commands that run for long (batch, sandbox): from then on, writes must never
   * block the event loop while a reader is slow (the bin then writes through Node's streams; until
   * then it may write a pipe or file synchronously, which a short command finishes sooner).
   */
  longRunning?: () => void;
  /**
   * The bin, with --json: hands Node's own process warnings to `listener` instead of letting Node
   * print them as text.
   */
  nodeWarnings?: (listener: (warning: { name: string; message: string; code?: string | undefined }) => void) => void;
  /** CPU time (user + system) this process has used, in milliseconds, for the batch summary. */
  cpuMs?: () => number;
}
