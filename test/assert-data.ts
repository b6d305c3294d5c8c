/** Helpers shared by the data-layer tests. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError } from '../src/util/errors';

/** `fn` throws a DataError whose message names `file` and matches `pattern`. */
export function throwsData(fn: () => unknown, file: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${e}`);
    assert.ok(e.message.includes(file), `message should name ${file}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** A fresh temporary folder and a function that writes a file into it (creating sub-folders). */
export function tempWriter(prefix: string): { dir: string; write: (rel: string, content: string | Uint8Array) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    write(rel, content) {
      const p = path.join(dir, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
      return p;
    },
  };
}
