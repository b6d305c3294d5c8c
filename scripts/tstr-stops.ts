/**
 * Where would training stop? One ADAN run per EmoDB fold, all epochs, with the TSTR signal
 * measured on two training speakers the augmenter does not train on; on its history, three
 * stopping rules are replayed: TSTR's (`stop: 'tstr'`, patience), the authors' ADAN rule
 * (`earlyStop`) and the paper's fixed 1,500 epochs. Nothing reads the test speaker.
 *
 *   npm run build && node dist/scripts/tstr-stops.js --folds 1,2,3 --cache /work/stores/tstr-fits --out docs/results/tstr-stops
 *
 * Resumable: each fold's fit checkpoints every 50 epochs under --cache and a finished fold's
 * history is kept there; the same command continues. Writes `stops.csv` (one row per fold) and
 * `curves.csv` (the measured epochs of every fold) into --out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDataset } from '../src/data/registry';
import { splitFolds } from '../src/data/folds';
import { Adan, adanEarlyStop, ADAN_DEFAULTS } from '../src/augment/adan';
import { holdOutGroups, replayStop, tstrStop } from '../src/augment/tstr';
import type { AdanEpoch } from '../src/augment/augmenter';
import { toCsv } from '../src/experiment/output';
import { writeFileAtomic } from '../src/experiment/atomic';
import { lossPlot } from '../src/plot/loss';
import { saveFigure } from '../src/plot/render';

interface Args { data: string; folds: number[]; cache: string; out: string; epochs: number; every: number; patience: number; holdOut: number }

function parseArgs(argv: string[]): Args {
  const a: Args = { data: 'emodb-is11', folds: [1, 2, 3], cache: '', out: '', epochs: ADAN_DEFAULTS.epochs, every: 50, patience: 300, holdOut: 2 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, v] = [argv[i], argv[i + 1]];
    const int = (what: string) => { const n = Number(v); if (!Number.isInteger(n) || n < 1) usage(`${what} must be a positive integer, got ${v}`); return n; };
    if (flag === '--data') a.data = v;
    else if (flag === '--folds') a.folds = v.split(',').map((s) => { const n = Number(s); if (!Number.isInteger(n) || n < 1) usage(`--folds: '${s}' is not a fold number`); return n; });
    else if (flag === '--cache') a.cache = v;
    else if (flag === '--out') a.out = v;
    else if (flag === '--epochs') a.epochs = int('--epochs');
    else if (flag === '--every') a.every = int('--every');
    else if (flag === '--patience') a.patience = int('--patience');
    else if (flag === '--hold-out') a.holdOut = int('--hold-out');
    else usage(`unknown flag ${flag}`);
  }
  if (!a.cache || !a.out) usage('--cache and --out are required');
  return a;
}

function usage(problem: string): never {
  console.error(`tstr-stops: ${problem}\nusage: node dist/scripts/tstr-stops.js --cache DIR --out DIR [--data emodb-is11] [--folds 1,2,3] [--epochs 1500] [--every 50] [--patience 300] [--hold-out 2]`);
  process.exit(2);
}

/** The record at or before `epoch` that carries `field`. */
function measuredAt(history: readonly AdanEpoch[], epoch: number, field: 'tstrUar' | 'labelFidelity'): number | undefined {
  for (let e = Math.min(epoch, history.length); e >= 1; e--) if (history[e - 1][field] !== undefined) return history[e - 1][field];
  return undefined;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const data = loadDataset(a.data);
  const settings = { epochs: a.epochs, earlyStop: false, tstrEvery: a.every, fidelityEvery: a.every, seed: 0 };
  const stops: Record<string, unknown>[] = [];
  const curves: Record<string, unknown>[] = [];
  for (const fold of splitFolds(data, a.folds)) {
    const dir = path.join(a.cache, `${a.data}-fold${fold.fold.index}-e${a.epochs}-every${a.every}-h${a.holdOut}`);
    const done = path.join(dir, 'history.json');
    const [fitRows, validation] = holdOutGroups(fold.train, a.holdOut, fold.fold.index);
    let history: AdanEpoch[];
    if (fs.existsSync(done)) {
      history = JSON.parse(fs.readFileSync(done, 'utf8'));
      console.log(`fold ${fold.fold.index}: ${history.length} epochs, from ${done}`);
    } else {
      const aug = new Adan(settings);
      const t0 = Date.now();
      await aug.fit(fitRows, {
        validation, checkpointDir: path.join(dir, 'checkpoint'), checkpointEvery: 50, resume: true,
        onEpoch: (r) => { if (r.tstrUar !== undefined) console.log(`fold ${fold.fold.index} epoch ${r.epoch}: TSTR UAR ${(100 * r.tstrUar).toFixed(1)} %, label fidelity ${r.labelFidelity?.toFixed(3)}, ${((Date.now() - t0) / 60000).toFixed(1)} min`); },
      });
      history = aug.history as AdanEpoch[];
      fs.mkdirSync(dir, { recursive: true });
      writeFileAtomic(done, JSON.stringify(history));
      aug.dispose();
    }
    // where each rule stops (undefined: it never fires, and the run trains every epoch)
    const tstrStops = replayStop(history, (p) => tstrStop(p, a.patience));
    const adanStops = replayStop(history, (p) => adanEarlyStop(p, ADAN_DEFAULTS.earlyStopAfter, ADAN_DEFAULTS.earlyStopTolerance));
    const [tstrAt, adanAt] = [tstrStops ?? history.length, adanStops ?? history.length];
    const measured = history.filter((h) => h.tstrUar !== undefined);
    const best = measured.reduce((b, h) => (h.tstrUar! > b.tstrUar! ? h : b), measured[0]);
    // at each rule's stop: the epoch, the TSTR UAR and label fidelity last measured by then
    const row = (rule: string, epoch: number) => ({ [`epoch${rule}`]: epoch, [`uar${rule}`]: measuredAt(history, epoch, 'tstrUar'), [`fidelity${rule}`]: measuredAt(history, epoch, 'labelFidelity') });
    stops.push({
      dataset: a.data, fold: fold.fold.index, testGroup: fold.fold.group, heldOut: [...new Set(validation.groups)].join(' '), fitRows: fitRows.n, validationRows: validation.n,
      every: a.every, patience: a.patience, epochBest: best.epoch, uarBest: best.tstrUar,
      ...row('TstrRule', tstrAt), ...row('AdanRule', adanAt), ...row('All', history.length), tstrRuleFired: tstrStops !== undefined, adanRuleFired: adanStops !== undefined,
    });
    for (const h of measured) curves.push({ fold: fold.fold.index, epoch: h.epoch, tstrUar: h.tstrUar, tstrWa: h.tstrWa, labelFidelity: h.labelFidelity, labelFidelityCentroid: h.labelFidelityCentroid, pReal: h.pReal, pFake: h.pFake });
  }
  fs.mkdirSync(a.out, { recursive: true });
  writeFileAtomic(path.join(a.out, 'stops.csv'), toCsv(stops));
  writeFileAtomic(path.join(a.out, 'curves.csv'), toCsv(curves));
  const lines = curves.map((c) => ({ epoch: c.epoch as number, loss: `fold ${c.fold}`, value: 100 * (c.tstrUar as number) }));
  await saveFigure(lossPlot(lines, { title: `TSTR UAR of ADAN's rows, ${a.data}`, subtitle: `linear SVM trained on one synthetic set, scored on ${a.holdOut} training speakers the ADAN did not see; every ${a.every} epochs`, yTitle: 'UAR (%)', legendTitle: 'Fold', width: 520, height: 260 }), path.join(a.out, 'tstr-uar'));
  console.log(`wrote ${path.join(a.out, 'stops.csv')} (${stops.length} folds), curves.csv and tstr-uar.svg/png`);
}

main().catch((e) => {
  console.error(`tstr-stops: ${(e as Error).message}`);
  process.exit(1);
});
