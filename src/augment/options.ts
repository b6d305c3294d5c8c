/**
 * Option handling shared by the augmenters: merge with the defaults constant, reject unknown
 * keys, and validate values with errors that name the option, the value and what was expected
 * (STYLE 3).
 */
import { OptionError, checkOptionKeys } from '../util/errors';
import type { FitControl } from './augmenter';

/** Keys of `FitControl`: they ride along in `fit(train, options)` but are not settings. */
export const FIT_CONTROL_KEYS = ['onEpoch', 'checkpointDir', 'checkpointEvery', 'resume', 'validation'] as const;

/** `defaults` overridden by `options`, after rejecting keys the defaults do not have. */
export function mergeOptions<T extends object>(what: string, defaults: T, options: object | undefined): T {
  const given = options ?? {};
  checkOptionKeys(what, given, defaults);
  const out = { ...defaults } as Record<string, unknown>;
  for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Check `fit`'s second argument: only fit controls. A setting there is an error that says where
 * settings go (the constructor), so a run's settings are always the ones it was built with.
 */
export function checkFitControl(what: string, options: FitControl | undefined): FitControl {
  const given = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(FIT_CONTROL_KEYS as readonly string[]).includes(key)) {
      throw new OptionError(`${what}.fit.${key}`, given[key], `one of ${FIT_CONTROL_KEYS.join(', ')}: settings go to the constructor (e.g. ${what}({ ${key}: ... })), fit takes the data and these controls`);
    }
  }
  const c = given as FitControl;
  if (c.checkpointEvery !== undefined && !(Number.isInteger(c.checkpointEvery) && c.checkpointEvery >= 0)) {
    throw new OptionError('fit.checkpointEvery', c.checkpointEvery, 'a non-negative integer (0 = never)');
  }
  if (c.checkpointEvery && !c.checkpointDir) throw new OptionError('fit.checkpointDir', c.checkpointDir, 'a folder when checkpointEvery > 0');
  if (c.resume && !c.checkpointDir) throw new OptionError('fit.checkpointDir', c.checkpointDir, 'a folder to resume from when resume is true');
  if (c.validation !== undefined && !(c.validation && c.validation.x instanceof Float32Array && c.validation.n > 0)) {
    throw new OptionError('fit.validation', c.validation, 'a Dataset of real rows (rows of training speakers the augmenter does not train on)');
  }
  if (c.onEpoch !== undefined && typeof c.onEpoch !== 'function') throw new OptionError('fit.onEpoch', c.onEpoch, 'a function (record) => void');
  return c;
}

export function checkInt(name: string, v: unknown, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new OptionError(name, v, `an integer >= ${min}`);
}

export function checkNumber(name: string, v: unknown, min: number, max = Infinity, open = false): void {
  const ok = typeof v === 'number' && Number.isFinite(v) && (open ? v > min : v >= min) && v <= max;
  if (!ok) throw new OptionError(name, v, `a finite number ${open ? '>' : '>='} ${min}${max < Infinity ? ` and <= ${max}` : ''}`);
}

export function checkOneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): void {
  if (!allowed.includes(v as T)) throw new OptionError(name, v, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
}

/** Hidden-layer sizes: an array of positive integers (may be empty). */
export function checkLayers(name: string, v: unknown): void {
  if (!Array.isArray(v) || !v.every((h) => Number.isInteger(h) && h > 0)) throw new OptionError(name, v, 'an array of positive integers (hidden-layer sizes)');
}

export function checkSeed(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new OptionError(name, v, 'a finite number');
}
