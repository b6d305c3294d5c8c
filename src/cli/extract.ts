/**
 * `adan-lab extract --set is11 <wav files or folders> --out features.csv [--engine ts|opensmile]`:
 * audio to the IS11 Speaker State features, in SMILExtract's `-csvoutput` layout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlags } from './flags';
import { progressBar } from './progress';
import { OptionError } from '../util/errors';
import { extractIs11, listWavFiles, runSmileExtract } from '../features/extract';
import { writeSmileCsv } from '../features/csv';

export const EXTRACT_USAGE = 'adan-lab extract --set is11 WAV_OR_FOLDER... --out features.csv [--engine ts|opensmile] [--config IS11_speaker_state.conf]';

export async function extractCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    set: { type: 'string', default: 'is11' },
    out: { type: 'string' },
    engine: { type: 'string', default: 'ts' },
    config: { type: 'string' },
  });
  if (values.set !== 'is11') throw new OptionError('--set', values.set, 'is11 (the only feature set implemented)');
  if (!values.out) throw new OptionError('--out', undefined, `an output CSV path (usage: ${EXTRACT_USAGE})`);
  if (positionals.length === 0) throw new OptionError('inputs', positionals, `wav files or folders (usage: ${EXTRACT_USAGE})`);
  const files = listWavFiles(positionals);
  const out = path.resolve(values.out as string);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const start = Date.now();
  if (values.engine === 'opensmile') {
    if (!values.config) throw new OptionError('--config', undefined, "the path of openSMILE's config/is09-13/IS11_speaker_state.conf");
    if (fs.existsSync(out)) fs.rmSync(out); // SMILExtract appends to an existing CSV
    runSmileExtract(files, out, values.config as string);
  } else if (values.engine === 'ts') {
    const bar = progressBar('extract is11', files.length);
    const table = extractIs11(files, { onProgress: (done, _total, file) => bar.update(done, path.basename(file)) });
    bar.done();
    // Write to a temporary name first: an interrupted run never leaves a CSV that looks complete.
    const tmp = `${out}.tmp`;
    writeSmileCsv(tmp, table);
    fs.renameSync(tmp, out);
  } else {
    throw new OptionError('--engine', values.engine, 'ts (adan-lab\'s own extractor) or opensmile (SMILExtract on PATH)');
  }
  console.error(`adan-lab: ${files.length} files -> ${out} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return 0;
}
