/**
 * The paper's IEMOCAP setting from a user's own corpus, on the command line: a features file of
 * IEMOCAP utterances labelled from the corpus' Session*\/dialog/EmoEvaluation files, with the
 * label set chosen by flags. The tree here is built in the corpus' own format (labels only).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { Random } from '../src/util/random';

const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

/**
 * Five sessions, each with one improvised and one scripted dialogue; per session the improvised
 * dialogue has 3 ang, 2 hap, 4 neu, 3 sad, 2 exc, 1 fru turns and the scripted one 1 of each
 * of ang, hap, neu, sad, exc, sur. Returns the root and a features CSV over every turn.
 */
function corpus(): { root: string; csv: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-iemocap-cli-'));
  const rng = new Random(7);
  const rows: string[] = [];
  const d = 6;
  for (let s = 1; s <= 5; s++) {
    const dir = path.join(root, `Session${s}`, 'dialog', 'EmoEvaluation');
    fs.mkdirSync(dir, { recursive: true });
    const dialogues: [string, string[]][] = [
      [`Ses0${s}F_impro01`, ['ang', 'ang', 'ang', 'hap', 'hap', 'neu', 'neu', 'neu', 'neu', 'sad', 'sad', 'sad', 'exc', 'exc', 'fru']],
      [`Ses0${s}M_script01_1`, ['ang', 'hap', 'neu', 'sad', 'exc', 'sur']],
    ];
    for (const [dialog, codes] of dialogues) {
      const lines = ['% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]', ''];
      codes.forEach((code, t) => {
        const id = `${dialog}_${t % 2 === 0 ? 'F' : 'M'}${String(t).padStart(3, '0')}`;
        lines.push(`[${t}.0000 - ${t + 1}.0000]\t${id}\t${code}\t[2.5000, 2.5000, 2.5000]`, 'C-E2:\tNeutral;\t()', '');
        // a feature row that leans toward its class, so classifiers have something to learn
        const c = ['ang', 'hap', 'neu', 'sad', 'exc', 'fru', 'sur'].indexOf(code);
        rows.push([`'${id}'`, '0.0', ...Array.from({ length: d }, (_, j) => ((j === c % d ? 2 : 0) + rng.normal()).toExponential(6))].join(';'));
      });
      fs.writeFileSync(path.join(dir, `${dialog}.txt`), lines.join('\n'));
    }
  }
  const csv = path.join(root, 'features.csv');
  fs.writeFileSync(csv, [['name', 'frameTime', ...Array.from({ length: d }, (_, j) => `f${j}`)].join(';'), ...rows].join('\n') + '\n');
  return { root, csv };
}

test('data info: --iemocap-root labels a features file; --improvised-only, --classes and --no-merge-excited choose the set', () => {
  const { root, csv } = corpus();
  const info = (...flags: string[]): { rows: number; classes: { name: string; count: number }[]; groups: { name: string }[] } => {
    const r = cli('data', 'info', csv, '--iemocap-root', root, '--json', ...flags);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  // the paper's setting: improvised only, excited left out: 3 ang, 2 hap, 4 neu, 3 sad per session
  const paper = info('--improvised-only', '--no-merge-excited');
  assert.equal(paper.rows, 5 * 12);
  assert.deepEqual(paper.classes.map((c) => [c.name, c.count]), [['angry', 15], ['happy', 10], ['neutral', 20], ['sad', 15]]);
  assert.deepEqual(paper.groups.map((g) => g.name), ['Ses01', 'Ses02', 'Ses03', 'Ses04', 'Ses05']);
  // excited merged into happy (the iemocap-is10 convention, the default)
  assert.deepEqual(info('--improvised-only').classes.map((c) => c.count), [15, 20, 20, 15]);
  // scripted dialogues too: + 1 ang, hap, neu, sad (+ exc merged) per session
  assert.deepEqual(info().classes.map((c) => c.count), [20, 30, 25, 20]);
  // eleven codes, every turn
  const eleven = info('--classes', '11');
  assert.equal(eleven.rows, 5 * 21);
  assert.equal(eleven.classes.length, 11);
  const bad = cli('data', 'info', csv, '--classes', '7');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /'--classes <n>' argument '7' is invalid\. Allowed choices are 4, 11/);
  const unlabelled = cli('data', 'info', csv, '--json');
  assert.equal(unlabelled.status, 1);
  assert.match(unlabelled.stderr, /features\.csv: rows are IEMOCAP utterances, whose names carry no label: pass iemocapRoot/);
});

test('eval runs leave-one-session-out on the labelled set; reproduce iemocap --data FILE takes the same flags', () => {
  const { root, csv } = corpus();
  const r = cli('eval', '--data', csv, '--iemocap-root', root, '--improvised-only', '--no-merge-excited', '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.folds, 5);
  assert.equal(report.n, 60);
  assert.ok(report.uar > 0.4, `UAR ${report.uar}`);
  const dry = cli('reproduce', 'iemocap', '--quick', '--data', csv, '--iemocap-root', root, '--improvised-only', '--no-merge-excited', '--dry-run', '--store', path.join(root, 'store'), '--json');
  assert.equal(dry.status, 0, dry.stderr);
  assert.ok(JSON.parse(dry.stdout).total > 0);
});
