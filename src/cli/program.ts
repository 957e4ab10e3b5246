/** The commander program, built in a factory so argv parsing is testable without spawning (docs/style.md). */
import { Command, Help, Option } from 'commander';
import { packageVersion } from '../version.js';
import { t, type MessageId } from '../i18n/index.js';
import type { MessageArgs } from '../i18n/catalogue.js';
import type { English } from '../i18n/en/index.js';
import { HelpWords, localisedHelp } from './help.js';
import { FAULT_NAMES } from '../sandbox/faults.js';
import type { CliIo } from './io.js';
import { CONCURRENCY_SETTING, PROFILES_SETTING, settingOf, type FlagSpec, type SettingRow } from '../settings.js';
import {
  API_EXAMPLES,
  API_EXIT_CODE_HELP,
  CERTS_DOWNLOAD_EXIT_CODE_HELP,
  CERTS_EXAMPLES,
  CERTS_LIST_EXIT_CODE_HELP,
  DOCTOR_EXAMPLES,
  DOCTOR_EXIT_CODE_HELP,
  EXIT_CODE_HELP,
  NOTIFY_EXAMPLES,
  NOTIFY_SEND_EXIT_CODE_HELP,
  NOTIFY_VERIFY_EXIT_CODE_HELP,
  ROOT_DESCRIPTION,
  ROOT_EXAMPLES,
  SANDBOX_EXAMPLES,
  SANDBOX_EXIT_CODE_HELP,
  TOKEN_EXAMPLES,
} from './messages.js';

/** Properties, not methods: each is passed on alone (to runs()), never called on this object. */
export interface ProgramHandlers {
  token: (options: Record<string, unknown>) => Promise<number>;
  sandbox: (options: Record<string, unknown>) => Promise<number>;
  certsDownload: (options: Record<string, unknown>) => Promise<number>;
  certsList: (options: Record<string, unknown>) => Promise<number>;
  doctor: (options: Record<string, unknown>) => Promise<number>;
  api: (method: string, path: string, options: Record<string, unknown>) => Promise<number>;
  notifyVerify: (file: string | undefined, options: Record<string, unknown>) => Promise<number>;
  notifySend: (options: Record<string, unknown>) => Promise<number>;
}

export interface ProgramResult {
  exitCode?: number;
}

/** The flags of every command that talks to WeChat Pay, worded the same everywhere. */
function withNetworkOptions(command: Command): Command {
  return command
    .option('--verbose', helpText('cli.option.verbose'))
    .option(...flagOption(settingOf('timeout')))
    .option(...flagOption(settingOf('baseUrl')))
    .option(...flagOption(settingOf('retries')))
    .option(...flagOption(settingOf('proxy')));
}

/** The words of the program being defined, looked up only when its help is shown (HelpWords, src/cli/help.ts). */
let words = new HelpWords();
const later = (text: () => string): string => words.later(text);
/** The message `id`, as t() gives it, when help is shown. */
const helpText = <K extends MessageId>(id: K, ...args: MessageArgs<English[K]>): string => later(() => t(id, ...args));

/** A setting's option and help, as its row in the settings table words them. */
function flagOption(row: SettingRow): [string, string] {
  const flag = row.flag as FlagSpec;
  return [`${flag.name} ${flag.arg}`, later(() => flag.help)];
}

