/** Numeric comparison helpers shared by the tests. */
import assert from 'node:assert/strict';

/** max |x - ref| / max |ref| (a tiny floor for an all-zero reference): the norm-wise relative error. */
export function maxRelErr(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  assert.equal(x.length, ref.length);
  let num = 0;
  let den = 1e-12;
  for (let i = 0; i < x.length; i++) {
    num = Math.max(num, Math.abs(x[i] - ref[i]));
    den = Math.max(den, Math.abs(ref[i]));
  }
  return num / den;
}
