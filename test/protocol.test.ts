import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROTOCOLS, protocol, classifierOptions, augmentOptions, corpusOf } from '../src/protocol/index';
import { reproduceGrid } from '../src/experiment/grid';
import { resolveSpec, resolveNormalize } from '../src/experiment/spec';
import { planUnits } from '../src/experiment/plan';
import { runExperiment } from '../src/experiment/runner';
import { ResultStore, StoreMismatchError } from '../src/experiment/store';
import { mergeStores } from '../src/experiment/merge';
import { evalSpec } from '../src/experiment/eval';
import { defaultStore } from '../src/experiment/grid';
import { AUGMENT_METHODS } from '../src/augment/augmenter';
import { makeAugmenter } from '../src/augment/index';
import { makeSynthetic } from '../src/data/synthetic';
import { OptionError } from '../src/util/errors';
import { ncmFactory, smallData, tempDir } from './experiment-fixtures';

const identity = { name: 'emodb-is11', fingerprint: 'f', n: 535, d: 4354 };
const folds = Array.from({ length: 10 }, (_, i) => ({ index: i + 1, group: String(i) }));
const keysOf = (spec: ReturnType<typeof reproduceGrid>): string[] => {
  const r = resolveSpec(spec, AUGMENT_METHODS, ['svm', 'dnn']);
  r.normalize = resolveNormalize(r.normalize, 'emodb-is11');
  return planUnits(r, identity, folds).flatMap((g) => g.units.map((u) => u.key));
};

test('the paper protocol plans exactly the units of the grid as written before protocols existed (old stores stay valid)', () => {
  const before = {
    data: 'emodb-is11',
    augment: ['none', 'copy', 'noise', 'smote', ...['gan', 'cgan', 'aae', 'adan', 'wadan'].map((method) => ({ method, options: { epochs: 1500 } }))],
    sets: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    repeats: 3,
    classifiers: [{ name: 'svm' }, { name: 'dnn', options: { hiddenLayers: [100, 100], classWeight: 'none' } }],
    seed: 0,
    normalize: 'auto' as const,
  };
  const now = keysOf(reproduceGrid('emodb'));
  assert.equal(now.length, 4860);
  assert.deepEqual(now, keysOf(before));
  assert.equal(reproduceGrid('emodb').protocol, 'paper');
});

test('an augmenter per repeat: the real-only units are the grid\'s, every augmented unit is its own', () => {
  const grid = keysOf(reproduceGrid('emodb', { protocol: 'code' }));
  const seeds = keysOf(reproduceGrid('emodb', { protocol: 'code', augmenterPerRepeat: true }));
  assert.equal(seeds.length, grid.length);
  const shared = seeds.filter((k) => grid.includes(k));
  assert.equal(shared.length, 10 * 3 * 2, 'method none: 10 folds x 3 repeats x 2 classifiers');
  assert.equal(reproduceGrid('emodb').augmenterPerRepeat, undefined, 'a grid without it is the spec it always was');
});

test("the code protocol: the authors' classifiers and augmenter settings, and no unit shared with the paper grid", () => {
  const spec = reproduceGrid('emodb', { protocol: 'code' });
  assert.equal(spec.protocol, 'code');
  const classifiers = spec.classifiers as { name: string; options: Record<string, unknown> }[];
  assert.deepEqual(classifiers[0], { name: 'svm', options: { kernel: 'rbf', C: 10, gamma: 'auto' } });
  assert.equal(classifiers[1].options.epochs, 20);
  assert.equal(classifiers[1].options.activation, 'tanh');
  const aug = Object.fromEntries((spec.augment as { method: string; options?: Record<string, unknown> }[]).filter((a) => typeof a === 'object').map((a) => [a.method, a.options]));
  assert.deepEqual(aug.adan, { epochs: 1500, earlyStop: true });
  assert.deepEqual(aug.wadan, { epochs: 1500, alpha: 0.1, gpPower: 10, mu: 'fixed', generatorLoss: 'code' });
  assert.deepEqual(aug.gan, { epochs: 1500 });
  const code = new Set(keysOf(spec));
  assert.equal(code.size, 4860);
  assert.ok(keysOf(reproduceGrid('emodb')).every((k) => !code.has(k)));
  // IEMOCAP: the paper's 4 x 512 network with the authors' layers
  assert.deepEqual((reproduceGrid('iemocap', { protocol: 'code' }).classifiers as unknown as { options: { hiddenLayers: number[] } }[])[1].options.hiddenLayers, [512, 512, 512, 512]);
});

test("every protocol's augmenter options are accepted by the augmenters", () => {
  for (const p of Object.values(PROTOCOLS)) {
    for (const method of AUGMENT_METHODS) {
      const a = makeAugmenter(method, augmentOptions(p, method, ['copy', 'noise', 'smote'].includes(method) ? undefined : 3) as never);
      (a as { dispose?: () => void }).dispose?.();
    }
  }
});

