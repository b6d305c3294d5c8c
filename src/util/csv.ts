/** CSV writing, one home for it (tables of the experiment runner, inline data of figures). */

/** RFC 4180 CSV: header from the first row's keys, quoted where needed, numbers as JavaScript prints them. */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown): string => {
    const s = v === undefined || v === null ? '' : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
