import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  JsonNumber,
  UsageError,
  normalizeStockId,
  parseCouponSpec,
  parseLosslessJson,
  serializeTokenRequest,
  validateTokenRequest,
} from '../dist/index.js';

function usageMessage(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    assert.equal(error.exitCode, 2);
    return error.message;
  }
  assert.fail('expected a usage error');
}

test('a coupon spec becomes an integer stock id and a string coupon id (P3)', () => {
  assert.deepEqual(parseCouponSpec('16474341:11004999626'), { stock_id: '16474341', coupon_id: '11004999626' });
  const body = serializeTokenRequest(validateTokenRequest({ open_id: 'oUser', coupon_list: [parseCouponSpec('16474341:11004999626')] }));
  assert.equal(body, '{"open_id":"oUser","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}');
});

test('a stock id above 2^53 keeps every digit in the body (P3)', () => {
  const body = serializeTokenRequest(validateTokenRequest({ open_id: 'o', coupon_list: [parseCouponSpec('9007199254740993:1')] }));
  assert.match(body, /"stock_id":9007199254740993,/);
  assert.equal(parseLosslessJson(body).coupon_list[0].stock_id.text, '9007199254740993');
  assert.deepEqual(normalizeStockId(9007199254740993n), { digits: '9007199254740993' });
  assert.match(normalizeStockId(2 ** 53 + 2).problem, /not an exact integer/);
});

test('bad coupon specs are usage errors that show the right form', () => {
  assert.match(
    usageMessage(() => parseCouponSpec('16474341')),
    /<stock_id>:<coupon_id>.*--coupon 16474341:11004999626/,
  );
  assert.match(
    usageMessage(() => parseCouponSpec('abc:1')),
    /stock id "abc" is not a positive integer/,
  );
  assert.match(
    usageMessage(() => parseCouponSpec('-1:1')),
    /not a positive integer/,
  );
  assert.match(
    usageMessage(() => parseCouponSpec('007:1')),
    /leading zeros/,
  );
  assert.match(
    usageMessage(() => parseCouponSpec('9223372036854775808:1')),
    /larger than the largest stock id/,
  );
  assert.match(
    usageMessage(() => parseCouponSpec('1:')),
    /coupon id is empty/,
  );
  assert.match(
    usageMessage(() => parseCouponSpec(`1:${'x'.repeat(65)}`)),
    /65 characters long/,
  );
  assert.deepEqual(parseCouponSpec(`1:${'券'.repeat(64)}`).coupon_id.length, 64);
  // A full-width colon (what a Chinese input method types) is named, with the spec mended.
  assert.match(
    usageMessage(() => parseCouponSpec('16474341\uff1a11004999626')),
    /full-width colon.*write an ASCII one: --coupon 16474341:11004999626$/,
  );
});

test('two coupons in one --coupon are refused, not sent as one odd coupon id', () => {
  for (const [spec, named] of [
    ['16474341:1,16474341:2', '","'],
    ['16474341:1 16474341:2', 'a space'],
    ['16474341:1;2', '";"'],
    ['1:2:3', '":"'],
    ['16474341:1\t2', 'a space'],
    ['16474341:1，2', '"，"'],
    ['16474341:1、2', '"、"'],
  ]) {
    const message = usageMessage(() => parseCouponSpec(spec));
    assert.ok(message.includes(`the coupon id holds ${named}`), `${spec}: ${message}`);
    assert.match(message, /give each coupon its own --coupon/);
  }
  // Around the id, spaces are only trimmed.
  assert.deepEqual(parseCouponSpec(' 16474341 : 11004999626 '), { stock_id: '16474341', coupon_id: '11004999626' });
  fc.assert(
    fc.property(
      stockDigits,
      couponId,
      couponId,
      fc.constantFrom(' ', ',', ';', ':', '，', '；', '、', '\t'),
      (stock, first, second, separator) => {
        assert.throws(() => parseCouponSpec(`${stock}:${first}${separator}${second}`), { code: 'INVALID_COUPON' });
      },
    ),
    { numRuns: 200 },
  );
});

