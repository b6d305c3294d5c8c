/**
 * Does a re-run reproduce committed units? For every outer unit of a store (or archive) whose
 * key is also in a committed `units.csv`, compare WA, UAR and the rows trained on. A unit's key
 * covers its whole configuration, seed and data, so a difference is the code, the build or the
 * machine, never the settings. A unit whose DNN kept stages (`select: 'inner'` under the paper
 * protocol) is compared under the key it would have without them: it is seeded from that key
 * and stages change nothing the fit computes, so its final predictions are that unit's.
 *
 *   npm run build && node dist/scripts/compare-units.js STORE_OR_ARCHIVE docs/results/emodb/units.csv
 *
 * `--repeat-one` compares instead the units of repeat 1 of lines with an augmenter per repeat
 * (`--augmenter-per-repeat`) with the grid's units of one augmenter per fold: repeat 1 trains the
 * grid's own augmenter and draws the same sets, so a deterministic classifier (the RBF SVC) must
 * score the same; a seeded one (the DNN) is seeded from the unit's own key, which differs.
 *
 * Prints how many units both hold, how many agree exactly (per classifier), and the largest differences.
 */
import * as fs from 'node:fs';
import { readSource } from '../src/experiment/merge';
import { isInner } from '../src/experiment/inner-select';
import { keyWithoutStages } from '../src/experiment/plan';
import { parseCsv } from '../src/notebook/results';

function main(): void {
  const repeatOne = process.argv.includes('--repeat-one');
  const [from, csv] = process.argv.slice(2).filter((a) => a !== '--repeat-one');
  if (!from || !csv) {
    console.error('usage: node dist/scripts/compare-units.js STORE_OR_ARCHIVE UNITS_CSV [--repeat-one]');
    process.exit(2);
  }
  for (const f of [from, csv]) {
    if (!fs.existsSync(f)) {
      console.error(`${f}: no such file or folder`);
      process.exit(1);
    }
  }
  const committed = new Map(parseCsv(fs.readFileSync(csv, 'utf8')).map((r) => [r.key, r]));
  let both = 0;
  let same = 0;
  const differ: { key: string; what: string; delta: number }[] = [];
  const byClassifier = new Map<string, [number, number]>(); // classifier -> [same, both]
  const outer = readSource(from).records.filter((u) => !isInner(u));
  const compared = repeatOne ? outer.filter((u) => u.config.augment.perRepeat && u.config.repeat === 1) : outer;
  for (const r of compared) {
    const config = repeatOne ? { ...r.config, augment: { ...r.config.augment, perRepeat: false } } : r.config;
    const c = committed.get(keyWithoutStages(config));
    if (!c) continue;
    both++;
    const tally = byClassifier.get(r.config.classifier.name) ?? [0, 0];
    byClassifier.set(r.config.classifier.name, tally);
    tally[1]++;
    const dUar = r.outcome.uar - Number(c.uar);
    const dWa = r.outcome.wa - Number(c.wa);
    const rows = r.outcome.trainReal === Number(c.trainReal) && r.outcome.trainSynthetic === Number(c.trainSynthetic);
    if (dUar === 0 && dWa === 0 && rows) {
      same++;
      tally[0]++;
    } else differ.push({ key: r.key, what: `fold ${r.config.fold.index} ${r.config.augment.method} ${r.config.sets} sets r${r.config.repeat} ${r.config.classifier.name}${rows ? '' : ' (other rows)'}`, delta: dUar });
  }
  console.log(`${both} ${repeatOne ? 'repeat-1 units (as one augmenter per fold)' : 'units'} of ${from} are in ${csv}: ${same} with the same WA, UAR and rows, ${differ.length} not`);
  if (byClassifier.size > 1) console.log(`  by classifier: ${[...byClassifier].map(([c, [s, b]]) => `${c} ${s} of ${b}`).join(', ')}`);
  differ.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
  for (const d of differ.slice(0, 10)) console.log(`  ${d.what}: UAR ${d.delta >= 0 ? '+' : ''}${(100 * d.delta).toFixed(2)} points (${d.key.slice(0, 12)})`);
}

main();