/** A command's action: its handler, given every option in scope; the exit code is kept for main(). */
function runs(handler: (options: Record<string, unknown>) => Promise<number>, result: ProgramResult) {
  return async (_options: unknown, command: Command): Promise<void> => {
    result.exitCode = await handler(command.optsWithGlobals());
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** What argv says before `--`, read the way commander will read it, option values skipped. */
export interface ArgvScan {
  /** Options given in option position (`--json`, `--no-color`, …), never an option's value nor an argument after `--`. */
  flags: Set<string>;
  /** The command argv names, e.g. `wxpay-coupon certs download`, for the usage hint. */
  commandPath: string;
  /** The first option given without its value because the next argument looks like a flag. */
  flagAsValue?: { option: string; next: string };
  /** `wxpay-coupon help …`: help was asked for, whatever exit code commander gives it. */
  helpCommand?: boolean;
  /**
   * What `help <command…>` is parsed as: `<command…> --help`, so that `help certs download` shows
   * download's help (commander's help command shows only the first word's), and `<command…>` alone
   * when a word names no command (`help tokn`), so that it is commander's unknown-command error
   * (exit 2, with its suggestion) instead of the root help and exit 0.
   */
  helpArgv?: readonly string[];
  /** Flags given before the command that defines them (`--json token …`): commander calls them unknown. */
  misplaced?: readonly string[];
  /** An argument that is a flag typed with a typographic dash (`–json`, `—open-id`: an editor's autocorrect of `--`). */
  typographic?: { arg: string; flag: string };
  /** The first flag of ONCE_FLAGS given more than once: commander would keep the last value without a word. */
  repeated?: { flag: string; count: number };
  /** A flag the command defines, joined to the argument before it by a full-width space (`oUser<U+3000>--coupon`). */
  joined?: string;
}

/**
 * Flags that name what a command acts on — the user a token is for, its input, where it writes or
 * sends — rather than a setting a later flag may override: given twice, it is a mistake (a script
 * that pasted two users), and a usage error instead of the last one winning.
 */
const ONCE_FLAGS: ReadonlySet<string> = new Set(['--open-id', '--batch', '--out', '--dir', '--to', '--data', '--body']);

/** Figure dash to horizontal bar, minus sign, small and full-width hyphen-minus: what an editor makes of `-`. */
const TYPOGRAPHIC_DASH = '[\\u2012-\\u2015\\u2212\\uFE58\\uFE63\\uFF0D]';
/** A flag typed with a typographic dash, or one before an ASCII hyphen (`–-open-id`), its name and any `=value`. */
const TYPOGRAPHIC_FLAG = new RegExp(`^${TYPOGRAPHIC_DASH}(?:${TYPOGRAPHIC_DASH}|-)?([A-Za-z][A-Za-z0-9-]{0,40})(=.*)?$`, 's');

/** Options whose value is free text (a JSON body, a header): a full-width space in it is the user's. */
const FREE_TEXT_FLAGS: ReadonlySet<string> = new Set(['--data', '--resource', '--header', '--body']);

/** Commander's help option, which is not among a command's options. */
const HELP_FLAGS = new Set(['--help', '-h']);

/** The option `flag` names, of `command` or of a command above it. */
function definedIn(command: Command, flag: string): Option | undefined {
  for (let current: Command | null = command; current; current = current.parent) {
    const found = current.options.find((option) => option.long === flag || option.short === flag);
    if (found) return found;
  }
  return undefined;
}

/** The flag an option argument names: `--name` of `--name=value`, else the argument itself. */
export function flagName(arg: string): string {
  const equals = arg.indexOf('=');
  return arg.startsWith('--') && equals > 0 ? arg.slice(0, equals) : arg;
}

/** Every long flag the program or any of its commands defines (`--json`, `--open-id` …). */
export function longFlagsOf(program: Command): ReadonlySet<string> {
  const flags = new Set<string>(['--help']);
  const visit = (command: Command): void => {
    for (const option of command.options) if (option.long) flags.add(option.long);
    for (const sub of command.commands) visit(sub);
  };
  visit(program);
  return flags;
}

/** The subcommand of `command` that `word` names, by name or alias. */
function subcommandNamed(command: Command, word: string): Command | undefined {
  return command.commands.find((candidate) => candidate.name() === word || candidate.aliases().includes(word));
}

/**
 * Walks argv with the options the program defines: which flags are given (main() decides JSON,
 * verbose and colour from them, before commander parses) and whether an option that takes a
 * value is followed by a flag instead (`--open-id $OPENID --json` with OPENID empty). Commander
 * would take `--json` as the openid; here it is caught before anything runs. `-` alone is a value
 * (stdin); any other separate value starting with `-` is taken for a flag — `--opt=-value` gives
 * such a value explicitly.
 */
export function scanArgv(program: Command, argv: readonly string[]): ArgvScan {
  const flags = new Set<string>();
  let command = program;
  const names = [program.name()];
  const unscoped: string[] = [];
  const counts = new Map<string, number>();
  let typographic: ArgvScan['typographic'];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--') break;
    if (arg.startsWith('-') && arg !== '-') {
      const flag = flagName(arg);
      flags.add(flag);
      counts.set(flag, (counts.get(flag) ?? 0) + 1);
      const option = definedIn(command, flag);
      if (!option) unscoped.push(flag);
      if (!option || !option.required || flag !== arg) continue;
      const next = argv[index + 1];
      if (next !== undefined && next.startsWith('-') && next !== '-') {
        flags.add(next);
        return { flags, commandPath: names.join(' '), flagAsValue: { option: option.long ?? flag, next } };
      }
      index += 1;
      continue;
    }
    // Commander's own help command is not among program.commands; it takes its exit code from
    // process.exitCode, which an embedding caller (a test runner) may have set.
    if (arg === 'help' && command.commands.length > 0) {
      const before = argv.slice(0, index);
      const rest = argv.slice(index + 1);
      let target: Command = command;
      const path = [...names];
      let known = true;
      for (let at = 0; at < rest.length; at += 1) {
        const word = rest[at] as string;
        // `help -- doctor` is doctor's help: after --, commander would take what follows for operands.
        if (word === '--') continue;
        if (word.startsWith('-')) {
          // Flags after the words still count (`help tokn --json` fails in JSON); one that the
          // command does not define (`help --bogus`) is commander's unknown-option error.
          flags.add(flagName(word));
          const option = definedIn(target, flagName(word));
          if (!HELP_FLAGS.has(word) && !option) known = false;
          // An option's value is not a command word (`help --lang zh-CN token`); one given no
          // value (`help token --open-id`) must not take the --help added below for it.
          if (option?.required && flagName(word) === word) {
            if (at + 1 < rest.length) at += 1;
            else known = false;
          }
          continue;
        }
        if (!known) continue;
        const next = subcommandNamed(target, word);
        // A word after a command that takes none (`help token extra`) is commander's
        // too-many-arguments error; one after `api` is its <method>, and help is shown.
        if (!next) {
          if (target.commands.length > 0 || target.registeredArguments.length === 0) known = false;
          continue;
        }
        target = next;
        path.push(word);
      }
      // Parsed without --help when something is wrong: commander then fails before any action runs.
      const words = rest.filter((word) => word !== '--');
      const helpArgv = known ? [...before, ...words, '--help'] : [...before, ...words];
      return { flags, commandPath: path.join(' '), helpCommand: true, helpArgv };
    }
    // Not an option's value (skipped above): a flag whose dashes an editor turned into – or —.
    // `–-open-id` too: a typographic dash before an ASCII one (careless check, helper-38).
    const dashed = TYPOGRAPHIC_FLAG.exec(arg);
    if (dashed && typographic === undefined)
      // A single letter is a short option: –q is -q, not --q (helper-39).
      typographic = {
        arg: arg.slice(0, arg.length - (dashed[2]?.length ?? 0)),
        flag: `${(dashed[1] as string).length === 1 ? '-' : '--'}${dashed[1] as string}`,
      };
    const sub = subcommandNamed(command, arg);
    if (sub) {
      command = sub;
      names.push(arg);
    }
  }
  const misplaced = command === program ? [] : unscoped.filter((flag) => definedIn(command, flag));
  const joined = joinedByFullWidthSpace(command, argv);
  const repeated = [...counts].find(([flag, count]) => count > 1 && ONCE_FLAGS.has(flag) && definedIn(command, flag));
  return {
    flags,
    commandPath: names.join(' '),
    ...(misplaced.length > 0 ? { misplaced } : {}),
    ...(repeated ? { repeated: { flag: repeated[0], count: repeated[1] } } : {}),
    ...(typographic ? { typographic } : {}),
    ...(joined !== undefined ? { joined } : {}),
  };
}

/**
 * `--open-id "oUser<U+3000>--coupon"`, `--open-id=oUser<U+3000>--coupon`: a full-width space (a
 * Chinese input method's) where an ASCII one was meant, so the shell passed two arguments as one.
 * Only before a flag the command defines: a value may hold U+3000 for its own reasons.
 */
function joinedByFullWidthSpace(command: Command, argv: readonly string[]): string | undefined {
  const end = argv.indexOf('--');
  const words = end < 0 ? argv : argv.slice(0, end);
  for (const [index, arg] of words.entries()) {
    // A body or a header is text of the user's own, taken as written (hostile check, helper-40).
    if (FREE_TEXT_FLAGS.has(flagName(arg)) || FREE_TEXT_FLAGS.has(words[index - 1] ?? '')) continue;
    for (const found of arg.matchAll(/\u3000+(--?[A-Za-z][A-Za-z0-9-]*)/gu)) {
      const flag = found[1] as string;
      if (definedIn(command, flag) || HELP_FLAGS.has(flag)) return flag;
    }
  }
  return undefined;
}

/** One command of the program: what the root help lists, and what defines the rest of it. */
interface CommandEntry {
  name: string;
  description: () => string;
  /**
   * Its term in the root help ("token [options]"), as commander's Help.subcommandTerm() words it
   * once the command is defined (test/main.test.js checks the root help against the full program's).
   */
  term: string;
  /** Its options, arguments, subcommands, help text and action. */
  define: (command: Command, handlers: ProgramHandlers, result: ProgramResult) => void;
}

/** Every command, in the order the root help lists them. */
const COMMANDS: readonly CommandEntry[] = [
  { name: 'token', description: () => t('cli.token.description'), term: 'token [options]', define: defineToken },
  { name: 'sandbox', description: () => t('cli.sandbox.description'), term: 'sandbox [options]', define: defineSandbox },
  { name: 'certs', description: () => t('cli.certs.description'), term: 'certs', define: defineCerts },
  { name: 'doctor', description: () => t('cli.doctor.description'), term: 'doctor [options]', define: defineDoctor },
  { name: 'api', description: () => t('cli.api.description'), term: 'api [options] <method> <path>', define: defineApi },
  { name: 'notify', description: () => t('cli.notify.description'), term: 'notify', define: defineNotify },
];

/** The commands left undefined (see createProgram), with their root-help term. */
const undefinedTerms = new WeakMap<Command, string>();

/**
 * The program. Given the run's argv, it defines in full only the commands whose name argv holds:
 * commander runs a command (or its help, `help token`) only when argv names it, and the others
 * are needed for nothing but their line in the root help (name, term, description). What it
 * buys: `npm run bench -- startup --runs 40 --against <a build of 6e39f4e>`, 2026-12-02, Node 20,
 * 2-core machine: --help 1.36× `node -e 0` against 1.42×, a usage error 1.37× against 1.41×, a
 * dry run 1.85× against 1.93×. test/main.test.js checks that the root help is the full program's,
 * word for word, whatever argv names. Without argv (tests, the library), every command is defined.
 */
export function createProgram(io: CliIo, handlers: ProgramHandlers, result: ProgramResult, argv?: readonly string[]): Command {
  const program = new Command('wxpay-coupon');
  words = new HelpWords();
  const programWords = words;
  program
    .description(later(ROOT_DESCRIPTION))
    .version(packageVersion(), '-V, --version', helpText('cli.option.version'))
    .helpOption('-h, --help', helpText('cli.option.help'))
    .helpCommand('help [command]', helpText('cli.help.helpCommand'))
    .configureHelp({
      ...localisedHelp(programWords),
      subcommandTerm(this: Help, command: Command): string {
        return undefinedTerms.get(command) ?? Help.prototype.subcommandTerm.call(this, command);
      },
    })
    .option('--config <path>', helpText('cli.option.config'))
    .option(...flagOption(PROFILES_SETTING))
    .option('--lang <language>', helpText('cli.option.lang'))
    .option('--no-color', helpText('cli.option.noColor'))
    .addHelpText('after', () => `\n${ROOT_EXAMPLES()}\n\n${EXIT_CODE_HELP()}\n`)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.columns ?? 80,
      getErrHelpWidth: () => io.columns ?? 80,
      // Asked of the injected io, not of process.stdout: creating that stream is what the bin's
      // fs.writeSync output spares a start (its figure: output() in bin/wxpay-coupon.cjs).
      getOutHasColors: () => io.stdoutIsTTY,
      getErrHasColors: () => io.stderrIsTTY,
      // main() renders errors itself, in text or JSON.
      outputError: () => undefined,
    });
  for (const entry of COMMANDS) {
    const command = program.command(entry.name).description(later(entry.description));
    if (argv === undefined || argv.includes(entry.name)) entry.define(command, handlers, result);
    else undefinedTerms.set(command, entry.term);
  }
  return program;
}