test('protocol lookups: unknown names are named errors; classifier options are copies; the corpus of a dataset name', () => {
  assert.throws(() => protocol('authors', '--protocol'), (e: unknown) => e instanceof OptionError && /--protocol: got "authors", expected one of paper, code/.test((e as Error).message));
  assert.throws(() => reproduceGrid('emodb', { protocol: 'nope' as never }), /protocol/);
  const o = classifierOptions(PROTOCOLS.code, 'dnn', 'emodb');
  (o.hiddenLayers as number[]).push(7);
  assert.deepEqual(classifierOptions(PROTOCOLS.code, 'dnn', 'emodb').hiddenLayers, [100, 100]);
  assert.deepEqual(classifierOptions(PROTOCOLS.paper, 'svm', 'emodb'), {});
  // IEMOCAP's linear SVM falls back on the interior-point method (the same problem and tolerance); EmoDB's keys stay those of its stored grids
  assert.deepEqual(classifierOptions(PROTOCOLS.paper, 'svm', 'iemocap'), { fallback: 'interior-point' });
  assert.deepEqual(classifierOptions(PROTOCOLS.code, 'svm', 'iemocap'), { kernel: 'rbf', C: 10, gamma: 'auto' });
  assert.equal(corpusOf('iemocap-is10'), 'iemocap');
  assert.equal(corpusOf('/data/IEMOCAP/features.csv'), 'iemocap');
  assert.equal(corpusOf('emodb-is11'), 'emodb');
});

test('eval: the paper protocol keeps its old options; the code protocol fills them in and the flags override them', () => {
  const paper = evalSpec({ data: 'emodb-is11', classifier: 'svm', augment: 'wadan', epochs: 5 });
  assert.deepEqual(paper.classifiers, [{ name: 'svm', options: {} }]);
  assert.deepEqual(paper.augment, [{ method: 'wadan', options: { epochs: 5 } }]);
  const code = evalSpec({ data: 'emodb-is11', classifier: 'svm', augment: 'wadan', epochs: 5, protocol: 'code', classifierOptions: { C: 1 } });
  assert.deepEqual(code.classifiers, [{ name: 'svm', options: { kernel: 'rbf', C: 1, gamma: 'auto' } }]);
  assert.deepEqual(code.augment, [{ method: 'wadan', options: { alpha: 0.1, gpPower: 10, mu: 'fixed', generatorLoss: 'code', epochs: 5 } }]);
  assert.equal(code.protocol, 'code');
  const dnn = evalSpec({ data: 'iemocap-is10', classifier: 'dnn', protocol: 'code' });
  assert.deepEqual((dnn.classifiers as unknown as { options: { hiddenLayers: number[] } }[])[0].options.hiddenLayers, [512, 512, 512, 512]);
});

test('default stores: one per corpus, protocol, dataset and quick-ness', () => {
  assert.equal(defaultStore('emodb', { protocol: 'paper' }), path.join('results', 'emodb'));
  assert.equal(defaultStore('emodb', { protocol: 'code' }), path.join('results', 'emodb-code'));
  assert.equal(defaultStore('emodb', { protocol: 'paper', data: 'synthetic', quick: true }), path.join('results', 'emodb-synthetic-quick'));
  assert.equal(defaultStore('emodb', { protocol: 'paper', data: 'emodb-is11', quick: true }), path.join('results', 'emodb-quick'));
  assert.equal(defaultStore('iemocap', { protocol: 'code', data: '/x/My Features.csv' }), path.join('results', 'iemocap-code-My_Features'));
});

test('a store holds one dataset and one protocol: a run or merge of another is refused and nothing already there is lost', async () => {
  const dir = tempDir('identity');
  const data = smallData();
  const spec = { data, augment: ['none', 'copy'], sets: [0, 1], folds: [1], classifiers: ['ncm'], protocol: 'paper' };
  const first = await runExperiment(spec, { storeDir: dir, classifiers: ncmFactory() });
  assert.deepEqual(new ResultStore(dir).identity(), { dataset: { name: data.name, fingerprint: new ResultStore(dir).identity().dataset!.fingerprint }, protocol: 'paper' });
  const other = makeSynthetic({ n: 120, d: 10, speakers: 4, seed: 9 });
  await assert.rejects(runExperiment({ ...spec, data: other }, { storeDir: dir, classifiers: ncmFactory() }), (e: unknown) => e instanceof StoreMismatchError && /holds units of dataset .*--store DIR/.test((e as Error).message));
  await assert.rejects(runExperiment({ ...spec, protocol: 'code' }, { storeDir: dir, classifiers: ncmFactory() }), /holds units of protocol paper, not code/);
  // a custom spec (no protocol named) may add to it; the units already there are intact
  const again = await runExperiment({ ...spec, protocol: undefined }, { storeDir: dir, classifiers: ncmFactory() });
  assert.equal(again.computed, 0);
  assert.equal(new ResultStore(dir).all().length, first.total);
  // merging a store of another protocol is refused
  const codeDir = tempDir('identity-code');
  await runExperiment({ ...spec, protocol: 'code' }, { storeDir: codeDir, classifiers: ncmFactory() });
  const out = tempDir('identity-merge');
  assert.throws(() => mergeStores([dir, codeDir], out), /cannot be merged .*protocol paper/);
  for (const d of [dir, codeDir, out]) fs.rmSync(d, { recursive: true, force: true });
});
