/**
 * Where datasets are found. Order: an explicit directory (CLI `--data-dir`), env `ADAN_DATA_DIR`,
 * then `./data` and `../shared/data` relative to the project root (where CI and developer
 * machines keep the real corpora). The corpora themselves never live in this repository.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project's root folder (where package.json is), whether run from src via a build or not. */
export const projectRoot: string = (() => {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
})();

/** Candidate data directories, most specific first. */
export function dataDirCandidates(explicit?: string): string[] {
  const out: string[] = [];
  if (explicit) out.push(path.resolve(explicit));
  if (process.env.ADAN_DATA_DIR) out.push(path.resolve(process.env.ADAN_DATA_DIR));
  out.push(path.join(projectRoot, 'data'));
  out.push(path.resolve(projectRoot, '..', 'shared', 'data'));
  return [...new Set(out)];
}

/**
 * The first candidate directory that holds `entry` (a dataset folder name such as `emodb-is11`),
 * or undefined. With an explicit directory only that one is searched.
 */
export function findDataEntry(entry: string, explicit?: string): string | undefined {
  const dirs = explicit ? [path.resolve(explicit)] : dataDirCandidates();
  for (const dir of dirs) {
    const p = path.join(dir, entry);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** The message every "no data here" path prints. */
export function whereToGetData(entry: string): string {
  return `dataset folder '${entry}' not found in ${dataDirCandidates().join(', ')}; ` +
    `set ADAN_DATA_DIR or pass --data-dir, and see data/README.md for how to get the corpora (--data synthetic runs on a seeded stand-in meanwhile)`;
}