function defineToken(token: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  token
    .option('--open-id <openid>', helpText('cli.token.openId'))
    .option('--coupon <stock_id:coupon_id>', helpText('cli.token.coupon'), collect)
    .addOption(new Option('--json', helpText('cli.token.json')).conflicts('quiet'))
    .addOption(new Option('-q, --quiet', helpText('cli.token.quiet')).conflicts('json'))
    .option('--dry-run', helpText('cli.option.dryRun'))
    .option('--sandbox', helpText('cli.token.sandbox'))
    .option('--batch <file|->', helpText('cli.token.batch'))
    .option(...flagOption(CONCURRENCY_SETTING))
    .option(...flagOption(settingOf('rate')));
  withNetworkOptions(token)
    .addHelpText('after', () => `\n${TOKEN_EXAMPLES()}\n\n${EXIT_CODE_HELP()}\n`)
    .action(runs(handlers.token, result));
}

function defineSandbox(sandbox: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  sandbox
    .option('--host <host>', helpText('cli.sandbox.host'), '127.0.0.1')
    .option('--port <port>', helpText('cli.sandbox.port'), '0')
    .option('--dir <folder>', helpText('cli.sandbox.dir'))
    .addOption(new Option('--mode <mode>', helpText('cli.sandbox.mode')).choices(['public-key', 'certificate']).default('public-key'))
    .option('--json', helpText('cli.sandbox.json'))
    .option('--fault <name[:count]>', helpText('cli.sandbox.fault', { faults: t('token.list', { items: FAULT_NAMES }) }), collect)
    .addHelpText('after', () => `\n${SANDBOX_EXAMPLES()}\n\n${SANDBOX_EXIT_CODE_HELP()}\n`)
    .action(runs(handlers.sandbox, result));
}

