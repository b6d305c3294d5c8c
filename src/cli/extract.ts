/**
 * `adan-lab extract --set is11 WAV_OR_FOLDER... --out features.csv [--engine ts|opensmile]`:
 * audio to the IS11 Speaker State features, in SMILExtract's `-csvoutput` layout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { usageError } from './errors';

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .summary('audio to openSMILE IS11 features (own extractor, or SMILExtract with --engine opensmile)')
    .argument('<inputs...>', 'wave files, or folders of them')
    .addOption(new Option('--set <name>', 'feature set').choices(['is11']).default('is11'))
    .requiredOption('--out <csv>', 'the output CSV (openSMILE -csvoutput layout; written to a temporary name first)')
    .addOption(new Option('--engine <name>', "adan-lab's own extractor, or SMILExtract on PATH").choices(['ts', 'opensmile']).default('ts'))
    .option('--config <conf>', "openSMILE's config/is09-13/IS11_speaker_state.conf (with --engine opensmile)")
    .option('--allow-truncated', 'decode wave files whose data chunk is shorter than their header says (default: an error naming the file)', false)
    .action(async (inputs: string[], o) => {
      const { extractIs11, listWavFiles, runSmileExtract } = await import('../features/extract.js');
      const { writeSmileCsv } = await import('../features/csv.js');
      const { progressBar } = await import('./progress.js');
      const files = listWavFiles(inputs);
      const out = path.resolve(o.out);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const start = Date.now();
      if (o.engine === 'opensmile') {
        if (!o.config) throw usageError('--config', undefined, "the path of openSMILE's config/is09-13/IS11_speaker_state.conf with --engine opensmile");
        if (fs.existsSync(out)) fs.rmSync(out); // SMILExtract appends to an existing CSV
        runSmileExtract(files, out, o.config);
      } else {
        const bar = progressBar('extract is11', files.length);
        const table = extractIs11(files, { allowTruncated: o.allowTruncated, onProgress: (done, _total, file) => bar.update(done, path.basename(file)) });
        bar.done();
        // a temporary name first: an interrupted run never leaves a CSV that looks complete
        const tmp = `${out}.tmp`;
        writeSmileCsv(tmp, table);
        fs.renameSync(tmp, out);
      }
      console.error(`adan-lab: ${files.length} files -> ${out} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    });
}