test('P4 rules are checked before sending, in the server\u2019s own words', () => {
  assert.match(
    usageMessage(() => validateTokenRequest({ open_id: 'o', coupon_list: [] })),
    /^没传入券列表/,
  );
  assert.match(
    usageMessage(() =>
      validateTokenRequest({
        open_id: 'o',
        coupon_list: [
          { stock_id: 1, coupon_id: 'a' },
          { stock_id: 2, coupon_id: 'b' },
        ],
      }),
    ),
    /^单次请求只能传一个批次号.*stocks 1, 2/,
  );
  assert.match(
    usageMessage(() =>
      validateTokenRequest({
        open_id: 'o',
        coupon_list: [
          { stock_id: 1, coupon_id: 'a' },
          { stock_id: 1, coupon_id: 'a' },
        ],
      }),
    ),
    /^券ID存在重复.*a is given twice/,
  );
  assert.match(
    usageMessage(() => validateTokenRequest({ open_id: '', coupon_list: [{ stock_id: 1, coupon_id: 'a' }] })),
    /OpenID有误.*1 to 64/,
  );
  assert.match(
    usageMessage(() => validateTokenRequest({ open_id: 'o'.repeat(65), coupon_list: [{ stock_id: 1, coupon_id: 'a' }] })),
    /got 65/,
  );
  assert.match(
    usageMessage(() => validateTokenRequest({ coupon_list: [] })),
    /open_id is missing/,
  );
  assert.match(
    usageMessage(() => validateTokenRequest({ open_id: 'o', coupon_list: [{ stock_id: 1.5, coupon_id: 'a' }] })),
    /stock_id/,
  );
  assert.match(
    usageMessage(() => validateTokenRequest({ open_id: 'o', coupon_list: [{ stock_id: 1, coupon_id: 7 }] })),
    /coupon_id must be a string/,
  );
  assert.match(
    usageMessage(() => validateTokenRequest({ open_id: 'o', coupon_list: [{ stock_id: new JsonNumber('1e3'), coupon_id: 'a' }] })),
    /not an integer/,
  );
});

// What separates two coupons, or a stock id from its coupon id, when a person types a list.
const SEPARATOR = /[\s,;:，；：、]/u;
// Refused in any id, each with its own message (tested below): typographic quotes, control and format
// characters, any space (U+0020, U+3000…), and the full-width forms of ASCII (U+FF01-U+FF5E).
const REFUSED = /[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u2018-\u201f\u00ab\u00bb\u300c-\u300f\uff01-\uff5e]/u;
const stockDigits = fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String);
const couponId = fc
  .string({ minLength: 1, maxLength: 64, unit: 'grapheme' })
  // U+FFFD marks bytes that were not UTF-8: refused (tested below), so not a valid id.
  .filter((s) => [...s].length <= 64 && !SEPARATOR.test(s) && s.trim() === s && s.length > 0 && !s.includes('\uFFFD') && !REFUSED.test(s));

test('property: any valid coupon spec parses and round-trips into the body with exact digits', () => {
  fc.assert(
    fc.property(
      stockDigits,
      fc.uniqueArray(couponId, { minLength: 1, maxLength: 5 }),
      fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() === s && s.length > 0 && !s.includes('\uFFFD') && !REFUSED.test(s)),
      (stock, coupons, openId) => {
        const parsed = coupons.map((id) => parseCouponSpec(`${stock}:${id}`));
        const body = serializeTokenRequest(validateTokenRequest({ open_id: openId, coupon_list: parsed }));
        const back = parseLosslessJson(body);
        assert.equal(back.open_id, openId);
        assert.deepEqual(
          back.coupon_list.map((c) => c.coupon_id),
          coupons,
        );
        for (const coupon of back.coupon_list) {
          assert.ok(coupon.stock_id instanceof JsonNumber);
          assert.equal(coupon.stock_id.text, stock);
        }
        // The body is also plain JSON for any other reader.
        assert.equal(JSON.parse(body).coupon_list.length, coupons.length);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: the lossless parser agrees with JSON.parse on JSON without large numbers', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
      // Compact and indented (whitespace between tokens); any UTF-16 text, lone surrogates too,
      // in strings with and without escapes.
      const text = JSON.stringify(value, null, indent);
      const normalise = (v) => JSON.parse(JSON.stringify(v));
      assert.deepEqual(normalise(parseLosslessJson(text)), JSON.parse(text));
    }),
    { numRuns: 1000 },
  );
});

test('the lossless parser rejects what JSON.parse rejects', () => {
  for (const text of ['', '{', '{"a":1,}', '[1,]', '01', 'tru', '"\u0001"', '{"a" 1}', '1 2', 'NaN']) {
    assert.throws(() => JSON.parse(text));
    assert.throws(() => parseLosslessJson(text), /position/, text);
  }
  assert.equal(parseLosslessJson('{"__proto__":1}')['__proto__'].text, '1');
});

