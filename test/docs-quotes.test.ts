/**
 * Docs that quote the tool's output: every `node bin/adan-lab.js ... --json` line of README.md
 * followed by a `# {...}` comment is run, and each value the comment gives must be what the tool
 * prints now (numbers to the decimals quoted; `...` stands for fields left out; `seconds` and
 * other timings are not compared). REPRODUCTION.md and BENCHMARKS.md quote the same eval line
 * in prose: its WA / UAR must match too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { projectRoot } from '../src/data/locate';
import { realData } from './real-data';

const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
const TIMINGS = new Set(['seconds']);

/** Pairs of (command arguments, quoted output) from a markdown file's code blocks. */
function quotedRuns(file: string): { args: string[]; quote: string; line: number }[] {
  const lines = fs.readFileSync(path.join(projectRoot, file), 'utf8').split('\n');
  const out: { args: string[]; quote: string; line: number }[] = [];
  lines.forEach((l, i) => {
    const m = /^node bin\/adan-lab\.js (.*--json)\s*(#.*)?$/.exec(l.trim());
    const next = lines[i + 1]?.trim() ?? '';
    if (m && next.startsWith('# {')) out.push({ args: m[1].split(/\s+/), quote: next.slice(2), line: i + 1 });
  });
  return out;
}

/** Fields of a quoted JSON line that are given (not `...`), as text. */
function quotedFields(quote: string): Map<string, string> {
  const fields = new Map<string, string>();
  const body = quote.replace(/^\{|\}$/g, '');
  // top-level "key":value pairs; arrays and objects are compared from their first element only when written out
  const re = /"([A-Za-z]+)":("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:e-?\d+)?|true|false|\[[^\]]*\]|\{[^}]*\})/g;
  for (const m of body.matchAll(re)) fields.set(m[1], m[2]);
  return fields;
}

function decimals(text: string): number {
  const m = /\.(\d+)/.exec(text);
  return m ? m[1].length : 0;
}

const runs = quotedRuns('README.md');

test('README quotes command outputs: there are some, and each names a command with --json', () => {
  assert.ok(runs.length >= 2, `found ${runs.length}`);
});

for (const r of runs) {
  const needs = r.args.find((a) => /^(emodb|iemocap)-/.test(a));
  test(`README line ${r.line}: adan-lab ${r.args.join(' ')} prints what the line below it says`, { skip: needs ? realData(needs).skip : false }, () => {
    const printed = JSON.parse(execFileSync(process.execPath, [bin, ...r.args], { encoding: 'utf8' })) as Record<string, unknown>;
    for (const [key, text] of quotedFields(r.quote)) {
      if (TIMINGS.has(key)) continue;
      assert.ok(key in printed, `${key} is quoted but not printed`);
      const value = printed[key];
      if (typeof value === 'number') assert.equal(value.toFixed(decimals(text)), Number(text).toFixed(decimals(text)), `${key}: quoted ${text}, printed ${value}`);
      else if (Array.isArray(value) && text.startsWith('[')) {
        const quotedArray = JSON.parse(text.replace(/,\.\.\./g, '').replace(/\.\.\./g, '')) as unknown[];
        assert.deepEqual(value.slice(0, quotedArray.length), quotedArray, key);
      } else assert.equal(JSON.stringify(value), text, key);
    }
  });
}

test('REPRODUCTION.md and BENCHMARKS.md quote the README eval line with the WA / UAR it prints', { skip: realData('emodb-is11').skip }, () => {
  const evalRun = runs.find((r) => r.args.join(' ') === 'eval --data emodb-is11 --classifier svm --json');
  assert.ok(evalRun, 'README has the svm eval line');
  const f = quotedFields(evalRun.quote);
  const wa = (100 * Number(f.get('wa'))).toFixed(2);
  const uar = (100 * Number(f.get('uar'))).toFixed(2);
  assert.match(fs.readFileSync(path.join(projectRoot, 'REPRODUCTION.md'), 'utf8'), new RegExp(`eval --data emodb-is11 --classifier svm --json\`: ${wa} / ${uar}`));
  assert.match(fs.readFileSync(path.join(projectRoot, 'BENCHMARKS.md'), 'utf8'), new RegExp(`eval --data emodb-is11 --classifier svm\` gives WA ${wa} / UAR ${uar}`));
});

test('REPRODUCTION.md holds the side-by-side Table I exactly as the script prints it from the committed tables', () => {
  // the script reads docs/results only (no data): a table republished without the doc fails here
  const printed = execFileSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'table1-side-by-side.js')], { encoding: 'utf8' });
  const doc = new Set(fs.readFileSync(path.join(projectRoot, 'REPRODUCTION.md'), 'utf8').split('\n'));
  const rows = printed.split('\n').filter((l) => l.startsWith('|'));
  assert.ok(rows.length >= 40, `printed ${rows.length} table lines`);
  const missing = rows.filter((l) => !doc.has(l));
  assert.deepEqual(missing, [], 'lines of `node dist/scripts/table1-side-by-side.js` missing from REPRODUCTION.md');
});
