// The settings table (src/settings.ts) against every place a setting appears: README's settings
// table, .wxpayrc.example, the --help of each command that takes its flag, and doctor's report.
// The checks are functions over a list of rows, run over the real table (nothing missing) and over
// the table plus a synthetic row (reported missing everywhere): a new row cannot go undocumented.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  SETTINGS,
  DOCUMENTED_SETTINGS,
  CONCURRENCY_SETTING,
  CONFIG_KEYS,
  ENV_VARIABLES,
  SECRET_SETTINGS,
  readmeRow,
} from '../dist/settings.js';
import * as library from '../dist/index.js';
import { loadConfig } from '../dist/config.js';
import { parseConcurrency, parseProxy, parseRate, parseRetries, parseTimeout } from '../dist/cli/commands/flags.js';
import { EXAMPLE_VALUES, settingsLine } from '../dist/cli/commands/doctor.js';
import { configuredSandbox, englishLeftIn, runCli, ROOT } from './helpers.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const EXAMPLE = readFileSync(path.join(ROOT, '.wxpayrc.example'), 'utf8');
const ZH_EXAMPLE = readFileSync(path.join(ROOT, '.wxpayrc.zh-CN.example'), 'utf8');
const FLAG_ROWS = [...DOCUMENTED_SETTINGS, CONCURRENCY_SETTING];

const SYNTHETIC = {
  key: 'newSetting',
  env: 'WXPAY_NEW_SETTING',
  flag: { name: '--new-setting', arg: '<n>', help: 'a setting added to the table only', commands: ['token', 'doctor'] },
  doctor: 'listed',
  readme: 'a setting added to the table only',
};

/** README's settings table: the lines from its header to the first line that is not a table row. */
function readmeTable(readme) {
  const lines = readme.split('\n');
  const start = lines.indexOf('| key | what | default | environment | flag |');
  assert.ok(start >= 0, "README's settings table header is missing");
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return lines.slice(start + 2, end);
}

/** Each row's line, rendered from the row, must be in README's table, and no line may be stale. */
function readmeProblems(rows, readme) {
  const table = readmeTable(readme);
  const problems = rows.filter((row) => !table.includes(readmeRow(row))).map((row) => `README has no line ${readmeRow(row)}`);
  const keys = new Set(rows.map((row) => row.key));
  for (const line of table) {
    const key = /^\| `([^`]+)`/.exec(line)?.[1];
    if (!keys.has(key)) problems.push(`README documents ${key}, which the table has no row for`);
  }
  return problems;
}

/** Each row: its key (commented out or not), its variable and its flag in .wxpayrc.example. */
function exampleProblems(rows, example) {
  const problems = [];
  for (const row of rows) {
    if (!new RegExp(`^#?\\s*${row.key}:`, 'm').test(example)) problems.push(`.wxpayrc.example has no "${row.key}:" line`);
    if (row.env && !example.includes(row.env)) problems.push(`.wxpayrc.example does not name ${row.env}`);
    if (row.flag && !example.includes(row.flag.name)) problems.push(`.wxpayrc.example does not name ${row.flag.name}`);
  }
  return problems;
}

/**
 * The lines of an example config that are not prose: the settings (commented out or not, with
 * the profiles and list lines under them), a section's `# ---` rule, and a blank line between
 * blocks. The two examples differ in their prose only, so these must be the same, in order.
 */
