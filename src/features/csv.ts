/**
 * Write feature rows in the layout of `SMILExtract -csvoutput`: `;`-separated, header
 * `name;frameTime;<features>`, one row per file, the name in single quotes, frameTime 0 and the
 * values in C's `%e` format (e.g. `2.546113e-01`). Not-computed values are written as `NaN`.
 */
import { writeFileSync } from 'node:fs';
import { FeatureTable } from '../data/readers/opensmile';

/** C printf `%e`: six digits after the point, at least two exponent digits. */
export function formatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const [mant, exp] = v.toExponential(6).split('e');
  const e = Number(exp);
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** The CSV text of a feature table, SMILExtract style. */
export function formatSmileCsv(table: Pick<FeatureTable, 'rowNames' | 'featureNames' | 'x' | 'd'>): string {
  const lines = [['name', 'frameTime', ...table.featureNames].join(';')];
  for (let r = 0; r < table.rowNames.length; r++) {
    const cells = [`'${table.rowNames[r]}'`, '0.000000'];
    for (let j = 0; j < table.d; j++) cells.push(formatE(table.x[r * table.d + j]));
    lines.push(cells.join(';'));
  }
  return lines.join('\n') + '\n';
}

/** Write `table` to `file` in SMILExtract's CSV layout. */
export function writeSmileCsv(file: string, table: Pick<FeatureTable, 'rowNames' | 'featureNames' | 'x' | 'd'>): void {
  writeFileSync(file, formatSmileCsv(table));
}
