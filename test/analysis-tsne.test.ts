import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tsne, tsne } from '../src/analysis/tsne';
import { pcaScores } from '../src/analysis/pca';
import { rows, Rows } from '../src/analysis/rows';
import { Random } from '../src/util/random';

/** k well-separated Gaussian blobs in d dims: centres 12 apart on the axes, unit spread. */
function blobs(perBlob: number, k: number, d: number, seed: number): { r: Rows; labels: number[] } {
  const rng = new Random(seed);
  const x = new Float32Array(perBlob * k * d);
  const labels: number[] = [];
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < perBlob; i++) {
      const row = c * perBlob + i;
      for (let j = 0; j < d; j++) x[row * d + j] = rng.normal() + (j === c ? 12 : 0);
      labels.push(c);
    }
  }
  return { r: rows(x, d), labels };
}

/** Share of points whose k nearest neighbours in the embedding mostly share their label. */
function knnAgreement(emb: Float32Array, labels: number[], k: number): number {
  const n = labels.length;
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const near = [...Array(n).keys()].filter((j) => j !== i)
      .map((j) => [(emb[2 * i] - emb[2 * j]) ** 2 + (emb[2 * i + 1] - emb[2 * j + 1]) ** 2, labels[j]])
      .sort((a, b) => a[0] - b[0]).slice(0, k);
    const same = near.filter(([, l]) => l === labels[i]).length;
    if (same > k / 2) agree++;
  }
  return agree / n;
}

for (const method of ['exact', 'barnes-hut'] as const) {
  test(`t-SNE (${method}) keeps well-separated blobs apart: 5-NN label agreement >= 0.9`, () => {
    const { r, labels } = blobs(25, 3, 12, 1);
    const model = tsne({ seed: 2, method, perplexity: 10, iterations: 400 }).fit(r);
    assert.equal(model.result.method, method);
    const emb = model.embedding;
    assert.equal(emb.length, 2 * r.n);
    assert.ok(emb.every(Number.isFinite));
    const agreement = knnAgreement(emb, labels, 5);
    assert.ok(agreement >= 0.9, `agreement ${agreement}`);
    if (method === 'exact') assert.ok(model.result.kl >= 0 && model.result.kl < 2, `KL ${model.result.kl}`);
  });
}

test('t-SNE: the same seed gives the same embedding, another seed (random init) a different one', () => {
  const { r } = blobs(15, 3, 8, 4);
  const opts = { perplexity: 8, iterations: 200, init: 'random' as const };
  const a = tsne({ ...opts, seed: 5 }).fitTransform(r);
  const b = tsne({ ...opts, seed: 5 }).fitTransform(r);
  const c = tsne({ ...opts, seed: 6 }).fitTransform(r);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const bh1 = tsne({ perplexity: 8, iterations: 200, method: 'barnes-hut', seed: 5 }).fitTransform(r);
  const bh2 = tsne({ perplexity: 8, iterations: 200, method: 'barnes-hut', seed: 5 }).fitTransform(r);
  assert.deepEqual(bh1, bh2);
});

test('t-SNE reduces wide rows with PCA first and still separates them', () => {
  const { r, labels } = blobs(20, 3, 300, 8);
  const emb = tsne({ seed: 1, perplexity: 10, iterations: 300, pcaDims: 20 }).fitTransform(r);
  assert.ok(knnAgreement(emb, labels, 5) >= 0.9);
});

test('t-SNE says what is wrong: bad options, too few rows, not fitted', () => {
  assert.throws(() => tsne({ perplexity: -1 }), /tsne\.perplexity/);
  assert.throws(() => tsne({ method: 'fast' as never }), /tsne\.method/);
  assert.throws(() => tsne({ perplex: 30 } as never), /tsne\.perplex/);
  assert.throws(() => new Tsne().embedding, /not fitted yet/);
  const { r } = blobs(5, 2, 3, 1);
  assert.throws(() => tsne({ perplexity: 30 }).fit(r), /less than n - 1 = 9/);
});

test('PCA scores recover the variances of known orthogonal directions', () => {
  // Rows = a*e1*3 + b*e2*2 + c*e3*1 + tiny noise, rotated into 40 dims by a fixed mixing.
  const rng = new Random(9);
  const n = 400;
  const d = 40;
  const basis = [0, 1, 2].map(() => {
    const v = Array.from({ length: d }, () => rng.normal());
    return v;
  });
  // Gram–Schmidt so the three directions are orthonormal.
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < a; b++) {
      const dot = basis[a].reduce((s, v, j) => s + v * basis[b][j], 0);
      basis[a] = basis[a].map((v, j) => v - dot * basis[b][j]);
    }
    const norm = Math.hypot(...basis[a]);
    basis[a] = basis[a].map((v) => v / norm);
  }
  const sd = [3, 2, 1];
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = sd.map((s) => s * rng.normal());
    for (let j = 0; j < d; j++) x[i * d + j] = z[0] * basis[0][j] + z[1] * basis[1][j] + z[2] * basis[2][j] + 0.01 * rng.normal();
  }
  const s = pcaScores(rows(x, d), 3, { seed: 1 });
  const variances = [0, 1, 2].map((c) => {
    let m = 0, q = 0;
    for (let i = 0; i < n; i++) { m += s[i * 3 + c]; q += s[i * 3 + c] ** 2; }
    return q / n - (m / n) ** 2;
  });
  variances.forEach((v, c) => assert.ok(Math.abs(v - sd[c] ** 2) / sd[c] ** 2 < 0.2, `component ${c}: variance ${v}, expected about ${sd[c] ** 2}`));
  assert.ok(variances[0] > variances[1] && variances[1] > variances[2]);
});