function exampleData(example) {
  const keys = new Set([...DOCUMENTED_SETTINGS.map((row) => row.key), 'profiles']);
  const data = [];
  for (const line of example.split('\n')) {
    const key = /^#?\s*([A-Za-z]\w*):/.exec(line)?.[1];
    let item;
    if (line.trim() === '') item = '';
    else if (!line.startsWith('#') || /^# {3}/.test(line) || (key && keys.has(key))) item = line;
    else if (line.startsWith('# ---')) item = '# ---';
    else continue;
    if (item !== '' || data.at(-1) !== '') data.push(item);
  }
  return data;
}

/** The prose of an example config: its comment lines that exampleData() does not keep. */
function exampleProse(example) {
  const data = new Set(exampleData(example));
  return example.split('\n').filter((line) => line.startsWith('#') && !data.has(line) && !line.startsWith('# ---'));
}

/** Each row's flag, with its argument and the table's help wording, in the help of every command that takes it. */
function helpProblems(rows, helpOf) {
  const problems = [];
  const flat = (text) => text.replace(/\s+/g, ' ');
  for (const row of rows.filter((candidate) => candidate.flag)) {
    for (const command of row.flag.commands) {
      const help = flat(helpOf[command] ?? '');
      if (!help.includes(flat(`${row.flag.name} ${row.flag.arg} ${row.flag.help}`))) {
        problems.push(`${command || 'the program'} --help lacks ${row.flag.name} ${row.flag.arg} with its help`);
      }
    }
  }
  return problems;
}

let helpOf;
let sandbox;
let dir;
before(async () => {
  const commands = [...new Set(FLAG_ROWS.flatMap((row) => row.flag?.commands ?? []))];
  helpOf = {};
  for (const command of commands) {
    const result = await runCli([...command.split(' ').filter(Boolean), '--help']);
    assert.equal(result.code, 0, result.stderr);
    helpOf[command] = result.stdout;
  }
  ({ sandbox, dir } = await configuredSandbox());
});
after(() => sandbox?.close());

test("README's settings table, .wxpayrc.example and --help agree with the settings table", () => {
  assert.deepEqual(readmeProblems(DOCUMENTED_SETTINGS, README), []);
  assert.deepEqual(exampleProblems(DOCUMENTED_SETTINGS, EXAMPLE), []);
  assert.deepEqual(exampleProblems(DOCUMENTED_SETTINGS, ZH_EXAMPLE), []);
  assert.deepEqual(helpProblems(FLAG_ROWS, helpOf), []);
});

test("doctor's example placeholders are the values both example configs hold", () => {
  // doctor fails on a config copied from the example with these left in; a new example value must
  // reach doctor's list too, or such a config would pass the pre-deploy check.
  for (const example of [EXAMPLE, ZH_EXAMPLE]) {
    const values = {
      mchid: /^mchid:\s*"?([^"\s]+)"?/m.exec(example)?.[1],
      serial: /^serial:\s*"?([^"\s]+)"?/m.exec(example)?.[1],
      publicKeyId: /^#?\s*publicKeyId:\s*"?([^"\s]+)"?/m.exec(example)?.[1],
    };
    assert.deepEqual(values, EXAMPLE_VALUES);
  }
});

test('.wxpayrc.zh-CN.example is .wxpayrc.example with its comments in Chinese', () => {
  const data = exampleData(EXAMPLE);
  // Every setting of the table is among the lines compared, so a key moved in one file is caught.
  for (const row of DOCUMENTED_SETTINGS)
    assert.ok(
      data.some((line) => new RegExp(`^#?\\s*${row.key}:`).test(line)),
      row.key,
    );
  assert.deepEqual(exampleData(ZH_EXAMPLE), data);
  // As many comment lines, so that no English comment lost its Chinese one.
  assert.equal(exampleProse(ZH_EXAMPLE).length, exampleProse(EXAMPLE).length);
  assert.deepEqual(englishLeftIn(exampleProse(ZH_EXAMPLE).join('\n')), []);
  assert.notDeepEqual(englishLeftIn(exampleProse(EXAMPLE).join('\n')), []);
  // A value changed in one file only is a difference.
  assert.notDeepEqual(exampleData(ZH_EXAMPLE.replace('# retries: 2', '# retries: 3')), data);
  assert.notDeepEqual(exampleData(ZH_EXAMPLE.replace('# rate: 50\n', '')), data);
});

test('a new row is reported missing from README, .wxpayrc.example and the help until it is added there', () => {
  const rows = [...DOCUMENTED_SETTINGS, SYNTHETIC];
  assert.deepEqual(readmeProblems(rows, README), [`README has no line ${readmeRow(SYNTHETIC)}`]);
  assert.deepEqual(exampleProblems(rows, EXAMPLE), [
    '.wxpayrc.example has no "newSetting:" line',
    '.wxpayrc.example does not name WXPAY_NEW_SETTING',
    '.wxpayrc.example does not name --new-setting',
  ]);
  assert.deepEqual(helpProblems([...FLAG_ROWS, SYNTHETIC], helpOf), [
    'token --help lacks --new-setting <n> with its help',
    'doctor --help lacks --new-setting <n> with its help',
  ]);
  // And a README line for a row that is gone is stale.
  assert.deepEqual(
    readmeProblems(
      DOCUMENTED_SETTINGS.filter((row) => row.key !== 'rate'),
      README,
    ),
    ['README documents rate, which the table has no row for'],
  );
});

