/** Strict command-line flag parsing shared by every command. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Flags {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** parseArgs with strict checking and a message that names the bad flag. */
export function parseFlags(argv: string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals = true): Flags {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true }) as Flags;
  } catch (err) {
    throw new Error((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}
