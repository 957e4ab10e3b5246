/**
 * The one error boundary: runs a command and returns its exit code. Only the bin touches
 * `process`.
 */
import { CommanderError } from 'commander';
import { EXIT_CODES, UsageError, WxpayError } from '../errors.js';
import { chooseLanguage, t, useLanguage, type LanguageChoice } from '../i18n/index.js';
import type { InvalidReason, OptionSource } from '../i18n/en/cli.js';
import type { CliIo } from './io.js';
import { colourFor, writeError } from './output.js';
import { createProgram, flagName, longFlagsOf, scanArgv, type ProgramHandlers, type ProgramResult } from './program.js';
import { createWarningSink, type WarningSink } from './warnings.js';
import { asciiOfFullWidth } from '../full-width.js';
import type { CommandContext } from './commands/shared.js';
import type { SandboxCommandOptions } from './commands/sandbox.js';

export type { CliIo } from './io.js';
// For the bin, which turns a failed write of stdout into exit 74 (OUTPUT_FAILED).
export { OutputError, errorToJson } from '../errors.js';

/** The bin's own lines (after its "wxpay-coupon: "), in the language main() chose: the bin loads no catalogue itself. */
export const binMessages = {
  interruptedAgain: (): string => t('cli.bin.interruptedAgain'),
  internal: (reason: string): string => t('cli.bin.internal', { reason }),
  stoppedEarly: (): string => t('cli.bin.stoppedEarly'),
};

/**
 * Commander's message, made one line and without its closing full stop, then our hint:
 * "unknown command 'tokn' (Did you mean token?); run 'wxpay-coupon --help' for usage". The
 * message is rendered from our catalogue by its code, with the values commander's names.
 */
export function commanderUsageError(
  error: CommanderError,
  commandPath: string,
  flags: ReadonlySet<string> = new Set(),
  argv: readonly string[] = [],
  known: ReadonlySet<string> = new Set(),
): UsageError {
  const message =
    oneLine(commanderMessage(error, flags) ?? error.message.replace(/^error: /, '')) +
    spacedWordHint(argv) +
    mistypedFlagHint(error, known);
  const code = error.code
    .replace(/^commander\./, '')
    .replace(/([A-Z])/g, '_$1')
    .toUpperCase();
  return new UsageError(t('cli.usage.hint', { message, commandPath }), { code });
}

/**
 * `'doctor<U+3000>--online'`, `api 'GET<U+3000>/v3/certificates'`: a full-width space (a Chinese input
 * method's) inside a word commander was given, so that it is an unknown command or a missing argument.
 * Said after commander's message unless that already names it (a flag joined to its value).
 */
function spacedWordHint(argv: readonly string[]): string {
  const end = argv.indexOf('--');
  const spaced = (end < 0 ? argv : argv.slice(0, end)).find((arg) => /^[^\u3000\s]+\u3000/u.test(arg) && !arg.startsWith('-'));
  return spaced === undefined ? '' : t('cli.fullWidthSpaceAfter', { word: spaced.slice(0, spaced.indexOf('\u3000')) });
}

/**
 * An unknown option commander found no suggestion for, that is a known long flag typed with one
 * dash (`-json`) or in full-width letters (`--ｊｓｏｎ`, a Chinese input method's full-width mode):
 * the flag meant (careless check, helper-41).
 */
function mistypedFlagHint(error: CommanderError, known: ReadonlySet<string>): string {
  if (error.code !== 'commander.unknownOption') return '';
  const found = /^error: unknown option '(.*?)'$/s.exec(error.message);
  if (!found) return '';
  const flag = (found[1] as string).replace(/=.*$/s, '');
  const ascii = asciiOfFullWidth(flag);
  if (ascii !== flag && known.has(ascii)) return t('cli.fullWidthFlag', { flag: ascii });
  if (/^-[A-Za-z][A-Za-z0-9-]+$/.test(flag) && known.has(`-${flag}`)) return t('cli.singleDash', { flag: `-${flag}` });
  return '';
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').replace(/[.;:\s]+$/, '');
}

/** "\n(Did you mean --json?)" → ['--json']. */
function suggestionsIn(text: string | undefined): string[] {
  const found = text === undefined ? undefined : /^\n\(Did you mean (?:one of )?(.*)\?\)$/s.exec(text);
  return found ? (found[1] as string).split(', ') : [];
}

/** Commander's reason for an invalid value: its choices, or its own words. */
function reasonIn(text: string): InvalidReason {
  const choices = /^Allowed choices are (.*)\.$/s.exec(text);
  return choices ? { choices: (choices[1] as string).split(', ') } : { text: text.replace(/\.$/, '') };
}