test('U+FFFD (bytes that were not UTF-8, decoded) in an open_id or a coupon id is refused, not sent damaged', () => {
  const coupon = { stock_id: 16474341, coupon_id: 'c1' };
  for (const [request, flags, pattern] of [
    [{ open_id: 'o\uFFFDUser', coupon_list: [coupon] }, 'flags', /--open-id holds U\+FFFD.*give it as UTF-8/],
    [{ open_id: 'o\uFFFDUser', coupon_list: [coupon] }, undefined, /open_id holds U\+FFFD/],
    [
      { open_id: 'oUser', coupon_list: [{ stock_id: 16474341, coupon_id: '\uFFFD' }] },
      undefined,
      /coupon_list\[0\]\.coupon_id holds U\+FFFD/,
    ],
  ]) {
    const message = usageMessage(() => validateTokenRequest(request, '', flags));
    assert.match(message, pattern);
  }
  assert.match(
    usageMessage(() => parseCouponSpec('16474341:c\uFFFD')),
    /coupon id holds U\+FFFD/,
  );
  // Other non-ASCII text is still passed on as given (the server judges it).
  assert.equal(validateTokenRequest({ open_id: 'o用户', coupon_list: [coupon] }).open_id, 'o用户');
});

test('half of a surrogate pair (a lone \\ud800 in a JSON line) is refused like U+FFFD; a whole pair (an emoji) is not', () => {
  const coupon = (id) => ({ open_id: 'oUser', coupon_list: [{ stock_id: 16474341, coupon_id: id }] });
  assert.match(
    usageMessage(() => validateTokenRequest(coupon('2\ud800'))),
    /coupon_id holds U\+FFFD.*or half of a surrogate pair/,
  );
  assert.match(
    usageMessage(() => validateTokenRequest({ open_id: 'o\udc00', coupon_list: [{ stock_id: 1, coupon_id: 'c' }] })),
    /open_id holds U\+FFFD/,
  );
  assert.equal(validateTokenRequest(coupon('c\ud83d\ude00')).coupon_list[0].coupon_id, 'c\ud83d\ude00');
});

test('a coupon_id with spaces around it is refused like an open_id (it would be sent with them); --coupon trims around its colon', () => {
  for (const [couponId, note] of [
    [' 11004999626', ''],
    ['11004999626 ', ''],
    ['\t1\n', '; it starts with U+0009, not an ASCII space'],
    [' 1\u3000', '; it ends with U+3000, not an ASCII space'],
  ]) {
    const message = usageMessage(() =>
      validateTokenRequest({ open_id: 'oUser', coupon_list: [{ stock_id: 16474341, coupon_id: couponId }] }, 'line 1'),
    );
    assert.equal(
      message,
      `line 1: coupon_list[0].coupon_id has spaces around it; a coupon id is sent exactly as written, so write it without them${note}`,
    );
  }
  assert.deepEqual(parseCouponSpec('16474341 : 11004999626 '), { stock_id: '16474341', coupon_id: '11004999626' });
});

test('--open-id "" (an unset variable) names the empty variable; an empty open_id in a batch line does not talk of flags', () => {
  const flag = usageMessage(() => validateTokenRequest({ open_id: '', coupon_list: [{ stock_id: 1, coupon_id: '2' }] }, '', 'flags'));
  assert.match(flag, /--open-id must be 1 to 64 characters without surrounding spaces \(got 0\)/);
  assert.ok(flag.endsWith('; if it came from a variable (--open-id "$OPENID"), that variable is empty'), flag);
  const spaced = usageMessage(() => validateTokenRequest({ open_id: ' o', coupon_list: [{ stock_id: 1, coupon_id: '2' }] }, '', 'flags'));
  assert.ok(!spaced.includes('variable'), spaced);
  const line = usageMessage(() => validateTokenRequest({ open_id: '', coupon_list: [{ stock_id: 1, coupon_id: '2' }] }, 'line 1'));
  assert.ok(!line.includes('--open-id') && !line.includes('variable'), line);
});

