/** The committed notebooks' "What we find" cells quote numbers their outputs show (issue #23). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decimalNumbers, findingCells, unquotedNumbers } from '../src/notebook/prose';
import type { NotebookJson } from '../src/notebook/clean';
import { projectRoot } from '../src/data/locate';

const dir = path.join(projectRoot, 'notebooks');
const read = (f: string): NotebookJson => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as NotebookJson;

/**
 * Numbers a notebook quotes from somewhere other than its outputs, each with where from. Keep
 * this short: a number here is one a reader cannot check against the cell above it.
 */
const FROM_ELSEWHERE: Record<string, Record<string, string>> = {
  '01-data.ipynb': { '80.93': "scikit-learn's linear SVC on these files (REPRODUCTION.md)", '79.44': 'the same' },
  '03-latent-space.ipynb': { '0.004': 'ADAN and WADAN minus the floor, from the table', '0.007': 'the same', '0.033': '4 (1/243 + 1/243), the formula', '83.7': 'docs/results/emodb-code/units.csv, fold 1 (said in the prose)', '87.8': 'the same' },
  '07-efficiency.ipynb': { '25.4': 'docs/results/emodb/table.txt at commit 510609a (the first computation, said in the prose)', '0.97': 'ratio to the paper', '1.13': 'ratio to the paper', '2.9': 'ratio to the paper', '1.08': 'ratio to the paper', '1.2': 'ratio to the paper' },
};

const files = fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();

test('the prose check sees numbers, and flags one no output shows', () => {
  assert.deepEqual(decimalNumbers('UAR 76.66 (+1.74, −0.015) with openSMILE 3.0.2 at 0.5x, then 79.18.'), ['76.66', '1.74', '0.015', '79.18']);
  const nb = read('04-emodb.ipynb');
  assert.ok(decimalNumbers(findingCells(nb).join('\n')).length >= 10, 'notebook 04 quotes Table I numbers');
  const edited: NotebookJson = { ...nb, cells: [...nb.cells, { cell_type: 'markdown', source: '## What we find\nWADAN + DNN reaches UAR 81.23 (sets 3), 78.38 at its best.' }] };
  assert.deepEqual(unquotedNumbers(edited), ['81.23']);
});

/** Notebooks whose findings cannot be checked yet, and why. */
const UNCHECKED: Record<string, string> = {
  '02-training-dynamics.ipynb': "its findings read some twenty loss values off the full run's loss figures, which print no table of them: a cell printing them needs a full re-run (six 1,500-epoch models)",
};

for (const f of files) {
  test(`${f}: every decimal number its findings quote is in its outputs`, { skip: UNCHECKED[f] ?? false }, () => {
    const allowed = FROM_ELSEWHERE[f] ?? {};
    assert.deepEqual(unquotedNumbers(read(f), allowed), [], `${f} quotes numbers its outputs do not show (to the digits quoted); update the prose from the outputs, or, for a number from elsewhere, say where and list it in FROM_ELSEWHERE`);
  });
}
