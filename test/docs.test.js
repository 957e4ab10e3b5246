// Doc citations point at something real: every `*.md` file that code, tests, scripts and the
// docs cite exists in the repository, and every protocol rule number they cite (P5, P12–P17)
// is defined in docs/protocol.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.js';

const SCANNED_FOLDERS = ['src', 'test', 'scripts', 'bin', '.ci', 'docs'];
const SCANNED_FILES = ['README.md', 'README.zh-CN.md', 'CONTRIBUTING.md', '.wxpayrc.example', '.wxpayrc.zh-CN.example', 'package.json'];
// Data, not prose: key material and recorded answers may contain anything.
const SKIPPED = new Set(['test/fixtures', 'test/snapshots', 'test/docs.test.js']); // this file: its samples

function filesUnder(relative) {
  const full = path.join(ROOT, relative);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const child = `${relative}/${entry.name}`;
    if (SKIPPED.has(child)) return [];
    if (entry.isDirectory()) return filesUnder(child);
    return /\.(ts|js|cjs|mjs|md|json)$|^run$/.test(entry.name) ? [child] : [];
  });
}

const scanned = [...SCANNED_FOLDERS.flatMap(filesUnder), ...SCANNED_FILES.filter((file) => existsSync(path.join(ROOT, file)))];

/** The `*.md` names a text cites: `docs/protocol.md`, `STYLE.md`, `[x](architecture.md)`. */
export function mdCitations(text) {
  return [...text.matchAll(/(?<![\w./-])((?:\.{1,2}\/)?(?:[\w.-]+\/)*[\w.-]+\.md)\b/g)].map((match) => match[1]);
}

/** Every rule number a text cites; a range `P12–P17` cites each number in it. */
export function ruleCitations(text) {
  const numbers = new Set();
  for (const match of text.matchAll(/\bP(\d{1,3})(?:\s*[–-]\s*P(\d{1,3}))?\b/g)) {
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    for (let number = from; number <= Math.max(from, to); number += 1) numbers.add(number);
  }
  return [...numbers];
}

const protocolText = readFileSync(path.join(ROOT, 'docs', 'protocol.md'), 'utf8');
const defined = new Set([...protocolText.matchAll(/^- \*\*P(\d+)\.\*\*/gm)].map((match) => Number(match[1])));

test('the citation parsers find what they should', () => {
  assert.deepEqual(mdCitations('see STYLE.md, [x](architecture.md) and docs/protocol.md; not foo.mdx'), [
    'STYLE.md',
    'architecture.md',
    'docs/protocol.md',
  ]);
  assert.deepEqual(ruleCitations('P3, (P8–P10) and P5; not HTTP2 or APP5'), [3, 8, 9, 10, 5]);
});

test('docs/protocol.md defines the rules P1–P20 the code has always cited', () => {
  for (let number = 1; number <= 26; number += 1) assert.ok(defined.has(number), `P${number} is not defined`);
});

test('every *.md file cited in code, tests, scripts and docs exists in the repository', () => {
  const missing = [];
  for (const file of scanned) {
    for (const cited of mdCitations(readFileSync(path.join(ROOT, file), 'utf8'))) {
      const candidates = [path.join(ROOT, cited), path.join(ROOT, path.dirname(file), cited)];
      if (!candidates.some((candidate) => existsSync(candidate))) missing.push(`${file} cites ${cited}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every rule number cited in code, tests, scripts and docs is defined in docs/protocol.md', () => {
  const undefinedRules = [];
  let citations = 0;
  for (const file of scanned) {
    for (const number of ruleCitations(readFileSync(path.join(ROOT, file), 'utf8'))) {
      citations += 1;
      if (!defined.has(number)) undefinedRules.push(`${file} cites P${number}`);
    }
  }
  assert.ok(citations > 50, `control: only ${citations} citations seen`);
  assert.deepEqual(undefinedRules, []);
});
