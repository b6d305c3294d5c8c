/** `adan-lab data info`: what a dataset holds, as text or one JSON object. */
import { parseFlags } from './flags';
import { loadDataset, describeDataset } from '../data/registry';
import { findDataEntry } from '../data/locate';
import { SYNTHETIC_NOTICE } from '../data/synthetic';

export async function dataInfo(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, 'data-dir': { type: 'string' } });
  const dataDir = values['data-dir'] as string | undefined;
  const name = positionals[0] ?? firstAvailableDataset(dataDir);
  if (!positionals[0]) console.error(`adan-lab: no dataset named; using ${name}`);
  const ds = await loadDataset(name, { dataDir });
  const info = describeDataset(ds);
  if (values.json) {
    console.log(JSON.stringify(info));
    if (ds.synthetic) console.error(SYNTHETIC_NOTICE);
    return 0;
  }
  console.log(`${ds.name}: ${info.rows} rows x ${info.dims} features`);
  console.log(`classes (${info.classes.length}): ${info.classes.map((c) => `${c.name} ${c.count}`).join(', ')}`);
  console.log(`groups (${info.groups.length}): ${info.groups.map((g) => `${g.name} ${g.count}`).join(', ')}`);
  if (ds.synthetic) console.log(SYNTHETIC_NOTICE);
  return 0;
}

/** The first real dataset found (the paper's EmoDB first), else `synthetic`. */
export function firstAvailableDataset(dataDir?: string): string {
  for (const name of ['emodb-is11', 'iemocap-is10']) if (findDataEntry(name, dataDir)) return name;
  return 'synthetic';
}
