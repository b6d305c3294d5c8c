/** Shared by tests that need the real corpora: they skip with a clear message when absent. */
import { findDataEntry, whereToGetData } from '../src/data/locate';

/** Path of a real dataset folder, or a skip message for `test(name, { skip })`. */
export function realData(entry: string): { path: string; skip: false } | { path: ''; skip: string } {
  const p = findDataEntry(entry);
  return p ? { path: p, skip: false } : { path: '', skip: `real data absent: ${whereToGetData(entry)}` };
}
