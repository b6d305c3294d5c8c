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
 * Prints how many units both hold, how many agree exactly, and the largest differences.
 */
import * as fs from 'node:fs';
import { readSource } from '../src/experiment/merge';
import { isInner } from '../src/experiment/inner-select';
import { keyWithoutStages } from '../src/experiment/plan';
import { parseCsv } from '../src/notebook/results';

function main(): void {
  const [from, csv] = process.argv.slice(2);
  if (!from || !csv) {
    console.error('usage: node dist/scripts/compare-units.js STORE_OR_ARCHIVE UNITS_CSV');
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
  for (const r of readSource(from).records.filter((u) => !isInner(u))) {
    const c = committed.get(keyWithoutStages(r.config));
    if (!c) continue;
    both++;
    const dUar = r.outcome.uar - Number(c.uar);
    const dWa = r.outcome.wa - Number(c.wa);
    const rows = r.outcome.trainReal === Number(c.trainReal) && r.outcome.trainSynthetic === Number(c.trainSynthetic);
    if (dUar === 0 && dWa === 0 && rows) same++;
    else differ.push({ key: r.key, what: `fold ${r.config.fold.index} ${r.config.augment.method} ${r.config.sets} sets r${r.config.repeat} ${r.config.classifier.name}${rows ? '' : ' (other rows)'}`, delta: dUar });
  }
  console.log(`${both} units of ${from} are in ${csv}: ${same} with the same WA, UAR and rows, ${differ.length} not`);
  differ.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
  for (const d of differ.slice(0, 10)) console.log(`  ${d.what}: UAR ${d.delta >= 0 ? '+' : ''}${(100 * d.delta).toFixed(2)} points (${d.key.slice(0, 12)})`);
}

main();