function defineCerts(certs: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  certs.addHelpText('after', () => `\n${CERTS_EXAMPLES()}\n`);
  const certsDownload = certs
    .command('download')
    .description(helpText('cli.certs.download.description'))
    .option('--out <folder>', helpText('cli.certs.download.out'))
    .option('--json', helpText('cli.certs.download.json'));
  withNetworkOptions(certsDownload)
    .addHelpText('after', () => `\n${CERTS_EXAMPLES()}\n\n${CERTS_DOWNLOAD_EXIT_CODE_HELP()}\n`)
    .action(runs(handlers.certsDownload, result));
  certs
    .command('list')
    .description(helpText('cli.certs.list.description'))
    .option('--json', helpText('cli.certs.list.json'))
    .addHelpText('after', () => `\n${CERTS_EXAMPLES()}\n\n${CERTS_LIST_EXIT_CODE_HELP()}\n`)
    .action(runs(handlers.certsList, result));
}

function defineDoctor(doctor: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  doctor.option('--online', helpText('cli.doctor.online')).option('--json', helpText('cli.doctor.json'));
  withNetworkOptions(doctor)
    .addHelpText('after', () => `\n${DOCTOR_EXAMPLES()}\n\n${DOCTOR_EXIT_CODE_HELP()}\n`)
    .action(runs(handlers.doctor, result));
}

