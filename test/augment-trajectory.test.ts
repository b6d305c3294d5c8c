/**
 * What `fit` measures and saves around training must never change what it trains: the networks,
 * optimizer state, sampled rows and losses after N epochs are bit-identical to those of the code
 * before the fit-overhead work (literals below), with or without checkpoints, for every label-
 * fidelity schedule.
 *
 * The literals were obtained with the code of commit 5acc277 (before `fidelityEvery` and the
 * checkpoint changes): test/augment-trajectory-cases.ts copied into that tree, built, and run as
 * `node dist/test/augment-trajectory-cases.js --record` on the native backend (OpenBLAS 0.3.21,
 * OPENBLAS_CORETYPE=Haswell), with ADAN_THREADS=1 and 2. The small problem's values are the same
 * at both thread counts; EmoDB's are not (OpenBLAS splits the paper-sized products differently),
 * so they are kept per thread count and compared only on that backend and thread count. On
 * other kernels the small problem's checks compare runs of this machine with each other.
 *
 * ADAN's pReal became a measurement too (taken on label fidelity's schedule and where the early-
 * stop rule needs it), so ADAN's `losses` hashes leave it out and its values sit in `pReal`. ADAN's
 * four literals were re-derived on 2026-12-05 from runs with pReal at every epoch whose whole
 * history still hashed to 5acc277's literal (at both thread counts, same kernels): the same
 * training, split into two fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../src/backend/init';
import { splitFolds } from '../src/data/folds';
import { loadDataset } from '../src/data/registry';
import { realData } from './real-data';
import { SMALL_VARIANTS, TRAJECTORY_METHODS, smallProblem, tinySettings, trainAndFingerprint, type Fingerprint, type TrajectoryMethod } from './augment-trajectory-cases';

type Literal = Omit<Fingerprint, 'fidelity' | 'pReal'> & { fidelity: number[][]; pReal?: number[][] };

/** Small problem, 3 epochs (any thread count). Fidelity was measured every epoch then. */
const SMALL_BEFORE: Record<string, Literal> = {
  'gan': { weights: '7cdbddb00585f9d2b13782488f0919b2b79c9ff1cda9f5e952c372e9d7a2ed53', sample: '5cfff288f7c42cac08ee7c900ccf6b73c371765f41b060b50a33eefa6af40ea7', losses: '582f7f1e75cccdfcb7f40b973976c3a11460e7749a8af36bd7ac7991d38586ea', fidelity: [] },
  'cgan': { weights: '123b91ece5fbda5d322cc6da599e638aec473d35e998a3bd3099c33fe10294e0', sample: 'f58f1d4666774c02b852a1756fb72e442df424a1de7ba88325eda94a6fa84695', losses: 'd86503c8d5d1134abaee65b6b0d84cefbdb5cf8c116aec1c637f0764a21012db', fidelity: [] },
  'aae': { weights: '4e27bdcd425ec8f5fe9f9238cb8842e2d885d2f4c72eab6da6710b36b33bc186', sample: 'ad418996d902325e23875c98b29d9a31806e9eba75ea32a23d5bf6893833b643', losses: 'a4064ec4ca495ee31a3bccf11729ebd58f197ae812e4cf2acedbacaa9c39821d', fidelity: [] },
  'adan': { weights: '0677f6d599d0ec3e6cbdddb263c8d2d13e82d4fb09bdb8c817e595d96dc14485', sample: '2459bfb472a2d43fa5a8f256efd98f7c61f97eb1038b448d60655747920d6d3b', losses: 'a90b1cc08b03683e5e0db75e2218df864700809a200d07608dc5f56e358a3b5d', pReal: [[1, 0.4558582305908203], [2, 0.4560263454914093], [3, 0.456206351518631]], fidelity: [[1, 0.5, 0.4166666666666667], [2, 0.5, 0.4166666666666667], [3, 0.5, 0.4166666666666667]] },
  'wadan': { weights: '64192b0a7469fd8c984e3d20ca1f6af5293083a3bdb5edde5070013b4186983e', sample: 'f0ec7dee420ea36cd75b866ac97b4651b8d0ca32bf4b94d0e5a42811d8ea40e2', losses: 'ab45febc0d1a591d0a9d4a72e84ecf9605ad3e0b25509fd33903b627f71b1dd9', fidelity: [[1, 0.5, 0.4166666666666667], [2, 0.5, 0.4166666666666667], [3, 0.5, 0.4166666666666667]] },
  'adan-variant': { weights: 'de69974dcab4184e196c0d7ff727e8d41fc2313eba018904935af674f6462012', sample: 'f833ce6a218e2ac39ea387dd1202e8f063d2060ce3d24b8253c497d6dee89d17', losses: '1c3fea73282d2f07ca0660587a9c013852499d18c9c95cc4f870014d2250442f', pReal: [[1, 0.4557088017463684], [2, 0.4556417763233185], [3, 0.45552363991737366]], fidelity: [[1, 0.5, 0.4166666666666667], [2, 0.5, 0.4166666666666667], [3, 0.5, 0.4166666666666667]] },
  'wadan-variant': { weights: '7285c26c951a2c2b6fbdea5f1d98daf951d51ca048886b67cf2555d85d930b15', sample: 'a3d8e81cbd3337632541c7339970515f98f618a6afb886f3d1fd201899c81859', losses: 'f02a1e9edd094f825217636620cc1b6e58fcf9cf900ede6d168c4a1cb913f5dd', fidelity: [[1, 0.5, 0.4166666666666667], [2, 0.5, 0.4166666666666667], [3, 0.5, 0.4166666666666667]] },
};

