/**
 * The one error boundary: runs a command and returns its exit code. Only the bin touches
 * `process`.
 */
import { CommanderError } from 'commander';
import { EXIT_CODES, UsageError } from '../errors.js';
import type { CliIo } from './io.js';
import { colourFor, writeError } from './output.js';
import { createProgram, type ProgramResult } from './program.js';
import type { CommandContext } from './commands/shared.js';
import type { TokenOptions } from './commands/token.js';
import type { SandboxCommandOptions } from './commands/sandbox.js';

export type { CliIo } from './io.js';
// For the bin, which turns a failed write of stdout into exit 74 (OUTPUT_FAILED).
export { OutputError, errorToJson } from '../errors.js';

function commanderUsageError(error: CommanderError): UsageError {
  const message = error.message.replace(/^error: /, '');
  const code = error.code.replace(/^commander\./, '').replace(/([A-Z])/g, '_$1').toUpperCase();
  return new UsageError(`${message}; run 'wxpay-coupon --help' for usage`, { code });
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  // Decided before parsing, so that even an unknown flag is reported in the asked-for format.
  const json = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  const colourFlag = !argv.includes('--no-color');
  const context: CommandContext = {
    io,
    colour: await colourFor(io, io.stdoutIsTTY, colourFlag),
    colourErr: await colourFor(io, io.stderrIsTTY, colourFlag),
  };
  const result: ProgramResult = {};
  const program = createProgram(
    io,
    {
      // Each command's code (and node:crypto, undici, cosmiconfig behind it) is loaded only
      // when that command runs: --help and usage errors never pay for it (npm run bench).
      token: async (options) => (await import('./commands/token.js')).runToken(options as TokenOptions, context),
      sandbox: async (options) =>
        (await import('./commands/sandbox.js')).runSandbox(options as unknown as SandboxCommandOptions, context),
      certsDownload: async (options) => (await import('./commands/certs.js')).runCertsDownload(options, context),
      certsList: async (options) => (await import('./commands/certs.js')).runCertsList(options, context),
      doctor: async (options) => (await import('./commands/doctor.js')).runDoctor(options, context),
    },
    result,
    argv,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (result.exitCode === undefined) {
      // No command given: commander printed help; that is a usage error for a script.
      return EXIT_CODES.usage;
    }
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_CODES.ok;
      // `help <command>` asked for help (exit code 0); a bare `wxpay-coupon` or `certs` got it for
      // want of a command (exit code 1), which is a usage error for a script.
      if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT_CODES.usage;
      return writeError(io, commanderUsageError(error), { json, verbose, colour: context.colourErr });
    }
    return writeError(io, error, { json, verbose, colour: context.colourErr });
  }
}
