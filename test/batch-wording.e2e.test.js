// Validation messages speak the user's language in each mode: in batch, the line's JSON fields
// (never --open-id/--coupon, which --batch forbids) and the value's JSON type; with flags, the flag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { configuredSandbox, runCli } from './helpers.js';

let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
});
after(() => sandbox.close());

test('batch: every validation message names the JSON field and the JSON type, never a flag', async () => {
  const cases = [
    ['{"open_id":"o1","coupon_list":[{"stock_id":1,"coupon_id":1}]}', /^coupon_list\[0\]\.coupon_id must be a string, got a number$/],
    ['{"open_id":"o2","coupon_list":[{"stock_id":1,"coupon_id":{}}]}', /coupon_id must be a string, got an object$/],
    ['{"open_id":"o3","coupon_list":[{"stock_id":1,"coupon_id":["a"]}]}', /coupon_id must be a string, got a list$/],
    ['{"open_id":"o4","coupon_list":[{"stock_id":true,"coupon_id":"a"}]}', /stock_id: expected an integer, got true$/],
    ['{"coupon_list":[{"stock_id":1,"coupon_id":"a"}]}', /open_id is missing; add "open_id": the user’s openid/],
    ['{"open_id":5,"coupon_list":[{"stock_id":1,"coupon_id":"a"}]}', /open_id must be a string, got a number/],
    ['{"open_id":"o7"}', /没传入券列表 \(no coupon given\): add a "coupon_list" with at least one \{"stock_id", "coupon_id"\}/],
    ['{"open_id":"o8","coupon_list":[]}', /没传入券列表/],
    ['{"open_id":"o9","coupon_list":{"stock_id":1}}', /coupon_list must be a list of \{"stock_id", "coupon_id"\}, got an object/],
    ['{"open_id":"o10","coupon_list":[{"stock_id":0,"coupon_id":"a"}]}', /stock_id: 0 is not a stock id; it must be a positive number/],
    [
      `{"open_id":"o11","coupon_list":[{"stock_id":"${'9'.repeat(5000)}x","coupon_id":"a"}]}`,
      /stock_id: "9{20,40}…" is not a positive integer/,
    ],
  ];
  writeFileSync(path.join(dir, 'bad.jsonl'), cases.map(([line]) => line).join('\n'));
  const result = await runCli(['token', '--batch', 'bad.jsonl'], { cwd: dir, home: dir });
  assert.equal(result.code, 6, result.stderr);
  const lines = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  assert.equal(lines.length, cases.length);
  cases.forEach(([, pattern], index) => {
    const { message } = lines[index].error;
    assert.match(message, pattern, `line ${index + 1}`);
    assert.doesNotMatch(message, /--open-id|--coupon|got object/, `line ${index + 1}: ${message}`);
    assert.ok(message.length < 300, `line ${index + 1} quotes a short prefix at most`);
  });
});

test('flags: --coupon 0:1 says a stock id must be a positive number; a leading zero is named as such', async () => {
  const zero = await runCli(['token', '--open-id', 'o', '--coupon', '0:1', '--dry-run'], { cwd: dir, home: dir });
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /--coupon "0:1": stock id 0 is not a stock id; it must be a positive number/);
  assert.doesNotMatch(zero.stderr, /leading zero/, '0 has no leading zero to remove');
  const padded = await runCli(['token', '--open-id', 'o', '--coupon', '007:1', '--dry-run'], { cwd: dir, home: dir });
  assert.equal(padded.code, 2);
  assert.match(padded.stderr, /stock id "007" must be written without leading zeros/);
  const missing = await runCli(['token', '--open-id', '', '--coupon', '1:1', '--dry-run'], { cwd: dir, home: dir });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--open-id/);
});
