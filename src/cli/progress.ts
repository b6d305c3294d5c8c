/**
 * A one-line progress bar for long CLI work (training epochs, experiment units, feature
 * extraction). Draws on a TTY; elsewhere (CI logs, pipes, batch jobs) prints a plain line every
 * 10 % and at least once a minute while updates come (a 1,500-epoch fit inside one unit of a
 * day-long grid would otherwise leave the log silent for hours).
 */
import type { Progress, RunOptions } from '../experiment/runner';
export interface ProgressBar {
  /**
   * Set progress to `done` of the total, with an optional note (e.g. the current unit). The eta
   * is elapsed / done x left unless the caller knows better: `eta` in seconds, or null for none
   * yet (a resumed run's units found in the store took no time, so they say nothing of the pace).
   */
  update(done: number, note?: string, eta?: number | null): void;
  /** Finish the line. */
  done(note?: string): void;
}

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr, options: { heartbeatMs?: number; now?: () => number } = {}): ProgressBar {
  const now = options.now ?? Date.now;
  const heartbeatMs = options.heartbeatMs ?? 60_000;
  const start = now();
  const tty = Boolean(stream.isTTY);
  let lastPercent = -1;
  let lastWrite = start;
  const width = 28;
  const line = (done: number, note?: string, given?: number | null): string => {
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(frac * width);
    const elapsed = (now() - start) / 1000;
    const left = given === undefined ? (done > 0 ? (elapsed / done) * (total - done) : null) : given;
    const eta = left !== null && done < total ? ` eta ${formatSeconds(left)}` : '';
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    return `${label} [${bar}] ${done}/${total} ${formatSeconds(elapsed)}${eta}${note ? '  ' + note : ''}`;
  };
  return {
    update(done, note, eta) {
      if (tty) {
        const text = line(done, note, eta);
        const cols = stream.columns || 120;
        stream.write('\r' + text.slice(0, cols - 1).padEnd(Math.min(cols - 1, text.length)) + '\x1b[K');
      } else {
        const percent = total > 0 ? Math.floor((100 * done) / total / 10) * 10 : 100;
        if (percent !== lastPercent || now() - lastWrite >= heartbeatMs) {
          lastPercent = percent;
          lastWrite = now();
          stream.write(line(done, note, eta) + '\n');
        }
      }
    },
    done(note) {
      const text = line(total, note);
      stream.write(tty ? '\r' + text + '\x1b[K\n' : text + '\n');
    },
  };
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A progress bar on stderr that follows `onProgress`. */
export function progressReporter(label: string): { onProgress: (p: Progress) => void; onEpoch: NonNullable<RunOptions['onEpoch']>; note: (message: string) => void; finish: () => void } {
  let bar: ProgressBar | undefined;
  let done = 0;
  return {
    onEpoch(e) {
      if (e.record.epoch % 10 === 0) bar?.update(done, `fold ${e.fold} ${e.method}${e.repeat ? ` r${e.repeat}` : ''}: training epoch ${e.record.epoch}`, e.eta ?? null);
    },
    onProgress(p) {
      bar ??= progressBar(label, p.total);
      done = p.done;
      const u = p.unit;
      bar.update(p.done, u ? `fold ${u.fold} ${u.method} ${u.sets} sets r${u.repeat} ${u.classifier}: UAR ${(100 * u.uar).toFixed(1)}%` : p.done > 0 ? `${p.done} found in the store` : undefined, p.eta ?? null);
    },
    /** A message on the bar until the next unit's (what happened beside the units, e.g. a save). */
    note(message) {
      bar?.update(done, message, null);
    },
    finish() {
      bar?.done();
    },
  };
}

