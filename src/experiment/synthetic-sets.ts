/**
 * The augmented sets of one unit group: its augmenter fitted once (or loaded when kept, or
 * resumed from its checkpoint), set j of repeat r drawn with seeds of its own, each set cached
 * on disk until the group's units are stored, so a killed run never trains the augmenter again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '../data/dataset';
import { Random } from '../util/random';
import { writeFileAtomic } from './atomic';
import { canonicalJson, seedFromKey, sha256, stableKey } from './hash';
import type { AugmenterFactory } from './factories';
import type { PlannedUnit, UnitGroup } from './plan';
import type { Augmenter, EpochRecord, FitControl } from '../augment/augmenter';

/**
 * The augmented sets of one group: fitted once, sampled set by set, cached on disk (so a killed
 * run does not retrain the augmenter) and kept in memory for the group's units.
 */
export class SyntheticSets {
  private augmenter?: Augmenter;
  private readonly memory = new Map<string, Dataset>();
  private fitSeconds = 0;
  private fitEpochs: number | undefined;

  /** Largest number of sets per repeat that the group's pending units need. */
  private readonly needed = new Map<number, number>();

  constructor(
    private readonly group: UnitGroup,
    pending: readonly PlannedUnit[],
    private readonly train: Dataset,
    private readonly factory: AugmenterFactory,
    private readonly cacheDir: string | undefined,
    /**
     * Where this group's fitted augmenter is kept: loaded from there when present, saved there
     * when `save`; else loaded from the first of `elsewhere` (other stores' folders of the same
     * group key) that holds it.
     */
    private readonly kept: { dir: string; save: boolean; elsewhere?: readonly string[] },
    private readonly training: {
      checkpointEvery: number;
      onEpoch: (record: EpochRecord) => void;
      /** The fit starts again from epoch 1 (its checkpoint could not be resumed). */
      onFitRestart: () => void;
      /** The augmenter is ready (fitted or loaded): no more training epochs for this group. */
      onFitDone: () => void;
      warn: (m: string) => void;
    },
  ) {
    for (const u of pending) this.needed.set(u.config.repeat, Math.max(this.needed.get(u.config.repeat) ?? 0, u.config.sets));
  }

  /** Sets 1..k of `repeat`. */
  async sets(repeat: number, k: number, checkAbort: () => void): Promise<Dataset[]> {
    // Units come repeat by repeat: keep only this repeat's sets in memory.
    for (const id of [...this.memory.keys()]) if (!id.startsWith(`r${repeat}-`)) this.memory.delete(id);
    const out: Dataset[] = [];
    for (let j = 1; j <= k; j++) out.push(await this.set(repeat, j, checkAbort));
    return out;
  }

  /**
   * Seconds of the augmenter fit done since the last call and the epochs it trained (reported
   * once, with the first unit after it; epochs only for augmenters with a training history).
   */
  takeFit(): { seconds: number; epochs?: number } {
    const fit = { seconds: this.fitSeconds, ...(this.fitEpochs !== undefined ? { epochs: this.fitEpochs } : {}) };
    this.fitSeconds = 0;
    this.fitEpochs = undefined;
    return fit;
  }

  private async set(repeat: number, j: number, checkAbort: () => void): Promise<Dataset> {
    const id = `r${repeat}-s${j}`;
    const inMemory = this.memory.get(id);
    if (inMemory) return inMemory;
    const cached = this.cacheDir ? readCachedSet(this.cacheDir, id, this.train) : undefined;
    if (cached) {
      this.memory.set(id, cached);
      return cached;
    }
    const set = this.draw(await this.fitted(checkAbort), repeat, j);
    this.memory.set(id, set);
    return set;
  }