/** EmoDB IS11 fold 1, paper defaults, seed 0, 2 epochs, by BLAS thread count. */
const EMODB_BEFORE: Record<number, Record<TrajectoryMethod, Literal>> = {
  1: {
    'gan': { weights: 'e6e189884c2e4629986edbc071557affe11d339da197a7921ed37206dafaa149', sample: 'd23f76fc4b9ead35bc8607dc090a97745538b36ccb4936d1c0f4220a367cfaf2', losses: '3fbe2bce4892ed410df74d23fafd0a2e0605bb24c925309016d544894048336e', fidelity: [] },
    'cgan': { weights: '57ef382a7d250319502f3f859959956b73b04783dfb6ff7b91bcd6972028ea03', sample: '1350ceb6909716817a20802160dbf35fb66264bac227c414b9a826f95bd9a234', losses: '2894e85a772e183d2667c35d2896440835f16ba686534734fc0885c194eb58b1', fidelity: [] },
    'aae': { weights: '846c97bd6a0290a3e464b54d6400282eaaff7265c62ae948e4caf22757223610', sample: 'f474bb1d77b9c9127ee22d7144f4c7472cb30e90c26e2c00406c2c642aa602ab', losses: '033da2282675f28e2cdfcde5239979389cb346e34d386738fc39b3aaf482dbcd', fidelity: [] },
    'adan': { weights: '43334dfb250f0404e9f1d9e5b3f75e446b3b996a46c5f4d0e1c47873159bcaf5', sample: '39fe27ccf4db88ea0c57602cbf786dee73cfdbdbf97df4b65a83b50e24214e6d', losses: '1fd4025f2519c832fb45f6dd723e5416cf44e8d3d087fdc80818b9074b9a0d47', pReal: [[1, 0.5622156262397766], [2, 0.5852668881416321]], fidelity: [[1, 0.14453125, 0.15234375], [2, 0.14453125, 0.15234375]] },
    'wadan': { weights: '306acb6d14647880611b165ff15304fb128a6efb9b45a9267e58c3cc16d2fe95', sample: 'b2927eadff3b9eb182672a879d3d3bca4b83f5ac70c175a381354aa66be7df21', losses: '8432bb71c0526675f606b4d2dbb8eb7286edea1d4cc4b07542c2f20ab6f361b4', fidelity: [[1, 0.14453125, 0.1484375], [2, 0.14453125, 0.1484375]] },
  },
  2: {
    'gan': { weights: '3d2884e22e45d51c7697323818fe85665fed70cf9686aa0ee6f35d6208ef126c', sample: '6ea199a64a523fc5cef1a81103f5f413dc626cf8a90384c6fff667d22eb78751', losses: '607498b7f02c9725e8c8868ea44e7221f68fdcd7b3c2213bbe6b849ad7238b18', fidelity: [] },
    'cgan': { weights: '0d5746c312d3dabb0ec1070c76711d7b1ad93b0f2fce850aacb8f9134d1acdda', sample: '8f700d574250775b6173fb16897a4a42ec2143d379b79189078fca78c6875dd8', losses: '2894e85a772e183d2667c35d2896440835f16ba686534734fc0885c194eb58b1', fidelity: [] },
    'aae': { weights: '214084beb22731b016d98e206099f710bd419dd1939dd52519c9570f662f3d8f', sample: 'b094a04a08c2dacaf7e622d400a6d311c5d620e57a299ea4b6910a11a5b9398b', losses: '033da2282675f28e2cdfcde5239979389cb346e34d386738fc39b3aaf482dbcd', fidelity: [] },
    'adan': { weights: '1572b0da99c490206241456855458a2cb32074041702ec1d9ce9e39774840639', sample: '2fbf6dc636c554e065084b851c4060ae4fe9bbbebf03645a1c30a4640690668d', losses: 'f75fe37b9cd3ca79b1d8b0eb324b0af1081a76a9bb2f92c480c555572296c6cb', pReal: [[1, 0.5622156262397766], [2, 0.5852668881416321]], fidelity: [[1, 0.14453125, 0.15234375], [2, 0.14453125, 0.15234375]] },
    'wadan': { weights: '748f88301b8a661482e0d7d1f864dc7b32308faad542258c334cf1051f23fdd1', sample: 'fe117bbf4a81aa49c8f9a8f9e3b195552b41bfd4817068b4892ba28be652794a', losses: '540acc2e92dbe30d267a71019d652b048f980604eb9f16d01422b802d5a06d2d', fidelity: [[1, 0.14453125, 0.1484375], [2, 0.14453125, 0.1484375]] },
  },
};

