/**
 * The one error boundary: runs a command and returns its exit code. Only the bin touches
 * `process`.
 */
import { CommanderError } from 'commander';
import { EXIT_CODES, UsageError } from '../errors.js';
import type { CliIo } from './io.js';
import { colourFor, warningJson, writeError, type Warning } from './output.js';
import { createProgram, scanArgv, type ProgramResult } from './program.js';
import type { CommandContext } from './commands/shared.js';
import type { TokenOptions } from './commands/token.js';
import type { SandboxCommandOptions } from './commands/sandbox.js';

export type { CliIo } from './io.js';
// For the bin, which turns a failed write of stdout into exit 74 (OUTPUT_FAILED).
export { OutputError, errorToJson } from '../errors.js';

/**
 * Commander's message, made one line and without its closing full stop, then our hint:
 * "unknown command 'tokn' (Did you mean token?); run 'wxpay-coupon --help' for usage".
 */
function commanderUsageError(error: CommanderError, commandPath: string): UsageError {
  const message = error.message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[.;:\s]+$/, '');
  const code = error.code.replace(/^commander\./, '').replace(/([A-Z])/g, '_$1').toUpperCase();
  return new UsageError(`${message}; run '${commandPath} --help' for usage`, { code });
}

/** `--open-id --json`: the option's value is missing, and the flag after it must not be taken for it. */
function flagAsValueError(option: string, next: string, commandPath: string): UsageError {
  // Quoted only when it is shaped like a flag: an argument may be anything, a secret included.
  const what = /^--?[A-Za-z][A-Za-z0-9-]*$/.test(next) ? `, ${next}, is a flag` : " starts with '-' like a flag";
  return new UsageError(
    `${option} needs a value, but the next argument${what} (an empty variable?); give ${option} a value, ` +
      `or write ${option}=<value> for a value that starts with '-'; run '${commandPath} --help' for usage`,
    { code: 'OPTION_MISSING_ARGUMENT' },
  );
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const result: ProgramResult = {};
  // Set below, before any handler can run.
  let context: CommandContext | undefined;
  const ready = (): CommandContext => context as CommandContext;
  const program = createProgram(
    io,
    {
      // Each command's code (and node:crypto, undici, cosmiconfig behind it) is loaded only
      // when that command runs: --help and usage errors never pay for it (npm run bench).
      token: async (options) => (await import('./commands/token.js')).runToken(options as TokenOptions, ready()),
      sandbox: async (options) =>
        (await import('./commands/sandbox.js')).runSandbox(options as unknown as SandboxCommandOptions, ready()),
      certsDownload: async (options) => (await import('./commands/certs.js')).runCertsDownload(options, ready()),
      certsList: async (options) => (await import('./commands/certs.js')).runCertsList(options, ready()),
      doctor: async (options) => (await import('./commands/doctor.js')).runDoctor(options, ready()),
      api: async (method, path, options) => (await import('./commands/api.js')).runApi(method, path, options, ready()),
      notifyVerify: async (file, options) => (await import('./commands/notify.js')).runNotifyVerify(file, options, ready()),
      notifySend: async (options) => (await import('./commands/notify.js')).runNotifySend(options, ready()),
    },
    result,
    argv,
  );
  // Decided before parsing, so that even an unknown flag is reported in the asked-for format; from
  // the flags given, not from option values or from arguments after `--`.
  const scan = scanArgv(program, argv);
  const json = scan.flags.has('--json');
  const verbose = scan.flags.has('--verbose');
  const colourFlag = !scan.flags.has('--no-color');
  const colourErr = await colourFor(io, io.stderrIsTTY, colourFlag);
  // Warnings: a line each on stderr; with --json, JSON only: held back until the command ends and
  // then written as {"warning":{"code","message"}} lines, or folded into the error object if it
  // fails (so that stderr holds one error object a script can read), or written when a
  // long-running command (batch, sandbox) starts.
  const pending: Warning[] = [];
  const flush = (): void => {
    for (const warning of pending.splice(0)) io.stderr.write(`${JSON.stringify(warningJson(warning))}\n`);
  };
  // Set when the command has ended, or a long-running one has started: a warning is then written at once.
  let done = false;
  const warn = (warning: Warning): void => {
    if (json && done) io.stderr.write(`${JSON.stringify(warningJson(warning))}\n`);
    else if (json) pending.push(warning);
    else io.stderr.write(`${colourErr.yellow('warning:')} ${warning.message}\n`);
  };
  // Node's own warnings (ExperimentalWarning, DeprecationWarning …, from a user's JS config or
  // NODE_OPTIONS): with --json the bin hands them here instead of letting Node print them.
  if (json) io.nodeWarnings?.((warning) => warn(nodeWarning(warning)));
  const commandIo: CliIo = Object.create(io, {
    longRunning: {
      value: (): void => {
        flush();
        done = true;
        io.longRunning?.();
      },
    },
  });
  context = {
    io: commandIo,
    colour: await colourFor(io, io.stdoutIsTTY, colourFlag),
    colourErr,
    json,
    warn,
  };
  // Node emits a process warning a turn or two after it is raised: with --json, one event-loop
  // turn is given to any still on their way, so that they are folded in rather than written after.
  const settle = async (): Promise<void> => {
    if (json && io.nodeWarnings) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const failed = async (error: unknown): Promise<number> => {
    await settle();
    done = true;
    return writeError(io, error, { json, verbose, colour: colourErr, warnings: pending.splice(0) });
  };
  if (scan.flagAsValue) {
    return await failed(flagAsValueError(scan.flagAsValue.option, scan.flagAsValue.next, scan.commandPath));
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    await settle();
    done = true;
    flush();
    if (result.exitCode === undefined) {
      // No command given: commander printed help; that is a usage error for a script.
      return EXIT_CODES.usage;
    }
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      flush();
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_CODES.ok;
      // `help <command>` asked for help (exit code 0); a bare `wxpay-coupon` or `certs` got it for
      // want of a command (exit code 1), which is a usage error for a script.
      if (error.code === 'commander.help') return scan.helpCommand === true || error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT_CODES.usage;
      return await failed(commanderUsageError(error, scan.commandPath));
    }
    return await failed(error);
  }
}

/** ExperimentalWarning → NODE_EXPERIMENTAL_WARNING; the message says which. */
function nodeWarning(warning: { name: string; message: string; code?: string | undefined }): Warning {
  const name = /^[A-Za-z]{1,60}$/.test(warning.name) ? warning.name : 'Warning';
  return {
    code: `NODE_${name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
    message: `${name}${warning.code ? ` ${warning.code}` : ''}: ${warning.message}`,
  };
}
