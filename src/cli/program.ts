/**
 * The `adan-lab` command line, declared once with commander: every command, its flags with
 * their defaults and one line of help each (`adan-lab eval --help`, `adan-lab help eval`), and
 * the validation that names the flag. Commands load their heavy modules (tfjs) only when run.
 */
import { Command } from 'commander';
import { registerBench } from './bench';
import { registerDataInfo } from './data-info';
import { registerEval } from './eval';
import { registerExtract } from './extract';
import { registerNotebook } from './notebook';
import { registerReproduce } from './reproduce';
import { registerResults } from './results';

export function buildProgram(): Command {
  const program = new Command('adan-lab')
    .description('Adversarial data augmentation (ADAN, WADAN) for speech emotion recognition: the paper\'s grids, resumable, from the command line.')
    .version(require('../../../package.json').version as string)
    .addHelpText('after', '\nData are searched in --data-dir, $ADAN_DATA_DIR, ./data, ../shared/data (see data/README.md).\nExit codes: 0 done, 1 failed (the message names the file or problem), 2 bad usage, 130 interrupted (run the same command again to resume).')
    .showHelpAfterError('(add --help for the flags)')
    .showSuggestionAfterError(true);
  registerDataInfo(program);
  registerEval(program);
  registerReproduce(program);
  registerResults(program);
  registerBench(program);
  registerExtract(program);
  registerNotebook(program);
  // every command exits through main()'s error mapping, and says what it takes on a bad flag
  const configure = (c: Command): void => {
    c.exitOverride().configureOutput({ outputError: (text, write) => write(text.replace(/^error:/, 'adan-lab: error:')) });
    c.showHelpAfterError('(add --help for the flags)');
    c.commands.forEach(configure);
  };
  configure(program);
  return program;
}
