/**
 * `adan-lab <command> ...`: the command-line entry. Each command lives in its own module and is
 * loaded on demand, so `adan-lab data info` does not pay for loading tfjs.
 */
import { BENCH_USAGE, DATA_INFO_USAGE, EVAL_USAGE, EXTRACT_USAGE, NOTEBOOK_USAGE, NOTEBOOKS_RUN_USAGE, REPRODUCE_USAGE, RESULTS_USAGE } from './usage';

interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  'data info': {
    summary: 'rows, dims, classes and groups of a dataset (name or path)',
    usage: DATA_INFO_USAGE,
    run: async (argv) => (await import('./data-info.js')).dataInfo(argv),
  },
  eval: {
    summary: 'cross-validate one classifier with one augmenter; pooled WA/UAR and per-fold spread',
    usage: EVAL_USAGE,
    run: async (argv) => (await import('../experiment/commands.js')).evalCommand(argv),
  },
  reproduce: {
    summary: "run the grid of the paper's Table I (emodb) or II (iemocap) and print it beside the paper's",
    usage: REPRODUCE_USAGE,
    run: async (argv) => (await import('../experiment/commands.js')).reproduceCommand(argv),
  },
  results: {
    summary: 'merge result stores of sharded runs, or show a store',
    usage: RESULTS_USAGE,
    run: async (argv) => (await import('../experiment/commands.js')).resultsCommand(argv),
  },
  bench: {
    summary: 'time WADAN training on this machine (Table III) and the BLAS it reaches',
    usage: BENCH_USAGE,
    run: async (argv) => (await import('./bench.js')).benchCommand(argv),
  },
  extract: {
    summary: 'audio to openSMILE IS11 features (own extractor, or SMILExtract with --engine opensmile)',
    usage: EXTRACT_USAGE,
    run: async (argv) => (await import('./extract.js')).extractCommand(argv),
  },
  notebook: {
    summary: 'register the tslab kernel and start Jupyter on notebooks/',
    usage: NOTEBOOK_USAGE,
    run: async (argv) => (await import('./notebook.js')).startNotebook(argv),
  },
  'notebooks run': {
    summary: 'execute the notebooks headless (CI: --quick), failing on any error output',
    usage: NOTEBOOKS_RUN_USAGE,
    run: async (argv) => (await import('./notebook.js')).runNotebooks(argv),
  },
};

function help(): string {
  const lines = ['adan-lab: adversarial data augmentation (ADAN, WADAN) for speech emotion recognition', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(16)} ${c.summary}`, `      ${c.usage}`);
  lines.push('', 'Data are searched in --data-dir, $ADAN_DATA_DIR, ./data, ../shared/data (see data/README.md).');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    console.log(help());
    return 0;
  }
  if (argv[0] === '--version') {
    console.log(require('../../../package.json').version);
    return 0;
  }
  // Longest command name that prefixes the arguments ("data info" before "data").
  const names = Object.keys(COMMANDS).sort((a, b) => b.split(' ').length - a.split(' ').length);
  for (const name of names) {
    const words = name.split(' ');
    if (words.every((w, i) => argv[i] === w)) {
      const rest = argv.slice(words.length);
      if (rest.includes('--help') || rest.includes('-h')) {
        console.log(`usage: ${COMMANDS[name].usage}`);
        return 0;
      }
      return COMMANDS[name].run(rest);
    }
  }
  // the first word of a two-word command ("notebooks", "data") on its own: its subcommands
  const family = names.filter((name) => name.includes(' ') && name.split(' ')[0] === argv[0]);
  if (family.length > 0) {
    const usages = family.map((name) => `  ${COMMANDS[name].usage}`).join('\n');
    const asked = argv.length === 2 && (argv[1] === '--help' || argv[1] === '-h');
    if (asked || argv.length === 1) {
      (asked ? console.log : console.error)(`usage:\n${usages}`);
      return asked ? 0 : 2;
    }
    console.error(`adan-lab: unknown command '${argv.join(' ')}'; ${argv[0]} has:\n${usages}`);
    return 2;
  }
  console.error(`adan-lab: unknown command '${argv.join(' ')}'\n\n${help()}`);
  return 2;
}
