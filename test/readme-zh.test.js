// README.md and README.zh-CN.md stay in step: every command, flag, environment variable (and other
// UPPER_SNAKE name: error codes, constants), exit code of the exit-code tables and config key of the
// settings table that one names, the other names too. Both files are read at test time (other
// changes edit README.md); nothing here lists what they contain. The command list comes from the
// built CLI's own --help, so a command the CLI gains is required in both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, englishLeftIn } from './helpers.js';

const EN_FILE = 'README.md';
const ZH_FILE = 'README.zh-CN.md';
const readme = (file) => readFileSync(path.join(ROOT, file), 'utf8');

/** The code of a Markdown text: fenced blocks and inline code spans. */
export function codeOf(text) {
  const parts = [];
  const prose = text.replace(/^(`{3,})[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm, (_all, _fence, body) => {
    parts.push(body);
    return '';
  });
  for (const match of prose.matchAll(/`([^`\n]+)`/g)) parts.push(match[1]);
  return parts.join('\n');
}

/** `wxpay-coupon token`, `wxpay-coupon certs list` …: the command words written after the binary's name in code. */
export function commandForms(text) {
  const forms = new Set();
  for (const match of codeOf(text).matchAll(/wxpay-coupon ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)) {
    forms.add(match[1]);
    if (match[2] !== undefined) forms.add(`${match[1]} ${match[2]}`);
  }
  return forms;
}

/** Every long flag named anywhere: `--open-id`, `--no-color`, `--max-semi-space-size`. */
export function flags(text) {
  return new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*/g)].map((match) => match[0]));
}

/** Environment variables and other UPPER_SNAKE names (`WXPAY_MCHID`, `NO_COLOR`, `SIGN_ERROR`), and `$VARIABLE`s. */
export function upperNames(text) {
  const names = new Set();
  for (const match of text.matchAll(/(?<![\w$])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![A-Za-z0-9])/g)) names.add(match[0]);
  for (const match of text.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)) names.add(match[1]);
  return names;
}

/** The Markdown tables of a text, each a list of data rows, each a list of cells (`\|` is no separator). */
export function tables(text) {
  const found = [];
  let current = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      current = null;
      continue;
    }
    const cells = line
      .replace(/^\||\|\s*$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    if (current === null) {
      current = { header: cells, rows: [] };
      found.push(current);
    } else if (!cells.every((cell) => /^:?-+:?$/.test(cell))) {
      current.rows.push(cells);
    }
  }
  return found;
}

/** Each table whose rows all start with exit codes (`0`, `2, 3`), in order: its rows as `codes` or `codes kind`. */
export function exitCodeTables(text) {
  return tables(text)
    .filter((table) => table.rows.length > 0 && table.rows.every((row) => /^\d+(?:, \d+)*$/.test(row[0])))
    .map((table) =>
      table.rows.map((row) => {
        const kind = /^`([a-z]+)`$/.exec(row[1] ?? '');
        return kind === null ? row[0] : `${row[0]} ${kind[1]}`;
      }),
    );
}

/** The config keys of the settings table (the table with a `mchid` row): the `camelCase` names of each row's first cell. */
export function configKeys(text) {
  const settings = tables(text).find((table) => table.rows.some((row) => row[0].includes('`mchid`')));
  if (settings === undefined) return null;
  const keys = new Set();
  for (const row of settings.rows) {
    for (const match of row[0].matchAll(/`([a-z][A-Za-z0-9]*)`/g)) keys.add(match[1]);
  }
  return keys;
}

const onlyIn = (a, b) => [...a].filter((item) => !b.has(item)).sort();

/** What one README names and the other does not, by category; empty when they are in step. */
export function differences(en, zh) {
  const found = [];
  const compare = (what, of, ofZh = of) => {
    const [inEn, inZh] = [of(en), ofZh(zh)];
    for (const item of onlyIn(inEn, inZh)) found.push(`${what} ${item} is in ${EN_FILE} only`);
    for (const item of onlyIn(inZh, inEn)) found.push(`${what} ${item} is in ${ZH_FILE} only`);
  };
  compare('command', commandForms);
  compare('flag', flags);
  compare('name', upperNames);
  const [enKeys, zhKeys] = [configKeys(en), configKeys(zh)];
  if (enKeys === null || zhKeys === null) found.push('the settings table (with a `mchid` row) is missing');
  else
    compare(
      'config key',
      () => enKeys,
      () => zhKeys,
    );
  const [enCodes, zhCodes] = [exitCodeTables(en), exitCodeTables(zh)];
  if (JSON.stringify(enCodes) !== JSON.stringify(zhCodes)) {
    found.push(`exit-code tables differ: ${EN_FILE} ${JSON.stringify(enCodes)}, ${ZH_FILE} ${JSON.stringify(zhCodes)}`);
  }
  return found;
}

