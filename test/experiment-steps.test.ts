import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runExperiment } from '../src/experiment/runner';
import { prepareExperiment } from '../src/experiment/prepare';
import { reproduceGrid } from '../src/experiment/grid';
import { stepsEpochs } from '../src/experiment/steps';
import type { ClassifierFactory } from '../src/experiment/factories';
import { NearestMean, smallData, tempDir } from './experiment-fixtures';

/** `ncm` (no epochs) and `epochy`: a nearest-mean classifier with an `epochs` option, recording the epochs it was built with. */
function factory(made: { name: string; epochs?: number; rows?: number }[]): ClassifierFactory {
  return {
    names: ['ncm', 'epochy'],
    make(name, options) {
      if (name === 'ncm') return new NearestMean(options as never);
      const { epochs = 7 } = options as { epochs?: number };
      const c = new NearestMean({});
      const record: { name: string; epochs?: number; rows?: number } = { name, epochs };
      made.push(record);
      const fit = c.fit.bind(c);
      c.fit = async (train) => {
        record.rows = train.n;
        return fit(train);
      };
      return Object.assign(c, { options: { epochs } }) as unknown as NearestMean;
    },
  };
}

test('the steps control trains on the real rows alone for (k + 1) times the epochs, only for classifiers trained in epochs', async () => {
  const made: { name: string; epochs?: number; rows?: number }[] = [];
  const data = smallData();
  const spec = { data, augment: ['none', 'copy', 'steps'], sets: [0, 1, 3], classifiers: ['ncm', { name: 'epochy', options: { epochs: 5 } }], folds: [1] };
  const prep = await prepareExperiment(spec, { classifiers: factory([]) });
  const steps = prep.groups.flatMap((g) => g.units).filter((u) => u.config.augment.method === 'steps');
  assert.deepEqual(steps.map((u) => [u.config.sets, u.classifierLabel]), [[1, 'epochy'], [3, 'epochy']], 'no steps units for ncm, none at 0 sets');
  assert.ok(prep.groups.filter((g) => g.units.some((u) => u.config.augment.method === 'steps')).every((g) => g.augmenter === undefined), 'no augmenter to fit');
  const run = await runExperiment(spec, { storeDir: tempDir('steps'), classifiers: factory(made) });
  const trainRows = prep.folds[0].train.n;
  const stepsRuns = made.filter((m) => m.rows !== undefined && m.epochs !== 5);
  assert.deepEqual(stepsRuns.map((m) => m.epochs).sort((a, b) => a! - b!), [stepsEpochs(5, 1), stepsEpochs(5, 3)]);
  assert.ok(stepsRuns.every((m) => m.rows === trainRows), 'real rows only');
  const rec = run.records.filter((r) => r.config.augment.method === 'steps');
  assert.ok(rec.every((r) => r.outcome.trainSynthetic === 0 && r.outcome.trainReal === trainRows));
  assert.equal(stepsEpochs(20, 10), 220);
});

test('reproduce --steps-control adds the line to the grid; the grid without it is unchanged', () => {
  const plain = reproduceGrid('emodb');
  const withSteps = reproduceGrid('emodb', { stepsControl: true });
  assert.equal((plain.augment ?? []).length + 1, (withSteps.augment ?? []).length);
  assert.ok((withSteps.augment ?? []).includes('steps'));
  assert.ok((reproduceGrid('emodb', { methods: ['none', 'steps'] }).augment ?? []).includes('steps'));
});

test("a steps unit's stages scale with its epochs: each is as many updates as the k-set point's stage", async () => {
  const dnn = { name: 'dnn', options: { hiddenLayers: [8], epochs: 4, stages: [2] } };
  const run = await runExperiment({ data: smallData(), augment: ['none', 'copy', 'steps'], sets: [0, 1, 3], classifiers: [dnn], folds: [1] }, { storeDir: tempDir('steps-stages') });
  const at = (method: string, sets: number) => run.records.find((r) => r.config.augment.method === method && r.config.sets === sets)!.outcome;
  assert.deepEqual([at('copy', 1).stages!.map((s) => s.epochs), at('copy', 1).epochs], [[2], 4]);
  assert.deepEqual([at('steps', 1).stages!.map((s) => s.epochs), at('steps', 1).epochs], [[stepsEpochs(2, 1)], stepsEpochs(4, 1)]);
  assert.deepEqual([at('steps', 3).stages!.map((s) => s.epochs), at('steps', 3).epochs], [[stepsEpochs(2, 3)], stepsEpochs(4, 3)]);
});