test('typographic quotes and invisible characters in an open_id or coupon id are refused, named, never sent (helper-37, helper-38)', () => {
  const request = (openId, couponId) => ({ open_id: openId, coupon_list: [{ stock_id: 16474341, coupon_id: couponId }] });
  for (const quote of ['\u201c', '\u201d', '\u2018', '\u2019', '\u300c', '\uff02']) {
    const flag = usageMessage(() => validateTokenRequest(request(`${quote}oUser`, '1'), '', 'flags'));
    assert.match(flag, new RegExp(`--open-id holds the typographic quote ${quote}, which an editor or chat app put in`));
    const line = usageMessage(() => validateTokenRequest(request('oUser', `1${quote}`), 'line 2'));
    assert.match(line, new RegExp(`^line 2: coupon_list\\[0\\]\\.coupon_id holds the typographic quote ${quote}`));
    assert.equal(
      usageMessage(() => parseCouponSpec(`${quote}16474341:11004999626${quote}`)),
      `--coupon "${quote}16474341:11004999626${quote}" holds the typographic quote ${quote}, which an editor or chat app put in for an ASCII one; write it without quotes: --coupon 16474341:11004999626`,
    );
  }
  for (const [character, code] of [
    ['\u0000', 'U+0000'],
    ['\u0001', 'U+0001'],
    ['\u001b', 'U+001B'],
    ['\u007f', 'U+007F'],
    ['\u200b', 'U+200B'],
    ['\u202e', 'U+202E'],
    ['\ufeff', 'U+FEFF'],
  ]) {
    const openId = usageMessage(() => validateTokenRequest(request(`o${character}x`, '1'), 'line 1'));
    assert.match(openId, new RegExp(`open_id holds an invisible character \\(${code.replace('+', '\\+')}\\), pasted with it`));
    const couponId = usageMessage(() => validateTokenRequest(request('oUser', `1${character}2`), 'line 1'));
    assert.match(couponId, new RegExp(`coupon_id holds an invisible character \\(${code.replace('+', '\\+')}\\)`));
  }
  // Letters of any script are not refused: only the characters no id holds.
  assert.equal(validateTokenRequest(request('o用户-_Ab9', '券1'), 'line 1').open_id, 'o用户-_Ab9');
});

test('a key under another spelling ("openid", "stock", "stockId", "couponId") is named with the key meant (careless check, helper-38)', () => {
  const cases = [
    [
      { openid: 'o', coupon_list: [{ stock_id: 1, coupon_id: '2' }] },
      'line 1: "openid" is not a key the API reads; did you mean "open_id"?',
    ],
    [
      { open_id: 'o', coupons: [{ stock_id: 1, coupon_id: '2' }] },
      'line 1: "coupons" is not a key the API reads; did you mean "coupon_list"?',
    ],
    [
      { open_id: 'o', coupon_list: [{ stock: '1', coupon_id: '2' }] },
      'line 1: coupon_list[0]: "stock" is not a key the API reads; did you mean "stock_id"?',
    ],
    [
      { open_id: 'o', coupon_list: [{ stock_id: 1, 'Coupon-ID': '2' }] },
      'line 1: coupon_list[0]: "Coupon-ID" is not a key the API reads; did you mean "coupon_id"?',
    ],
  ];
  for (const [input, start] of cases) {
    const message = usageMessage(() => validateTokenRequest(input, 'line 1'));
    assert.ok(message.startsWith(start), message);
    assert.ok(message.endsWith('(the keys are open_id, coupon_list, stock_id, coupon_id)'), message);
  }
  // With the right key present too, the other is just an extra key, as before.
  assert.equal(validateTokenRequest({ open_id: 'o', openid: 'x', coupon_list: [{ stock_id: 1, coupon_id: '2' }] }).open_id, 'o');
});

