/** The commander program, built in a factory so argv parsing is testable without spawning (docs/style.md). */
import { Command, Option } from 'commander';
import { packageVersion } from '../version.js';
import { t } from '../i18n/index.js';
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
    .option('--verbose', 'show what was sent and received on stderr (never a secret)')
    .option(...flagOption(settingOf('timeout')))
    .option(...flagOption(settingOf('baseUrl')))
    .option(...flagOption(settingOf('retries')))
    .option(...flagOption(settingOf('proxy')));
}

/** A setting's option and help, as its row in the settings table words them. */
function flagOption(row: SettingRow): [string, string] {
  const flag = row.flag as FlagSpec;
  return [`${flag.name} ${flag.arg}`, flag.help];
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
  const inScope = (flag: string): Option | undefined => {
    for (let current: Command | null = command; current; current = current.parent) {
      const found = current.options.find((option) => option.long === flag || option.short === flag);
      if (found) return found;
    }
    return undefined;
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--') break;
    if (arg.startsWith('-') && arg !== '-') {
      const equals = arg.indexOf('=');
      const flag = arg.startsWith('--') && equals > 0 ? arg.slice(0, equals) : arg;
      flags.add(flag);
      const option = inScope(flag);
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
    if (arg === 'help' && command.commands.length > 0) return { flags, commandPath: names.join(' '), helpCommand: true };
    const sub = command.commands.find((candidate) => candidate.name() === arg || candidate.aliases().includes(arg));
    if (sub) {
      command = sub;
      names.push(arg);
    }
  }
  return { flags, commandPath: names.join(' ') };
}

export function createProgram(io: CliIo, handlers: ProgramHandlers, result: ProgramResult): Command {
  const program = new Command('wxpay-coupon');
  program
    .description(ROOT_DESCRIPTION)
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--config <path>', 'load exactly this config file (env: WXPAY_CONFIG)')
    .option(...flagOption(PROFILES_SETTING))
    .option('--lang <language>', t('cli.option.lang'))
    .option('--no-color', 'no colour, even on a terminal (also: NO_COLOR)')
    .addHelpText('after', `\n${ROOT_EXAMPLES}\n\n${EXIT_CODE_HELP}\n`)
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

  const token = program.command('token').description('pre-order a card-switch token for one user and one stock');
  defineToken(token, handlers, result);
  const sandbox = program.command('sandbox').description('serve a local WeChat Pay emulator and write a ready config for it');
  defineSandbox(sandbox, handlers, result);
  const certs = program.command('certs').description('download WeChat Pay platform certificates, list the verification keys configured');
  defineCerts(certs, handlers, result);
  const doctor = program.command('doctor').description('check the configured credentials; with --online, prove WeChat Pay accepts them');
  defineDoctor(doctor, handlers, result);
  const api = program.command('api').description('send any signed APIv3 request and print the answer once its signature is verified');
  defineApi(api, handlers, result);
  const notify = program
    .command('notify')
    .description('verify and decrypt a WeChat Pay callback notification, or send one to your own handler');
  defineNotify(notify, handlers, result);
  return program;
}

function defineToken(token: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  token
    .option('--open-id <openid>', "the user's openid under your AppID")
    .option('--coupon <stock_id:coupon_id>', 'a coupon the user received; repeat for several (one stock per request)', collect)
    .addOption(new Option('--json', 'print one JSON line: {"token","expires_time","request_id"}').conflicts('quiet'))
    .addOption(new Option('-q, --quiet', 'print only the token').conflicts('json'))
    .option('--dry-run', 'build and sign the request, print it, send nothing')
    .option('--sandbox', 'ignore the config and run against a local in-process sandbox')
    .option(
      '--batch <file|->',
      'read requests as JSON Lines ({"open_id","coupon_list"}) from a file or - (stdin); write JSON Lines in input order',
    )
    .option(...flagOption(CONCURRENCY_SETTING))
    .option(...flagOption(settingOf('rate')));
  withNetworkOptions(token).addHelpText('after', `\n${TOKEN_EXAMPLES}\n\n${EXIT_CODE_HELP}\n`).action(runs(handlers.token, result));
}

function defineSandbox(sandbox: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  sandbox
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on; 0 picks a free one', '0')
    .option('--dir <folder>', 'write .wxpayrc.json and PEM files here (default: a new temp folder)')
    .addOption(new Option('--mode <mode>', 'which key WeChat Pay signs with').choices(['public-key', 'certificate']).default('public-key'))
    .option('--json', 'print one JSON line with base_url, dir and config')
    .option('--fault <name[:count]>', `inject a fault, for the first count requests or all; repeatable: ${FAULT_NAMES.join(', ')}`, collect)
    .addHelpText('after', `\n${SANDBOX_EXAMPLES}\n\n${SANDBOX_EXIT_CODE_HELP}\n`)
    .action(runs(handlers.sandbox, result));
}

function defineCerts(certs: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  certs.addHelpText('after', `\n${CERTS_EXAMPLES}\n`);
  const certsDownload = certs
    .command('download')
    .description('GET /v3/certificates: decrypt with apiv3Key, verify, write wechatpay_<serial>.pem files')
    .option(
      '--out <folder>',
      'write the certificate files into this folder, made if missing; checked before anything is fetched (default: the working directory)',
    )
    .option('--json', 'print one JSON line with the certificates and the config lines to add');
  withNetworkOptions(certsDownload)
    .addHelpText('after', `\n${CERTS_EXAMPLES}\n\n${CERTS_DOWNLOAD_EXIT_CODE_HELP}\n`)
    .action(runs(handlers.certsDownload, result));
  certs
    .command('list')
    .description('list the WeChat Pay public keys and certificates the config holds, with expiry warnings')
    .option('--json', 'print one JSON line: {"keys":[{kind, serial, source, not_after, status, warning}]}')
    .addHelpText('after', `\n${CERTS_EXAMPLES}\n\n${CERTS_LIST_EXIT_CODE_HELP}\n`)
    .action(runs(handlers.certsList, result));
}

function defineDoctor(doctor: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  doctor
    .option('--online', 'make one signed read-only call (GET /v3/certificates)')
    .option('--json', 'print one JSON line: {"ok", "checks":[{"name","ok","message"}]}');
  withNetworkOptions(doctor)
    .addHelpText('after', `\n${DOCTOR_EXAMPLES}\n\n${DOCTOR_EXIT_CODE_HELP}\n`)
    .action(runs(handlers.doctor, result));
}

function defineApi(api: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  api
    .argument('<method>', 'GET, POST, PUT, PATCH or DELETE (any case)')
    .argument('<path>', 'path and query, signed and sent exactly as written: /v3/… (or the configured origin followed by it)')
    .option('--data <json|@file|->', 'the JSON body, sent byte for byte: the text itself, @file, or - for standard input')
    .option(
      '--header <"Name: value">',
      'add a request header; repeatable (never Authorization, Content-Type, Host or the signature headers)',
      collect,
    )
    .option('--json', 'print one JSON line: {"status","request_id","body"} (body with every number\u2019s digits as received)')
    .option('--dry-run', 'build and sign the request, print it, send nothing');
  withNetworkOptions(api)
    .addHelpText('after', `\n${API_EXAMPLES}\n\n${API_EXIT_CODE_HELP}\n`)
    .action(async (method: string, path: string, _options: unknown, command: Command): Promise<void> => {
      result.exitCode = await handlers.api(method, path, command.optsWithGlobals());
    });
}

function defineNotify(notify: Command, handlers: ProgramHandlers, result: ProgramResult): void {
  notify.addHelpText('after', `\n${NOTIFY_EXAMPLES}\n`);
  notify
    .command('verify')
    .description(
      'check a notification as your handler received it (headers, timestamp, serial, signature over the raw body), then decrypt it',
    )
    .argument('[file|-]', 'the raw HTTP request (request line, headers, blank line, body) from a file or - (standard input)')
    .option('--body <file|->', 'the body alone, exactly as received; give the headers with --header')
    .option(
      '--header <"Name: value">',
      'with --body: a header as received (Wechatpay-Timestamp, -Nonce, -Signature, -Serial); repeatable',
      collect,
    )
    .option('--now <rfc3339|unix>', 'check the timestamp against this time instead of the clock (a notification captured earlier)')
    .option(
      '--json',
      'print one JSON line: {"id","create_time","event_type","resource_type","summary","resource"} (every number\u2019s digits kept)',
    )
    .option('--verbose', 'show each check and the key that verified it on stderr (never a secret)')
    .addHelpText('after', `\n${NOTIFY_EXAMPLES}\n\n${NOTIFY_VERIFY_EXIT_CODE_HELP}\n`)
    .action(async (file: string | undefined, _options: unknown, command: Command): Promise<void> => {
      result.exitCode = await handlers.notifyVerify(file, command.optsWithGlobals());
    });
  notify
    .command('send')
    .description('POST a notification built as WeChat Pay would (sandbox keys: encrypted, signed) to your handler, and show its answer')
    .option('--to <url>', 'your callback handler: https://…, or http:// on loopback')
    .option('--sandbox-dir <folder>', 'the folder `wxpay-coupon sandbox --dir` wrote (default: the working directory)')
    .option('--event-type <type>', 'the event_type (default COUPON.USE, with a sample coupon-use resource)')
    .option('--resource <json|@file|->', 'the resource to encrypt, sent byte for byte: JSON text, @file, or - for standard input')
    .option('--timeout <ms>', 'wait at most this long for the handler\u2019s answer (default 10000)')
    .option('--json', 'print one JSON line: {"status","id","event_type","body"}')
    .option('--verbose', 'show the notification sent on stderr (never a secret)')
    .addHelpText('after', `\n${NOTIFY_EXAMPLES}\n\n${NOTIFY_SEND_EXIT_CODE_HELP}\n`)
    .action(runs(handlers.notifySend, result));
}
