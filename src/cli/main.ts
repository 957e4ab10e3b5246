/**
 * The one error boundary: runs a command and returns its exit code. Only the bin touches
 * `process`.
 */
import { CommanderError } from 'commander';
import { EXIT_CODES, UsageError } from '../errors.js';
import type { CliIo } from './io.js';
import { colourFor, writeError } from './output.js';
import { createProgram, type ProgramResult } from './program.js';
import { runToken, type CommandContext, type TokenOptions } from './commands/token.js';
import { runSandbox, type SandboxCommandOptions } from './commands/sandbox.js';
import { runCertsDownload, runCertsList } from './commands/certs.js';
import { runDoctor } from './commands/doctor.js';

export type { CliIo } from './io.js';

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
    colour: colourFor(io, io.stdoutIsTTY, colourFlag),
    colourErr: colourFor(io, io.stderrIsTTY, colourFlag),
  };
  const result: ProgramResult = {};
  const program = createProgram(
    io,
    {
      token: (options) => runToken(options as TokenOptions, context),
      sandbox: (options) => runSandbox(options as unknown as SandboxCommandOptions, context),
      certsDownload: (options) => runCertsDownload(options, context),
      certsList: (options) => runCertsList(options, context),
      doctor: (options) => runDoctor(options, context),
    },
    result,
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
      if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync') return EXIT_CODES.usage;
      return writeError(io, commanderUsageError(error), { json, verbose, colour: context.colourErr });
    }
    return writeError(io, error, { json, verbose, colour: context.colourErr });
  }
}
