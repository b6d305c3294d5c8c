/**
 * `adan-lab <command> ...`: runs the program of program.ts and turns its outcome into an exit
 * code: 0 done, 1 failed, 2 bad usage (a flag, a value, a missing argument), 130 interrupted.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program';
import { UsageError } from './errors';
import { OptionError } from '../util/errors';

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const interrupted = (): void => {
    console.error('\nadan-lab: interrupted; every finished unit is stored: run the same command again to continue where it stopped');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are "errors" only to exitOverride; the message has been printed
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      // help shown for a command without its subcommand is a usage error (exitCode 1 from commander)
      if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
      return 2;
    }
    if (err instanceof UsageError || err instanceof OptionError) {
      console.error(`adan-lab: error: ${err.message}`);
      return 2;
    }
    console.error(`adan-lab: ${(err as Error).message}`);
    return 1;
  } finally {
    process.removeListener('SIGINT', interrupted);
  }
}
