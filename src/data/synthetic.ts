/**
 * A seeded, EmoDB-shaped stand-in so the main job, the tests and the notebooks run on a fresh
 * clone with no corpus. It is not speech: every output that uses it must say so
 * (`SYNTHETIC_NOTICE`). Rows = class mean + speaker shift + correlated low-rank variation + noise,
 * all in a random low-dimensional subspace mapped to `d` features with feature-wise scales.
 */
import { makeDataset, type Dataset } from './dataset';
import { Random } from '../util/random';
import { OptionError, checkOptionKeys } from '../util/errors';

export interface SyntheticOptions {
  /** Seed of everything generated. Default 0. */
  seed: number;
  /** Rows. Default 535 (EmoDB). With the default class mix, counts follow EmoDB's proportions. */
  n: number;
  /** Features. Default 4354 (the authors' IS11 after dropping constant features). */
  d: number;
  /** Number of speakers (groups). Default 10 (EmoDB). */
  speakers: number;
  /** Rank of the shared correlated variation. Default 16. */
  rank: number;
  /** Distance between class means relative to the within-class spread. Default 0.6. */
  classSeparation: number;
  /** Size of speaker shifts relative to the within-class spread. Default 0.5. */
  speakerShift: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticOptions = {
  seed: 0,
  n: 535,
  d: 4354,
  speakers: 10,
  rank: 16,
  classSeparation: 0.6,
  speakerShift: 0.5,
};

/** EmoDB's class names and counts (W L E A F T N), which the synthetic set mimics. */
export const EMODB_CLASS_NAMES = ['anger', 'boredom', 'disgust', 'fear', 'happiness', 'sadness', 'neutral'] as const;
const EMODB_COUNTS = [127, 81, 46, 69, 71, 62, 79];
const EMODB_SPEAKERS = ['03', '08', '09', '10', '11', '12', '13', '14', '15', '16'];

/** What every output that uses synthetic data prints. */
export const SYNTHETIC_NOTICE =
  'NOTE: these are SYNTHETIC data (a seeded EmoDB-shaped generator), not speech features. ' +
  'Get the real corpora as data/README.md explains (EmoDB: emodb.bilderbar.info; IEMOCAP: sail.usc.edu/iemocap, licensed) ' +
  'and point ADAN_DATA_DIR or --data-dir at them.';

export function makeSynthetic(options: Partial<SyntheticOptions> = {}): Dataset {
  checkOptionKeys('synthetic', options, SYNTHETIC_DEFAULTS);
  const o = { ...SYNTHETIC_DEFAULTS, ...options };
  for (const key of ['n', 'd', 'speakers', 'rank'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new OptionError(`synthetic.${key}`, o[key], 'a positive integer');
  }
  if (o.n < 14) throw new OptionError('synthetic.n', o.n, 'at least 14 rows (two per class)');
  if (o.speakers < 2) throw new OptionError('synthetic.speakers', o.speakers, 'at least 2 speakers (folds leave one out)');
  const rng = new Random(o.seed);
  const k = EMODB_CLASS_NAMES.length;
  const { n, d, rank } = o;
  const latent = rank + 8; // subspace carrying class, speaker and shared variation

  // Class counts in EmoDB's proportions, summing to n, every class at least 2.
  const total = EMODB_COUNTS.reduce((s, c) => s + c, 0);
  const counts = EMODB_COUNTS.map((c) => Math.max(2, Math.floor((c * n) / total)));
  for (let i = 0; counts.reduce((s, c) => s + c, 0) < n; i = (i + 1) % k) counts[i]++;
  for (let i = 0; counts.reduce((s, c) => s + c, 0) > n; i = (i + 1) % k) if (counts[i] > 2) counts[i]--;

  const labels: number[] = [];
  counts.forEach((c, label) => { for (let i = 0; i < c; i++) labels.push(label); });
  rng.derive('order').shuffle(labels);
  const speakerNames = Array.from({ length: o.speakers }, (_, s) => EMODB_SPEAKERS[s] ?? `s${s + 1}`);
  // Speakers in contiguous blocks, like the authors' per-speaker files.
  const groups = labels.map((_, i) => speakerNames[Math.floor((i * o.speakers) / n)]);

  const lat = rng.derive('latent');
  const classMeans = Array.from({ length: k }, () => lat.normalArray(latent, 0, o.classSeparation));
  const speakerMeans = speakerNames.map(() => lat.normalArray(latent, 0, o.speakerShift));
  const mapping = rng.derive('mapping').normalArray(latent * d, 0, 1 / Math.sqrt(latent)); // latent x d
  const scales = rng.derive('scales').uniformArray(d, 0.5, 2);
  const noise = rng.derive('noise');

  const x = new Float32Array(n * d);
  const h = new Float64Array(latent);
  for (let i = 0; i < n; i++) {
    const c = classMeans[labels[i]];
    const s = speakerMeans[speakerNames.indexOf(groups[i])];
    for (let l = 0; l < latent; l++) h[l] = c[l] + s[l] + noise.normal();
    const out = x.subarray(i * d, (i + 1) * d);
    for (let l = 0; l < latent; l++) {
      const hl = h[l];
      const m = mapping.subarray(l * d, (l + 1) * d);
      for (let j = 0; j < d; j++) out[j] += hl * m[j];
    }
    for (let j = 0; j < d; j++) out[j] = (out[j] + 0.5 * noise.normal()) * scales[j];
  }
  const ids = labels.map((_, i) => `synthetic-${groups[i]}-${String(i).padStart(4, '0')}`);
  return makeDataset({ name: 'synthetic', x, d, y: labels, classes: EMODB_CLASS_NAMES, groups, ids, synthetic: true });
}
