/**
 * How the CLI fails: a usage error (a flag or argument the command cannot take) exits 2 with a
 * message naming the flag, as commander's own parse errors do; any other error exits 1; an
 * interrupted run exits 130 and says how to resume.
 */
import { loadDataset, type LoadOptions } from '../data/registry';
import type { DataLoader } from '../experiment/factories';
import { OptionError } from '../util/errors';

/** A flag's value the command cannot use (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function usageError(flag: string, value: unknown, expected: string): UsageError {
  return new UsageError(new OptionError(flag, value, expected).message);
}

/**
 * An OptionError from a constructor, told in terms of the flag that carried the option:
 * `option wadan.alpha: ...` becomes `--augment-options: option wadan.alpha: ...`.
 */
export function asFlagError(err: unknown, flags: { prefix: RegExp; flag: string }[]): unknown {
  if (!(err instanceof OptionError)) return err;
  const hit = flags.find((f) => f.prefix.test(err.option));
  return hit ? new UsageError(`${hit.flag}: ${err.message}`) : err;
}

/** The registry's loader with the CLI's data flags (`--data-dir`, the IEMOCAP label flags). */
export function loaderFor(options: Partial<LoadOptions> | string | undefined): DataLoader | undefined {
  const o = typeof options === 'string' ? { dataDir: options } : options;
  if (!o || Object.values(o).every((v) => v === undefined)) return undefined;
  return (name) => loadDataset(name, o);
}
