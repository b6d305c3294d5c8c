/** `adan-lab data info`: what a dataset holds, as text or one JSON object. */
import { Command } from 'commander';
import { addIemocapOptions, loadOptionsOf, dataDirOption } from './options';

export function registerDataInfo(program: Command): void {
  const data = program.command('data').summary('look at a dataset');
  addIemocapOptions(
  data
      .command('info')
      .summary('rows, dims, classes and groups of a dataset (name or path)')
      .argument('[dataset]', 'a dataset name (emodb-is11, iemocap-is10, emodb-wav, synthetic) or a path; default: the first real one found')
      .addOption(dataDirOption())
      .option('--json', 'print one JSON object', false),
  )
    .action(async (name: string | undefined, o) => {
      const { loadDataset, describeDataset } = await import('../data/registry.js');
      const { SYNTHETIC_NOTICE } = await import('../data/synthetic.js');
      const dataset = name ?? (await firstAvailableDataset(o.dataDir));
      if (!name) console.error(`adan-lab: no dataset named; using ${dataset}`);
      const ds = await loadDataset(dataset, loadOptionsOf(o));
      const info = describeDataset(ds);
      if (o.json) {
        console.log(JSON.stringify(info));
        if (ds.synthetic) console.error(SYNTHETIC_NOTICE);
        return;
      }
      console.log(`${ds.name}: ${info.rows} rows x ${info.dims} features`);
      console.log(`classes (${info.classes.length}): ${info.classes.map((c) => `${c.name} ${c.count}`).join(', ')}`);
      console.log(`groups (${info.groups.length}): ${info.groups.map((g) => `${g.name} ${g.count}`).join(', ')}`);
      if (ds.synthetic) console.log(SYNTHETIC_NOTICE);
    });
}

/** The first real dataset found (the paper's EmoDB first), else `synthetic`. */
export async function firstAvailableDataset(dataDir?: string): Promise<string> {
  const { findDataEntry } = await import('../data/locate.js');
  for (const name of ['emodb-is11', 'iemocap-is10']) if (findDataEntry(name, dataDir)) return name;
  return 'synthetic';
}