/** `option '-q, --quiet'` or `environment variable 'X'`, as commander names a conflicting option. */
function sourceIn(text: string): OptionSource {
  const env = /^environment variable '(.*)'$/s.exec(text);
  return env ? { kind: 'env', name: env[1] as string } : { kind: 'option', name: text.replace(/^option '(.*)'$/s, '$1') };
}

/** Commander's error (commander 14's wording) in the chosen language; undefined for one it words otherwise. */
function commanderMessage(error: CommanderError, flags: ReadonlySet<string>): string | undefined {
  const text = error.message;
  let found: RegExpExecArray | null;
  switch (error.code) {
    case 'commander.unknownOption':
      found = /^error: unknown option '(.*?)'(\n\(Did you mean .*\?\))?$/s.exec(text);
      return found
        ? t('cli.commander.unknownOption', { flag: found[1] as string, suggestions: suggestionsIn(found[2]) }) +
            fullWidthSpaceHint(found[1] as string)
        : undefined;
    case 'commander.unknownCommand':
      found = /^error: unknown command '(.*?)'(\n\(Did you mean .*\?\))?$/s.exec(text);
      return found ? t('cli.commander.unknownCommand', { name: found[1] as string, suggestions: suggestionsIn(found[2]) }) : undefined;
    case 'commander.missingArgument':
      found = /^error: missing required argument '(.*)'$/s.exec(text);
      return found ? t('cli.commander.missingArgument', { name: found[1] as string }) : undefined;
    case 'commander.optionMissingArgument':
      found = /^error: option '(.*)' argument missing$/s.exec(text);
      return found ? t('cli.commander.optionMissingArgument', { flags: found[1] as string }) : undefined;
    case 'commander.missingMandatoryOptionValue':
      found = /^error: required option '(.*)' not specified$/s.exec(text);
      return found ? t('cli.commander.missingMandatoryOptionValue', { flags: found[1] as string }) : undefined;
    case 'commander.conflictingOption':
      found = /^error: ((?:option|environment variable) '.*?') cannot be used with ((?:option|environment variable) '.*')$/s.exec(text);
      return found
        ? t('cli.commander.conflictingOption', { option: sourceIn(found[1] as string), other: sourceIn(found[2] as string) })
        : undefined;
    case 'commander.excessArguments':
      found = /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/s.exec(text);
      return found
        ? t('cli.commander.excessArguments', { command: found[1], expected: Number(found[2]), got: Number(found[3]) }) +
            // `token oUser --coupon …`: the openid given without its flag.
            (found[1] === 'token' && !flags.has('--open-id') && !flags.has('--batch') ? t('cli.token.noArguments') : '')
        : undefined;
    case 'commander.invalidArgument':
      return invalidArgumentMessage(text);
    default:
      return undefined;
  }
}

/**
 * `'--open-id<U+3000>oUser'`, `--open-id＝oUser`, `--open-id：oUser`: a full-width space, equals sign or
 * colon (a Chinese input method's) joined the flag and its value.
 */
function fullWidthSpaceHint(flag: string): string {
  const found = /^(--?[A-Za-z][A-Za-z0-9-]*)([\u3000\uff1d\uff1a])/u.exec(flag);
  if (!found) return '';
  const [, name, character] = found as unknown as [string, string, string];
  return character === '\u3000' ? t('cli.fullWidthSpace', { flag: name }) : t('cli.fullWidthEquals', { flag: name, character });
}

function invalidArgumentMessage(text: string): string | undefined {
  let found = /^error: option '(.*?)' argument '(.*?)' is invalid\. (.*)$/s.exec(text);
  if (found)
    return t('cli.commander.invalidOptionArgument', {
      flags: found[1] as string,
      value: found[2] as string,
      reason: reasonIn(found[3] as string),
    });
  found = /^error: option '(.*?)' value '(.*?)' from env '(.*?)' is invalid\. (.*)$/s.exec(text);
  if (found) {
    const [, flags, value, env, reason] = found as unknown as [string, string, string, string, string];
    return t('cli.commander.invalidEnvArgument', { flags, value, env, reason: reasonIn(reason) });
  }
  found = /^error: command-argument value '(.*?)' is invalid for argument '(.*?)'\. (.*)$/s.exec(text);
  if (found)
    return t('cli.commander.invalidCommandArgument', {
      value: found[1] as string,
      name: found[2] as string,
      reason: reasonIn(found[3] as string),
    });
  return undefined;
}