test("doctor lists every 'listed' row with its value and source, a new row included, never a secret's value", async () => {
  const secret = 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';
  const file = path.join(dir, '.wxpayrc.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...config, apiv3Key: secret, retries: 3, proxy: 'http://user:hunter22@127.0.0.1:9' }), {
    mode: 0o600,
  });
  const result = await runCli(['doctor', '--json', '--timeout', '4000'], { cwd: dir, home: dir });
  assert.equal(result.code, 0, result.stderr);
  const check = JSON.parse(result.stdout).checks.find((candidate) => candidate.name === 'settings');
  assert.ok(check, result.stdout);
  for (const row of SETTINGS.filter((candidate) => candidate.doctor === 'listed'))
    assert.match(check.message, new RegExp(`\\b${row.key} `));
  assert.match(check.message, /timeout 4000 \(--timeout\)/);
  assert.match(check.message, /retries 3 \(\.wxpayrc\.json: retries\)/);
  assert.match(check.message, /apiv3Key set \(\.wxpayrc\.json: apiv3Key\)/);
  assert.match(check.message, /proxy http:\/\/user:\*\*\*@127\.0\.0\.1:9\/ /);
  assert.match(check.message, /rate not set/);
  assert.ok(!result.stdout.includes(secret) && !result.stdout.includes('hunter22'), result.stdout);
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });

  const line = settingsLine([...SETTINGS, SYNTHETIC], { shown: { timeout: '10000' }, sources: {} });
  assert.match(line, /timeout 10000 \(default\)/);
  assert.match(line, /newSetting not set$/);
});

test('a flag and a config value are checked by the same rule: same limits, same wording', async () => {
  const parsers = { timeout: parseTimeout, retries: parseRetries, rate: parseRate, proxy: parseProxy };
  const cases = {
    timeout: { good: ['1', '600000'], bad: ['0', '600001', '5.0'] },
    retries: { good: ['0', '10'], bad: ['11', '-1'] },
    rate: { good: ['0.5', '10000'], bad: ['0', '10000.5', '1e3'] },
    proxy: { good: ['http://proxy.internal:3128'], bad: ['proxy.internal', 'ftp://x'] },
  };
  const base = JSON.parse(readFileSync(path.join(dir, '.wxpayrc.json'), 'utf8'));
  for (const row of SETTINGS.filter((candidate) => candidate.rule)) {
    const parse = parsers[row.key];
    assert.ok(parse && cases[row.key], `${row.key} has a rule but no case here`);
    for (const value of cases[row.key].bad) {
      assert.throws(
        () => parse(value),
        (error) => error.message.includes(row.rule.expected) && error.message.startsWith(`${row.flag.name} "`),
      );
      writeFileSync(path.join(dir, 'rule.json'), JSON.stringify({ ...base, [row.key]: value }));
      const error = await loadConfig({ cwd: dir, env: {}, configPath: 'rule.json' }).catch((caught) => caught);
      const problem = error.problems?.find((candidate) => candidate.source === `rule.json: ${row.key}`);
      assert.ok(problem?.message.includes(row.rule.expected), `${row.key} ${value}: ${error.message}`);
    }
    for (const value of cases[row.key].good) {
      assert.notEqual(parse(value), undefined);
      writeFileSync(path.join(dir, 'rule.json'), JSON.stringify({ ...base, [row.key]: value }));
      await loadConfig({ cwd: dir, env: {}, configPath: 'rule.json' });
    }
  }
  assert.throws(() => parseConcurrency('257'), new RegExp(CONCURRENCY_SETTING.rule.expected));
  assert.equal(parseConcurrency(undefined), CONCURRENCY_SETTING.default);
  assert.equal(library.DEFAULT_TIMEOUT_MS, SETTINGS.find((row) => row.key === 'timeout').default);
});

test('the columns the library exports are the table', () => {
  assert.deepEqual(
    library.CONFIG_KEYS,
    SETTINGS.map((row) => row.key),
  );
  assert.deepEqual(CONFIG_KEYS, library.CONFIG_KEYS);
  assert.deepEqual(library.ENV_VARIABLES, ENV_VARIABLES);
  assert.deepEqual(library.SECRET_SETTINGS, SECRET_SETTINGS);
  for (const row of SETTINGS) assert.equal(library.SECRET_SETTINGS[row.key], row.secret);
  for (const row of SETTINGS) assert.equal(library.ENV_VARIABLES[row.key], row.env);
});
