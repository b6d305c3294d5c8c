/**
 * `adan-lab <command> ...`: the command-line entry. Each command lives in its own module and is
 * loaded on demand, so `adan-lab data info` does not pay for loading tfjs.
 */

interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  'data info': {
    summary: 'rows, dims, classes and groups of a dataset (name or path)',
    usage: 'adan-lab data info [emodb-is11|iemocap-is10|emodb-wav|synthetic|PATH] [--json] [--data-dir DIR]',
    run: async (argv) => (await import('./data-info.js')).dataInfo(argv),
  },
  eval: {
    summary: 'cross-validate one classifier with one augmenter; pooled WA/UAR and per-fold spread',
    usage: 'adan-lab eval --data NAME --classifier svm|dnn [--augment METHOD] [--sets N] [--epochs E] [--folds 1,2,...] [--seed S] [--repeats R] [--store DIR] [--data-dir DIR] [--json]',
    run: async (argv) => (await import('../experiment/commands.js')).evalCommand(argv),
  },
  reproduce: {
    summary: "run the grid of the paper's Table I (emodb) or II (iemocap) and print it beside the paper's",
    usage: 'adan-lab reproduce emodb|iemocap [--quick] [--methods m1,m2,...] [--classifiers svm,dnn] [--store DIR] [--shard i/N] [--epochs E] [--data NAME] [--data-dir DIR] [--seed S] [--json]',
    run: async (argv) => (await import('../experiment/commands.js')).reproduceCommand(argv),
  },
  results: {
    summary: 'merge result stores of sharded runs, or show a store',
    usage: 'adan-lab results merge --out DIR STORE... | adan-lab results show STORE [--json]',
    run: async (argv) => (await import('../experiment/commands.js')).resultsCommand(argv),
  },
  bench: {
    summary: 'time WADAN training on this machine (Table III) and the BLAS it reaches',
    usage: 'adan-lab bench [--json] [--backend native|wasm|cpu|tensorflow] [--threads N] [--epochs N] [--seed S] [--no-profile]',
    run: async (argv) => (await import('./bench.js')).benchCommand(argv),
  },
  extract: {
    summary: 'audio to openSMILE IS11 features (own extractor, or SMILExtract with --engine opensmile)',
    usage: 'adan-lab extract --set is11 WAV_OR_FOLDER... --out features.csv [--engine ts|opensmile] [--config CONF]',
    run: async (argv) => (await import('./extract.js')).extractCommand(argv),
  },
  notebook: {
    summary: 'register the tslab kernel and start Jupyter on notebooks/',
    usage: 'adan-lab notebook',
    run: async (argv) => (await import('./notebook.js')).startNotebook(argv),
  },
  'notebooks run': {
    summary: 'execute the notebooks headless (CI: --quick), failing on any error output',
    usage: 'adan-lab notebooks run [--quick] [--in-place] [--out DIR] [FILES...]',
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
  console.error(`adan-lab: unknown command '${argv.join(' ')}'\n\n${help()}`);
  return 2;
}