test('a stock id in full-width digits is named with the ASCII digits to write (careless check, helper-38)', async () => {
  assert.match(
    usageMessage(() => parseCouponSpec('\uff11\uff16\uff14\uff17\uff14\uff13\uff14\uff11:1')),
    /stock id "１６４７４３４１" is written in full-width digits \(a Chinese input method's\); write ASCII digits: 16474341/,
  );
  const { parseFaultSpec } = await import('../dist/sandbox/index.js');
  assert.throws(() => parseFaultSpec('503\uff1a2'), /"503：2" has a full-width colon \(：\); write an ASCII one: --fault 503:2/);
});

test('line and paragraph separators count as invisible in ids, and are written \\uXXXX in text from an answer (helper-39)', async () => {
  assert.match(
    usageMessage(() => validateTokenRequest({ open_id: 'oU\u2028ser', coupon_list: [{ stock_id: 1, coupon_id: '2' }] }, 'line 1')),
    /open_id holds an invisible character \(U\+2028\)/,
  );
  const { printable } = await import('../dist/redact.js');
  assert.equal(
    printable('x\u0000y\u2028z\u2029w\ufeffv\u00adq\u061cr\u200bs'),
    'x\\u0000y\\u2028z\\u2029w\\ufeffv\\u00adq\\u061cr\\u200bs',
  );
  assert.equal(printable('券ID存在重复 ok'), '券ID存在重复 ok');
});

test('escapeInvisible writes an astral format character by its whole code point, and keeps only what it is told to', async () => {
  const { escapeInvisible, printable, safeToPrint } = await import('../dist/redact.js');
  assert.equal(printable('a\u{e0001}b\u{1d173}c'), 'a\\u{e0001}b\\u{1d173}c');
  assert.equal(escapeInvisible('a\nb\tc\u202e', '\n'), 'a\nb\\u0009c\\u202e');
  assert.equal(safeToPrint('line one\n\tline two \u001b[2J'), 'line one\n\\u0009line two \\u001b[2J');
});

test('a space inside an open_id or a JSON coupon_id (two ids pasted as one, a full-width space) is refused, named by code point', () => {
  const request = (openId, couponId) => ({ open_id: openId, coupon_list: [{ stock_id: 1, coupon_id: couponId }] });
  assert.match(
    usageMessage(() => validateTokenRequest(request('oUser1 oUser2', '1'), 'line 1')),
    /^line 1: OpenID有误 \(bad openid\): open_id holds a space \(U\+0020\), which no openid has; give one user’s openid \(a token is for one user: for several, use --batch\)$/,
  );
  assert.match(
    usageMessage(() => validateTokenRequest(request('oU\u3000ser', '1'), '', 'flags')),
    /--open-id holds a space \(U\+3000\)/,
  );
  assert.match(
    usageMessage(() => validateTokenRequest(request('oUser', '1\u00a02'), 'line 2')),
    /^line 2: coupon_list\[0\]\.coupon_id holds a space \(U\+00A0\), which no coupon id has; give each coupon its own entry in coupon_list$/,
  );
});

test('full-width forms in an open_id or coupon id (１１００, ｏUser) are refused with the ASCII spelling; a comma where the colon goes and a space that is not ASCII in --coupon are named (careless check, helper-41)', () => {
  const request = (openId, couponId) => ({ open_id: openId, coupon_list: [{ stock_id: 1, coupon_id: couponId }] });
  assert.match(
    usageMessage(() => validateTokenRequest(request('oUser', '１１００４９９９６２６'), 'line 1')),
    /^line 1: coupon_list\[0\]\.coupon_id is written in full-width characters \(a Chinese input method's full-width mode\); write them in ASCII: 11004999626$/,
  );
  assert.match(
    usageMessage(() => parseCouponSpec('16474341:１１００４９９９６２６')),
    /^--coupon "16474341:１１００４９９９６２６": coupon id is written in full-width characters .*: 11004999626$/,
  );
  assert.match(
    usageMessage(() => validateTokenRequest(request('ｏＵｓｅｒ＿１', '1'), '', 'flags')),
    /--open-id holds full-width characters \(a Chinese input method's full-width mode\); write them in ASCII: oUser_1$/,
  );
  for (const [spec, separator] of [
    ['16474341，11004999626', '，'],
    ['16474341,11004999626', ','],
    ['16474341；11004999626', '；'],
  ]) {
    assert.equal(
      usageMessage(() => parseCouponSpec(spec)),
      `--coupon "${spec}" separates the stock id and the coupon id with "${separator}"; a colon goes there: --coupon 16474341:11004999626`,
    );
  }
  assert.match(
    usageMessage(() => parseCouponSpec('16474341:11\u00a022')),
    /the coupon id holds a space \(U\+00A0, not an ASCII one\), so this is more than one coupon/,
  );
  assert.match(
    usageMessage(() => parseCouponSpec('16474341:11 22')),
    /the coupon id holds a space, so this is more than one coupon/,
  );
});

test('--coupon "" (an unset variable) names the empty variable, as --open-id "" does (careless check, helper-41)', () => {
  assert.equal(
    usageMessage(() => parseCouponSpec('')),
    '--coupon "" is not <stock_id>:<coupon_id>; write it like --coupon 16474341:11004999626; if it came from a variable (--coupon "$COUPON"), that variable is empty',
  );
  assert.doesNotMatch(
    usageMessage(() => parseCouponSpec('abc')),
    /variable/,
  );
});
