/**
 * Errors that say what went wrong and where, so a researcher can fix the call or the file.
 */

/** A problem with an input file or the data in it. `file` names the file (or dataset) at fault. */
export class DataError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DataError';
    this.file = file;
  }
}

/** A bad option or argument: names the option, the value and what was expected. */
export class OptionError extends Error {
  /** The option's name as the caller wrote it (`wadan.alpha`, `--sets`, `spec.folds`). */
  readonly option: string;
  constructor(option: string, value: unknown, expected: string) {
    super(`option ${option}: got ${describe(value)}, expected ${expected}`);
    this.name = 'OptionError';
    this.option = option;
  }
}

/** A method that needs a fitted model was called before `fit`. */
export class NotFittedError extends Error {
  constructor(what: string, verb: string) {
    super(`${what} is not fitted yet: call fit before ${verb}`);
    this.name = 'NotFittedError';
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch {
    return String(value);
  }
}

/** Reject keys of `options` that `defaults` does not have (a typo would otherwise be silently ignored). */
export function checkOptionKeys(what: string, options: object, defaults: object): void {
  const known = Object.keys(defaults);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new OptionError(`${what}.${key}`, (options as Record<string, unknown>)[key], `one of the known options: ${known.join(', ')}`);
    }
  }
}