/** Same training as the literal: weights, optimizer state, samples and losses; fidelity values where measured. */
function assertSameTraining(got: Fingerprint, want: Literal, what: string): void {
  assert.equal(got.weights, want.weights, `${what}: weights and optimizer state`);
  assert.equal(got.sample, want.sample, `${what}: sampled rows`);
  assert.equal(got.losses, want.losses, `${what}: losses`);
  for (const [epoch, c, centroid] of got.fidelity) {
    const w = want.fidelity.find((f) => f[0] === epoch);
    assert.deepEqual([epoch, c, centroid], w, `${what}: label fidelity at epoch ${epoch}`);
  }
  for (const [epoch, p] of got.pReal) assert.deepEqual([epoch, p], want.pReal?.find((f) => f[0] === epoch), `${what}: ADAN's pReal at epoch ${epoch}`);
}

function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `trajectory-${tag}-`));
}

/**
 * Whether this machine computes what the literals were recorded on: the native backend with
 * OpenBLAS's AVX2 (Haswell) kernels. Other kernels (AVX-512's, the wasm or cpu backend) round
 * differently; there, each variant is compared with this machine's own plain run instead, which
 * still tests that what fit measures and saves never changes what it trains.
 */
async function recordedKernels(): Promise<boolean> {
  const info = await initBackend();
  return info.kind === 'native' && /Haswell/.test(info.summary);
}

test('small problem: every method trains exactly as before, with and without checkpoints', async (t) => {
  const train = smallProblem();
  const literal = await recordedKernels();
  if (!literal) t.diagnostic(`not the kernels the literals were recorded with (${(await initBackend()).summary}): checkpointed runs compared with plain runs here`);
  const cases: [string, TrajectoryMethod, Record<string, unknown>][] = [
    ...TRAJECTORY_METHODS.map((m): [string, TrajectoryMethod, Record<string, unknown>] => [m, m, {}]),
    ...Object.entries(SMALL_VARIANTS).map(([name, [m, extra]]): [string, TrajectoryMethod, Record<string, unknown>] => [name, m, extra]),
  ];
  for (const [name, method, extra] of cases) {
    const settings = { ...tinySettings(method), ...extra };
    const plain = await trainAndFingerprint(method, settings, train);
    const want: Literal = literal ? SMALL_BEFORE[name] : plain;
    assertSameTraining(plain, want, `${name}, defaults`);
    const dir = tmpDir(name);
    try {
      assertSameTraining(await trainAndFingerprint(method, settings, train, { checkpointDir: dir, checkpointEvery: 1 }), want, `${name}, checkpoint every epoch`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('small problem: label fidelity every epoch (fidelityEvery 1) reproduces the former history exactly', async () => {
  const train = smallProblem();
  const literal = await recordedKernels();
  for (const method of ['adan', 'wadan'] as const) {
    const got = await trainAndFingerprint(method, { ...tinySettings(method), fidelityEvery: 1 }, train);
    if (literal) {
      assertSameTraining(got, SMALL_BEFORE[method], `${method}, fidelityEvery 1`);
      assert.deepEqual(got.fidelity, SMALL_BEFORE[method].fidelity, `${method}: fidelity of every epoch`);
      if (method === 'adan') assert.deepEqual(got.pReal, SMALL_BEFORE[method].pReal, `${method}: pReal of every epoch`);
    } else {
      // the default schedule measures fewer epochs: the same training, the same values where both measured
      const plain = await trainAndFingerprint(method, tinySettings(method), train);
      assertSameTraining(plain, got, `${method}, the default schedule vs fidelityEvery 1`);
      assert.equal(got.fidelity.length, 3, `${method}: fidelity of every epoch`);
    }
  }
});

const rd = realData('emodb-is11');

test('EmoDB fold 1, paper defaults: every method trains exactly as before (with checkpoints, as the runner fits)', { skip: rd.skip }, async (t) => {
  const info = await initBackend();
  const literals = info.kind === 'native' && process.env.OPENBLAS_CORETYPE === 'Haswell' ? EMODB_BEFORE[info.threads] : undefined;
  if (!literals) {
    t.skip(`literals recorded on the native backend with OPENBLAS_CORETYPE=Haswell at 1 or 2 threads; here: ${info.summary}`);
    return;
  }
  const [fold] = splitFolds(loadDataset('emodb-is11'), [1]);
  for (const method of TRAJECTORY_METHODS) {
    const dir = tmpDir(`emodb-${method}`);
    try {
      const got = await trainAndFingerprint(method, { epochs: 2, seed: 0 }, fold.train, { checkpointDir: dir, checkpointEvery: 1 });
      assertSameTraining(got, literals[method], `emodb ${method}, ${info.threads} thread(s)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