/** The commands the built CLI lists in its --help, with their subcommands: `token`, `certs list` … (not `help`). */
function cliCommands() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'wxpay-readme-'));
  const env = { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', LANG: 'C', LC_ALL: 'C' };
  const listed = (args) => {
    const result = spawnSync(process.execPath, [BIN, ...args, '--help'], { env, cwd: home, encoding: 'utf8' });
    assert.equal(result.status, 0, `wxpay-coupon ${args.join(' ')} --help: ${result.stderr}`);
    const section = /^Commands:\n([\s\S]*?)(?:\n\n|(?![\s\S]))/m.exec(result.stdout);
    if (section === null) return [];
    return [...section[1].matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((match) => match[1]).filter((name) => name !== 'help');
  };
  try {
    return listed([]).flatMap((command) => {
      const subcommands = listed([command]);
      return subcommands.length === 0 ? [command] : subcommands.map((sub) => `${command} ${sub}`);
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const en = readme(EN_FILE);
const zh = readme(ZH_FILE);

test('the parsers find what they should', () => {
  const sample = [
    '`wxpay-coupon token --json` and `wxpay-coupon certs list`; prose: wxpay-coupon reads this',
    '```sh',
    'wxpay-coupon notify send --to x   # WXPAY_MCHID=1 --open-id=-v',
    '```',
    '| code | kind | when |',
    '|---|---|---|',
    '| 0 | | ok |',
    '| 2 | `usage` | a \\| b |',
    '',
    '| key | what |',
    '|---|---|',
    '| `mchid` | id |',
    '| `publicKeyId` + `publicKey` | pub |',
    'NO_COLOR, $OPENID, SIGN_ERROR, PUB_KEY_ID_…; not a UTF-8 nor HTTP nor --',
  ].join('\n');
  assert.deepEqual([...commandForms(sample)].sort(), ['certs', 'certs list', 'notify', 'notify send', 'token']);
  assert.deepEqual([...flags(sample)].sort(), ['--json', '--open-id', '--to']);
  assert.deepEqual([...upperNames(sample)].sort(), ['NO_COLOR', 'OPENID', 'PUB_KEY_ID', 'SIGN_ERROR', 'WXPAY_MCHID']);
  assert.deepEqual(exitCodeTables(sample), [['0', '2 usage']]);
  assert.deepEqual([...(configKeys(sample) ?? [])].sort(), ['mchid', 'publicKey', 'publicKeyId']);
});

test('each README links the other in its first lines', () => {
  assert.match(en.split('\n').slice(0, 4).join('\n'), /^中文文档: \[README\.zh-CN\.md\]\(README\.zh-CN\.md\)$/m);
  assert.match(zh.split('\n').slice(0, 4).join('\n'), /^English: \[README\.md\]\(README\.md\)$/m);
});

test('README.md and README.zh-CN.md name the same commands, flags, variables, exit codes and config keys', () => {
  // Controls: the parsers see the real READMEs, not an empty match.
  assert.ok(flags(en).size > 25, `only ${flags(en).size} flags seen in ${EN_FILE}`);
  assert.ok(upperNames(en).size > 20, `only ${upperNames(en).size} names seen in ${EN_FILE}`);
  assert.ok((configKeys(en)?.size ?? 0) >= 10, `settings table of ${EN_FILE} not found`);
  assert.ok(
    exitCodeTables(en).some((table) => table.includes('130 interrupted')),
    'exit-code table not found',
  );
  assert.deepEqual(differences(en, zh), []);
});

test('every command the CLI lists is named as `wxpay-coupon <command>` in both READMEs', () => {
  const commands = cliCommands();
  assert.ok(commands.includes('token') && commands.includes('certs download'), `commands seen: ${commands.join(', ')}`);
  for (const [file, text] of [
    [EN_FILE, en],
    [ZH_FILE, zh],
  ]) {
    const named = commandForms(text);
    assert.deepEqual(
      commands.filter((command) => !named.has(command)),
      [],
      `${file} does not name these commands`,
    );
  }
});

test('removing one name of each category from either README is caught', () => {
  const removals = [
    [
      'command',
      [...commandForms(en)].find((form) => form.includes(' ')),
      (text, form) => text.replaceAll(`wxpay-coupon ${form}`, 'wxpay-coupon'),
    ],
    ['flag', '--concurrency', (text, flag) => text.replaceAll(flag, '')],
    ['name', 'WXPAY_APIV3_KEY', (text, name) => text.replaceAll(name, '')],
    ['config key', 'rate', (text, key) => text.replace(new RegExp(`^\\| \`${key}\` \\|.*\\n`, 'm'), '')],
    ['exit code', '74', (text, code) => text.replace(new RegExp(`^\\| ${code} \\| \`output\` \\|.*\\n`, 'm'), '')],
  ];
  for (const [what, item, remove] of removals) {
    assert.ok(item !== undefined, `no ${what} to remove`);
    for (const [label, fromEn] of [
      [EN_FILE, true],
      [ZH_FILE, false],
    ]) {
      const changed = remove(fromEn ? en : zh, item);
      assert.notEqual(changed, fromEn ? en : zh, `${what} ${item} not found in ${label}`);
      const found = fromEn ? differences(changed, zh) : differences(en, changed);
      assert.ok(found.length > 0, `removing ${what} ${item} from ${label} went unnoticed`);
    }
  }
});

/**
 * What a reader reads in the examples of a README: the comments of its code blocks (`# …` in
 * shell, `// …` in JavaScript) and, in a `console` block, the lines the program printed (not
 * those starting with `$`). JSON blocks are the machine contract and are left out.
 */
export function exampleProse(text) {
  const prose = [];
  for (const [, , language, body] of text.matchAll(/^(`{3,})([a-z]*)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm)) {
    if (language === 'json') continue;
    for (const line of body.split('\n')) {
      const comment = /(?:^|\s)(?:#|\/\/) (.*)$/.exec(line)?.[1];
      if (comment !== undefined) prose.push(comment);
      else if (language === 'console' && line !== '' && !line.startsWith('$ ') && !line.startsWith('{')) prose.push(line);
    }
  }
  return prose;
}

test("README.zh-CN.md's examples comment and print in Chinese", () => {
  const zh = exampleProse(readme(ZH_FILE));
  assert.ok(zh.length > 10, zh.join('\n'));
  assert.deepEqual(
    zh.filter((line) => englishLeftIn(line).length > 0),
    [],
  );
  // The English README's examples are English: the check finds them.
  assert.ok(exampleProse(readme(EN_FILE)).filter((line) => englishLeftIn(line).length > 0).length > 5);
});
