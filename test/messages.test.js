// User-facing text never cites the internal protocol rule numbers (P1…P20 of docs/protocol.md): a user
// has no such document. Rule numbers stay in comments and test names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers.js';
import { FAULT_DESCRIPTIONS } from '../dist/sandbox/faults.js';

const RULE = /\bP(?:[1-9]|1[0-9]|20)\b/;

function sourceFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** Every string and template literal in a TypeScript file (comments are not tokens), with its line. */
function literals(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      found.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('no string in src/ cites a protocol rule number', () => {
  const offenders = [];
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    for (const { text, line } of literals(file)) if (RULE.test(text)) offenders.push(`${path.relative(ROOT, file)}:${line}: ${text}`);
  }
  assert.deepEqual(offenders, []);
});

test('the scan sees template literals, so the check above would catch one', () => {
  // The text moved from src/client.ts to the English catalogue with issue 13; the check is the same.
  const file = path.join(ROOT, 'src', 'i18n', 'en', 'token.ts');
  assert.ok(literals(file).some(({ text }) => text.includes('WeChat Pay answered')));
});

test('the sandbox fault descriptions (printed by `wxpay-coupon sandbox --fault`) cite no rule number', () => {
  for (const [name, description] of Object.entries(FAULT_DESCRIPTIONS)) assert.doesNotMatch(description, RULE, name);
});
