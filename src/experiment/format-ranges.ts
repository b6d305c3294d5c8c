/** Lists of fold numbers as short text, for messages and captions. */

/** `[1, 2, 3, 5, 7, 8]` as `1–3, 5, 7–8`. */
export function formatRanges(values: readonly number[]): string {
  const v = [...new Set(values)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < v.length; ) {
    let j = i;
    while (j + 1 < v.length && v[j + 1] === v[j] + 1) j++;
    parts.push(j === i ? `${v[i]}` : `${v[i]}–${v[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
