/**
 * The wall clock of a grid computed fold by fold, as `reproduce` plans it: for each fold, the
 * first and last of its units to finish, and the time from the previous fold's last unit to this
 * one's (a fold's span, when the run went on without a pause between them).
 *
 *   npm run build && node dist/scripts/fold-times.js STORE [--skip steps] [--inner]
 *
 * `--skip` leaves out units of the listed methods (comma-separated; default `steps`, the steps
 * control, which a store may hold beside its grid from another run). The outer grid's units are
 * timed, or with `--inner` those of its inner selection (`reproduce --select inner`), which a
 * store computes after them. Prints a markdown table.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ResultStore } from '../src/experiment/store';
import { isInner } from '../src/experiment/inner-select';

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { skip: { type: 'string', default: 'steps' }, inner: { type: 'boolean', default: false } } });
  const [storeDir] = positionals;
  if (!storeDir) {
    console.error('usage: node dist/scripts/fold-times.js STORE [--skip steps] [--inner]');
    process.exit(2);
  }
  if (!fs.existsSync(path.join(storeDir, 'units'))) {
    console.error(`${storeDir} is not a result store (no units/ folder)`);
    process.exit(1);
  }
  const skip = new Set(values.skip.split(',').filter((m) => m));
  const folds = new Map<number, { group: string; units: number; first: string; last: string; classifierSeconds: number; fitSeconds: number }>();
  for (const r of new ResultStore(storeDir).all()) {
    if (skip.has(r.config.augment.method) || isInner(r) !== values.inner) continue;
    const k = r.config.fold.index;
    const f = folds.get(k) ?? { group: r.config.fold.group, units: 0, first: r.outcome.finishedAt, last: r.outcome.finishedAt, classifierSeconds: 0, fitSeconds: 0 };
    f.units++;
    if (r.outcome.finishedAt < f.first) f.first = r.outcome.finishedAt;
    if (r.outcome.finishedAt > f.last) f.last = r.outcome.finishedAt;
    f.classifierSeconds += r.outcome.seconds;
    f.fitSeconds += r.outcome.augmenterSeconds;
    folds.set(k, f);
  }
  const min = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / 60000;
  console.log(`${storeDir}${values.inner ? ', inner units' : ''}${skip.size ? ` (without ${[...skip].join(', ')})` : ''}\n`);
  console.log('| fold | units | first unit (UTC) | last unit (UTC) | minutes since the previous fold\'s last unit | classifier hours | fit hours |');
  console.log('|---|---|---|---|---|---|---|');
  let previous: string | undefined;
  for (const [k, f] of [...folds].sort((a, b) => a[0] - b[0])) {
    // a fold stored before the previous one (e.g. its real-only units, computed first) has no span of its own
    const since = previous && f.last > previous ? min(previous, f.last).toFixed(0) : '';
    console.log(`| ${k} (${f.group}) | ${f.units} | ${f.first.slice(0, 16).replace('T', ' ')} | ${f.last.slice(0, 16).replace('T', ' ')} | ${since} | ${(f.classifierSeconds / 3600).toFixed(2)} | ${(f.fitSeconds / 3600).toFixed(2)} |`);
    previous = f.last;
  }
}

main();
