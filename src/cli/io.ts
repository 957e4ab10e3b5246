/** The streams and facts a command may touch, injected so tests can run commands in-process (STYLE.md). */
export interface OutputStream {
  write(text: string): unknown;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Terminal width for help text; 80 when not a terminal. */
  columns?: number | undefined;
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM. */
  signal?: AbortSignal;
}