/** `--open-id --json`: the option's value is missing, and the flag after it must not be taken for it. */
function flagAsValueError(option: string, next: string, commandPath: string): UsageError {
  // Quoted only when it is shaped like a flag: an argument may be anything, a secret included.
  const shown = /^--?[A-Za-z][A-Za-z0-9-]*$/.test(next) ? next : undefined;
  return new UsageError(t('cli.usage.hint', { message: t('cli.flagAsValue', { option, next: shown }), commandPath }), {
    code: 'OPTION_MISSING_ARGUMENT',
  });
}

/** `--lang xx`: quoted only when it is shaped like a language tag (an argument may be anything, a secret included). */
function unsupportedLanguageError(rejected: NonNullable<LanguageChoice['rejected']>): UsageError {
  // Letters of any script and quotes too: `--lang 中文`, `--lang “zh-CN”` (careless check, helper-38).
  const value = /^[\p{L}\p{N}_.@\u2018\u2019\u201c\u201d'"-]{0,32}$/u.test(rejected.value) ? rejected.value : undefined;
  return new UsageError(t('cli.lang.unsupported', { source: rejected.source, value }), { code: 'INVALID_LANG' });
}

export async function main(argvGiven: readonly string[], given: CliIo): Promise<number> {
  // `--help token` asks for token's help, as `help token` does (commander would show the root help).
  const argv =
    (argvGiven[0] === '--help' || argvGiven[0] === '-h') && /^[a-z]/.test(argvGiven[1] ?? '') ? ['help', ...argvGiven.slice(1)] : argvGiven;
  // Before the program is built: its help, and every message after it, are in this language.
  const language = chooseLanguage(argv, given.env);
  await useLanguage(language.language);
  const io = withWorkingFolderCheck(given);
  const result: ProgramResult = {};
  // Set below, before any handler can run: the flags that shape it are read from the program.
  const holder: { context?: CommandContext; helpOnly?: boolean } = {};
  const program = createProgram(
    io,
    helpRunsNothing(
      commandHandlers(() => holder.context as CommandContext),
      () => holder.helpOnly === true,
    ),
    result,
    argv,
  );
  // Decided before parsing, so that even an unknown flag is reported in the asked-for format; from
  // the flags given, not from option values or from arguments after `--`.
  const scan = scanArgv(program, argv);
  holder.helpOnly = scan.helpCommand === true;
  const json = scan.flags.has('--json');
  const verbose = scan.flags.has('--verbose');
  const colourFlag = !scan.flags.has('--no-color');
  const colourErr = await colourFor(io, io.stderrIsTTY, colourFlag);
  const warnings = createWarningSink(io, json, colourErr);
  holder.context = {
    io: withLongRunning(io, warnings),
    colour: await colourFor(io, io.stdoutIsTTY, colourFlag),
    colourErr,
    json,
    warn: warnings.warn,
  };
  const failed = async (error: unknown): Promise<number> => {
    await warnings.settle();
    return writeError(io, error, { json, verbose, colour: colourErr, warnings: warnings.takeHeld() });
  };
  // First: `--lang --json` is a --lang without its value, not the language "--json".
  if (scan.flagAsValue) {
    return await failed(flagAsValueError(scan.flagAsValue.option, scan.flagAsValue.next, scan.commandPath));
  }
  if (language.rejected) return await failed(unsupportedLanguageError(language.rejected));
  if (scan.typographic) {
    const message = t('cli.typographicDash', scan.typographic);
    return await failed(new UsageError(t('cli.usage.hint', { message, commandPath: scan.commandPath }), { code: 'TYPOGRAPHIC_DASH' }));
  }
  if (scan.joined !== undefined) {
    const message = t('cli.fullWidthSpaceBefore', { flag: scan.joined });
    return await failed(new UsageError(t('cli.usage.hint', { message, commandPath: scan.commandPath }), { code: 'FULL_WIDTH_SPACE' }));
  }
  if (scan.repeated) {
    const { flag, count } = scan.repeated;
    return await failed(
      new UsageError(t('cli.usage.hint', { message: t('cli.flagRepeated', { flag, count }), commandPath: scan.commandPath }), {
        code: 'OPTION_REPEATED',
      }),
    );
  }
  try {
    await program.parseAsync([...(scan.helpArgv ?? argv)], { from: 'user' });
    await warnings.settle();
    warnings.release();
    // No command given: commander printed help; that is a usage error for a script.
    return result.exitCode ?? EXIT_CODES.usage;
  } catch (error) {
    if (!(error instanceof CommanderError)) return await failed(error);
    warnings.flush();
    const misplaced = misplacedFlag(error, scan.misplaced);
    if (misplaced !== undefined) {
      return await failed(
        new UsageError(t('cli.flagBeforeCommand', { flag: misplaced, commandPath: scan.commandPath }), { code: 'UNKNOWN_OPTION' }),
      );
    }
    // `help token extra`: a word after the command is help's to refuse, not token's arguments.
    if (scan.helpCommand === true && error.code === 'commander.excessArguments') {
      return await failed(new UsageError(t('cli.help.extraWords', { commandPath: scan.commandPath }), { code: 'EXCESS_ARGUMENTS' }));
    }
    return (
      commanderExitCode(error, scan.helpCommand === true) ??
      (await failed(commanderUsageError(error, scan.commandPath, scan.flags, argv, longFlagsOf(program))))
    );
  }
}

/**
 * Each command's code (and node:crypto, undici, cosmiconfig behind it) is loaded only when that
 * command runs: --help and usage errors never pay for it (npm run bench).
 */
function commandHandlers(context: () => CommandContext): ProgramHandlers {
  return {
    token: async (options) => (await import('./commands/token.js')).runToken(options, context()),
    sandbox: async (options) => (await import('./commands/sandbox.js')).runSandbox(options as unknown as SandboxCommandOptions, context()),
    certsDownload: async (options) => (await import('./commands/certs.js')).runCertsDownload(options, context()),
    certsList: async (options) => (await import('./commands/certs.js')).runCertsList(options, context()),
    doctor: async (options) => (await import('./commands/doctor.js')).runDoctor(options, context()),
    api: async (method, path, options) => (await import('./commands/api.js')).runApi(method, path, options, context()),
    notifyVerify: async (file, options) => (await import('./commands/notify.js')).runNotifyVerify(file, options, context()),
    notifySend: async (options) => (await import('./commands/notify.js')).runNotifySend(options, context()),
  };
}

/**
 * The bin's `cwd` is a getter, and process.cwd() throws (ENOENT, uv_cwd) when the working folder
 * was deleted after the shell went into it: help, --version and usage errors never ask for it, and
 * a command that does (the config search, a relative path) ends with a config error saying so,
 * not a stack trace.
 */
function withWorkingFolderCheck(io: CliIo): CliIo {
  return Object.create(io, {
    cwd: {
      get: (): string => {
        try {
          return io.cwd;
        } catch (error) {
          if ((error as NodeJS.ErrnoException | undefined)?.syscall !== 'uv_cwd') throw error;
          throw new WxpayError('config', t('cli.workingFolderGone'), { code: 'WORKING_FOLDER_GONE' });
        }
      },
    },
  }) as CliIo;
}

/**
 * `help …` shows help and never runs a command, whatever follows it: the words it hands commander
 * (src/cli/program.ts scanArgv) end in --help or in commander's own usage error, and should an
 * argv ever parse cleanly all the same, the command's handler refuses here instead of running.
 */
export function helpRunsNothing(handlers: ProgramHandlers, helpOnly: () => boolean): ProgramHandlers {
  const refuse = (): never => {
    throw new UsageError(t('cli.help.runsNothing'), { code: 'HELP_RUNS_NOTHING' });
  };
  const guarded = {} as Record<string, unknown>;
  for (const [name, handler] of Object.entries(handlers) as [string, (...args: unknown[]) => Promise<number>][]) {
    guarded[name] = (...args: unknown[]): Promise<number> => (helpOnly() ? refuse() : handler(...args));
  }
  return guarded as unknown as ProgramHandlers;
}

/** The commands' io: a long-running command's start writes the warnings held so far, and later ones at once. */
function withLongRunning(io: CliIo, warnings: WarningSink): CliIo {
  return Object.create(io, {
    longRunning: {
      value: (): void => {
        warnings.release();
        io.longRunning?.();
      },
    },
  }) as CliIo;
}

/** The flag commander calls unknown, when it is one given before the command that defines it. */
function misplacedFlag(error: CommanderError, misplaced: readonly string[] | undefined): string | undefined {
  if (error.code !== 'commander.unknownOption' || misplaced === undefined) return undefined;
  const flag = /^error: unknown option '(.*?)'/s.exec(error.message)?.[1];
  const name = flag === undefined ? undefined : flagName(flag);
  return name !== undefined && misplaced.includes(name) ? name : undefined;
}

/** Help and --version end commander's run without a command: their exit code, or undefined for a usage error. */
function commanderExitCode(error: CommanderError, helpCommand: boolean): number | undefined {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_CODES.ok;
  // `help <command>` asked for help (exit code 0); a bare `wxpay-coupon` or `certs` got it for
  // want of a command (exit code 1), which is a usage error for a script.
  if (error.code === 'commander.help') return helpCommand || error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  if (error.code === 'commander.executeSubCommandAsync') return EXIT_CODES.usage;
  return undefined;
}