function defineApi(api: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  api
    .argument('<method>', helpText('cli.api.method'))
    .argument('<path>', helpText('cli.api.path'))
    .option('--data <json|@file|->', helpText('cli.api.data'))
    .option('--header <"Name: value">', helpText('cli.api.header'), collect)
    .option('--json', helpText('cli.api.json'))
    .option('--dry-run', helpText('cli.option.dryRun'));
  withNetworkOptions(api)
    .addHelpText('after', () => `\n${API_EXAMPLES()}\n\n${API_EXIT_CODE_HELP()}\n`)
    .action(async (method: string, path: string, _options: unknown, command: Command): Promise<void> => {
      result.exitCode = await handlers.api(method, path, command.optsWithGlobals());
    });
}

function defineNotify(notify: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  notify.addHelpText('after', () => `\n${NOTIFY_EXAMPLES()}\n`);
  notify
    .command('verify')
    .description(helpText('cli.notify.verify.description'))
    .argument('[file|-]', helpText('cli.notify.verify.file'))
    .option('--body <file|->', helpText('cli.notify.verify.body'))
    .option('--header <"Name: value">', helpText('cli.notify.verify.header'), collect)
    .option('--now <rfc3339|unix>', helpText('cli.notify.verify.now'))
    .option('--json', helpText('cli.notify.verify.json'))
    .option('--verbose', helpText('cli.notify.verify.verbose'))
    .addHelpText('after', () => `\n${NOTIFY_EXAMPLES()}\n\n${NOTIFY_VERIFY_EXIT_CODE_HELP()}\n`)
    .action(async (file: string | undefined, _options: unknown, command: Command): Promise<void> => {
      result.exitCode = await handlers.notifyVerify(file, command.optsWithGlobals());
    });
  notify
    .command('send')
    .description(helpText('cli.notify.send.description'))
    .option('--to <url>', helpText('cli.notify.send.to'))
    .option('--sandbox-dir <folder>', helpText('cli.notify.send.sandboxDir'))
    .option('--event-type <type>', helpText('cli.notify.send.eventType'))
    .option('--resource <json|@file|->', helpText('cli.notify.send.resource'))
    .option('--timeout <ms>', helpText('cli.notify.send.timeout'))
    .option('--json', helpText('cli.notify.send.json'))
    .option('--verbose', helpText('cli.notify.send.verbose'))
    .addHelpText('after', () => `\n${NOTIFY_EXAMPLES()}\n\n${NOTIFY_SEND_EXIT_CODE_HELP()}\n`)
    .action(runs(handlers.notifySend, result));
}
