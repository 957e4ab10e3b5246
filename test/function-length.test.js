// Issue 12 §2: no function in src/ is over 100 lines, so that a reader can hold one in their head.
// Functions are found with the TypeScript compiler's own parser (every .ts, .mts, .cts, .js, .mjs
// and .cjs file under src/). A function's length counts the lines from its first token to its
// closing brace, nested functions included, that hold code: blank lines and lines of comment only
// are not counted, as ESLint's max-lines-per-function counts them with skipBlankLines and
// skipComments (the rule r4-lint adds to eslint.config.js; the two should name the same functions).
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const MAX_LINES = 100;

/**
 * Functions allowed over the limit, each with a reason; empty since the phase-2 splits were
 * merged. The test fails when a listed function is no longer over the limit, so the list cannot
 * go stale.
 */
const STILL_LONG = [];

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

function sourceFiles(dir) {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function functionName(node) {
  const own =
    node.name ??
    (node.parent && (ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent)) ? node.parent.name : undefined);
  const name = own ? own.getText() : '<anonymous>';
  const owner = node.parent && ts.isClassLike(node.parent) && node.parent.name ? `${node.parent.name.text}.` : '';
  return ts.isConstructorDeclaration(node) ? `${owner}constructor` : `${owner}${name}`;
}

/** The lines of `sourceFile` (0-based) that hold a token: not blank, not only a comment. */
function codeLines(sourceFile) {
  const lines = new Set();
  const mark = (node) => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    const children = node.getChildren(sourceFile);
    if (children.length > 0) return children.forEach(mark);
    if (node.kind === ts.SyntaxKind.EndOfFileToken) return;
    const first = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
    const last = sourceFile.getLineAndCharacterOfPosition(node.getEnd()).line;
    for (let line = first; line <= last; line += 1) lines.add(line);
  };
  mark(sourceFile);
  return lines;
}

/** Every function with a body in the files under `dir`: { file (relative to `base`), line, name, lines (of code) }. */
function functionsIn(dir, base) {
  const found = [];
  for (const file of sourceFiles(dir)) {
    const sourceFile = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const code = codeLines(sourceFile);
    const visit = (node) => {
      if (ts.isFunctionLike(node) && node.body) {
        const first = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
        const last = sourceFile.getLineAndCharacterOfPosition(node.getEnd()).line;
        let lines = 0;
        for (let line = first; line <= last; line += 1) if (code.has(line)) lines += 1;
        found.push({ file: path.relative(base, file).split(path.sep).join('/'), line: first + 1, name: functionName(node), lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

/** What is wrong: functions over the limit that are not listed, and listed ones that are no longer over it. */
function lengthProblems(functions, stillLong) {
  const long = functions.filter((fn) => fn.lines > MAX_LINES);
  const listed = (fn) => stillLong.some((entry) => entry.file === fn.file && entry.name === fn.name);
  const problems = long
    .filter((fn) => !listed(fn))
    .map(
      (fn) =>
        `${fn.file}:${fn.line} ${fn.name} has ${fn.lines} lines of code (at most ${MAX_LINES}); split it where its explanation would need a new paragraph`,
    );
  for (const entry of stillLong) {
    if (!long.some((fn) => fn.file === entry.file && fn.name === entry.name)) {
      problems.push(
        `${entry.file} ${entry.name} is listed in STILL_LONG but is not over ${MAX_LINES} lines (any more); remove it from the list`,
      );
    }
  }
  return problems;
}

test(`no function in src/ is over ${MAX_LINES} lines, except those listed as still being split`, () => {
  const problems = lengthProblems(functionsIn(path.join(root, 'src'), root), STILL_LONG);
  assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
});

/** A function of exactly `lines` lines, in TypeScript or JavaScript syntax. */
function functionOf(name, lines, typed) {
  const body = Array.from({ length: lines - 2 }, (_, index) => `  const v${index} = ${index};`);
  return [`function ${name}()${typed ? ': void' : ''} {`, ...body, '}', ''].join('\n');
}

test('the length check reports, by file:line, each function over the limit in .ts, .cjs and .mjs files, methods and arrows too', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wxpay-fnlen-'));
  try {
    mkdirSync(path.join(dir, 'src', 'deep'), { recursive: true });
    writeFileSync(
      path.join(dir, 'src', 'a.ts'),
      `// header\n\n${functionOf('fits', MAX_LINES, true)}${functionOf('tooLong', MAX_LINES + 1, true)}`,
    );
    writeFileSync(path.join(dir, 'src', 'deep', 'b.cjs'), `'use strict';\n${functionOf('inCjs', MAX_LINES + 1, false)}`);
    const arrow = functionOf('x', MAX_LINES + 1, false).replace('function x() {', 'export const arrow = () => {');
    writeFileSync(path.join(dir, 'src', 'c.mjs'), arrow);
    const method = functionOf('run', MAX_LINES + 1, true).replace('function run(): void {', '  run(): void {');
    writeFileSync(path.join(dir, 'src', 'd.ts'), `export class Runner {\n${method}}\n`);
    // 100 lines of code plus blank lines and comments of every kind: still within the limit.
    const padded = functionOf('padded', MAX_LINES, true).replace(
      '  const v0 = 0;',
      '  const v0 = 0;\n\n  // a comment\n  /* a block\n     comment */\n  /** a doc comment */\n',
    );
    writeFileSync(path.join(dir, 'src', 'e.ts'), padded);
    const problems = lengthProblems(functionsIn(path.join(dir, 'src'), dir), []);
    assert.deepEqual(
      problems.map((problem) => problem.split(' has ')[0].split(' is ')[0]),
      ['src/a.ts:103 tooLong', 'src/c.mjs:1 arrow', 'src/d.ts:2 Runner.run', 'src/deep/b.cjs:2 inCjs'],
    );
    assert.match(problems[0], /has 101 lines of code \(at most 100\)/);

    // A listed function passes while over the limit, and fails the check once it is not.
    assert.deepEqual(
      lengthProblems(functionsIn(path.join(dir, 'src'), dir), [
        { file: 'src/a.ts', name: 'tooLong' },
        { file: 'src/c.mjs', name: 'arrow' },
        { file: 'src/d.ts', name: 'Runner.run' },
        { file: 'src/deep/b.cjs', name: 'inCjs' },
      ]),
      [],
    );
    const stale = lengthProblems(functionsIn(path.join(dir, 'src'), dir), [{ file: 'src/a.ts', name: 'fits' }]);
    assert.ok(
      stale.includes('src/a.ts fits is listed in STILL_LONG but is not over 100 lines (any more); remove it from the list'),
      stale.join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