  /** Augmented set j of `repeat`: exactly the training fold's labels, shuffled (the paper's "same category ratio"), with seeds of its own. */
  private draw(aug: Augmenter, repeat: number, j: number): Dataset {
    const setKey = stableKey({ group: this.group.key, repeat, set: j });
    const labels = new Random(seedFromKey(setKey)).shuffle(Int32Array.from(this.train.y));
    const sampled = aug.sample(labels, { seed: seedFromKey(sha256(setKey)) });
    const set = checkSample(sampled, labels, this.train, this.group.augmenter!.method, `${this.train.name} ${this.group.augmenter!.method} repeat ${repeat} set ${j}`);
    if (this.cacheDir) writeCachedSet(this.cacheDir, `r${repeat}-s${j}`, set);
    return set;
  }

  private async fitted(checkAbort: () => void): Promise<Augmenter> {
    if (this.augmenter) return this.augmenter;
    checkAbort();
    const a = this.group.augmenter!;
    const t0 = performance.now();
    const make = (): Augmenter => this.factory.make(a.method, a.options, seedFromKey(this.group.key));
    const control: FitControl & Record<string, unknown> = {};
    const onEpoch = this.training.onEpoch;
    let epochsNow = 0;
    control.onEpoch = (record) => {
      epochsNow++;
      onEpoch(record);
    };
    const checkpointDir = this.cacheDir && this.training.checkpointEvery > 0 ? path.join(this.cacheDir, 'checkpoint') : undefined;
    if (checkpointDir) Object.assign(control, { checkpointDir, checkpointEvery: this.training.checkpointEvery, resume: true });
    const resuming = checkpointDir !== undefined && fs.existsSync(checkpointDir);
    const keptInfo = path.join(this.kept.dir, 'experiment-group.json');
    const from = [this.kept.dir, ...(this.kept.elsewhere ?? [])].find((dir) => fs.existsSync(path.join(dir, 'experiment-group.json')));
    if (from !== undefined && this.factory.load) {
      // fitted by an earlier run of this group (keepAugmenters), here or in another store
      // (reuseFitsFrom): the same weights, so the same sets; its fit time stays with the run
      // that fitted it (not counted again here)
      try {
        this.augmenter = await this.factory.load(from);
        if (from !== this.kept.dir && this.kept.save) {
          await this.augmenter.save(this.kept.dir);
          const info = JSON.parse(fs.readFileSync(path.join(from, 'experiment-group.json'), 'utf8')) as Record<string, unknown>;
          writeFileAtomic(keptInfo, JSON.stringify({ ...info, copiedFrom: from }, null, 1) + '\n');
        }
        this.training.onFitDone();
        this.drawNeeded(this.augmenter);
        return this.augmenter;
      } catch (err) {
        this.training.warn(`${a.method} fold ${this.group.fold}: the kept augmenter in ${from} does not load (${(err as Error).message}); fitting it again`);
        this.augmenter = undefined;
        // another store's folder is read-only here
        if (from === this.kept.dir) fs.rmSync(this.kept.dir, { recursive: true, force: true });
      }
    }
    let aug = make();
    try {
      await aug.fit(this.train, control);
    } catch (err) {
      // A checkpoint that cannot be resumed from (e.g. cut short by a kill) is discarded and the fit restarted once.
      if (!resuming) throw err;
      this.training.warn(`${a.method} fold ${this.group.fold}: could not resume from the checkpoint in ${checkpointDir} (${(err as Error).message}); training from the start`);
      (aug as { dispose?: () => void }).dispose?.();
      fs.rmSync(checkpointDir, { recursive: true, force: true });
      aug = make();
      epochsNow = 0;
      this.training.onFitRestart();
      await aug.fit(this.train, control);
    }
    this.fitSeconds = (performance.now() - t0) / 1000 + secondsBeforeResume(aug, epochsNow);
    const history = (aug as { history?: readonly unknown[] }).history;
    this.fitEpochs = Array.isArray(history) && history.length > 0 ? history.length : undefined;
    this.training.onFitDone();
    if (this.kept.save) {
      await aug.save(this.kept.dir);
      writeFileAtomic(keptInfo, JSON.stringify({ group: this.group.key, fold: this.group.fold, augmenter: a, fitSeconds: this.fitSeconds }, null, 1) + '\n');
    }
    this.augmenter = aug;
    this.drawNeeded(aug);
    return aug;
  }

  /**
   * With a cache, draw every set the group's pending units need right away, so that a run
   * killed after this point never has to fit this augmenter again.
   */
  private drawNeeded(aug: Augmenter): void {
    if (!this.cacheDir) return;
    for (const [repeat, k] of this.needed) {
      for (let j = 1; j <= k; j++) if (!readCachedSet(this.cacheDir, `r${repeat}-s${j}`, this.train)) this.draw(aug, repeat, j);
    }
  }

  dispose(): void {
    (this.augmenter as { dispose?: () => void } | undefined)?.dispose?.();
    this.augmenter = undefined;
    this.memory.clear();
  }
}

/** The augmenter's rows as one augmented set, after checking they are what was asked for. */
function checkSample(s: Dataset, labels: Int32Array, train: Dataset, method: string, name: string): Dataset {
  if (s.n !== labels.length || s.d !== train.d) throw new Error(`augmenter ${method}: sample returned ${s.n} x ${s.d} rows, asked for ${labels.length} x ${train.d}`);
  for (let i = 0; i < labels.length; i++) {
    if (s.y[i] !== labels[i]) throw new Error(`augmenter ${method}: sample row ${i} has label ${s.y[i]}, asked for ${labels[i]}`);
  }
  for (let i = 0; i < s.x.length; i++) {
    if (!Number.isFinite(s.x[i])) throw new Error(`augmenter ${method}: synthetic row ${Math.floor(i / s.d)} has a non-finite feature (${s.x[i]}); the augmenter diverged`);
  }
  const ids = Array.from({ length: s.n }, (_, i) => `${name}#${i}`);
  return { name, x: s.x, n: s.n, d: s.d, y: Int32Array.from(labels), classes: train.classes, groups: new Array(s.n).fill('synthetic'), ids, synthetic: true };
}

function writeCachedSet(dir: string, id: string, set: Dataset): void {
  const bytes = new Uint8Array(set.x.buffer, set.x.byteOffset, set.x.byteLength);
  writeFileAtomic(path.join(dir, `${id}.f32`), bytes);
  // The manifest is written last: a set without one (or with a mismatching hash) is ignored.
  writeFileAtomic(path.join(dir, `${id}.json`), canonicalJson({ n: set.n, d: set.d, y: Array.from(set.y), sha256: sha256(bytes), name: set.name }) + '\n');
}

function readCachedSet(dir: string, id: string, train: Dataset): Dataset | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, `${id}.json`), 'utf8')) as { n: number; d: number; y: number[]; sha256: string; name: string };
    const buf = fs.readFileSync(path.join(dir, `${id}.f32`));
    if (m.d !== train.d || buf.byteLength !== m.n * m.d * 4 || sha256(buf) !== m.sha256) return undefined;
    const x = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const ids = Array.from({ length: m.n }, (_, i) => `${m.name}#${i}`);
    return { name: m.name, x, n: m.n, d: m.d, y: Int32Array.from(m.y), classes: train.classes, groups: new Array(m.n).fill('synthetic'), ids, synthetic: true };
  } catch {
    return undefined;
  }
}

/**
 * Training seconds of the epochs a fit resumed from a checkpoint did not run itself (their
 * records come back with the checkpoint), so a fit cut by a kill and resumed still counts its
 * whole training time.
 */
export function secondsBeforeResume(aug: Augmenter, epochsNow: number): number {
  const history = (aug as { history?: readonly { seconds?: number }[] }).history;
  if (!Array.isArray(history)) return 0;
  return history.slice(0, Math.max(0, history.length - epochsNow)).reduce((s, r) => s + (Number.isFinite(r.seconds) ? (r.seconds as number) : 0), 0);
}
