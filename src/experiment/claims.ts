/**
 * Claims on a store's unit groups, so that any number of processes (workers of one `--jobs N`
 * run, separate commands, or machines on a shared filesystem) split a grid without computing a
 * group twice. A claim is a file `claims/<group>.json` created with O_EXCL (exactly one creator
 * wins, locally and on NFS v3+); its owner refreshes its time while working and removes it when
 * done. A claim whose owner is gone — a dead process on this host, or no refresh for
 * `staleSeconds` from any host — is taken over: renamed away (one renamer wins) and created anew.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** What a claim file holds. */
export interface ClaimInfo {
  host: string;
  pid: number;
  /** Random per owner: only the owner removes or refreshes its claim. */
  token: string;
  /** ISO time the claim was made. */
  since: string;
}

export interface ClaimOptions {
  /** Seconds without a refresh after which another host's claim is taken over. Default 600. */
  staleSeconds?: number;
  /** Milliseconds since the epoch (tests pass a fake clock). Default `Date.now`. */
  now?: () => number;
}

export class Claims {
  readonly dir: string;
  private readonly staleMs: number;
  private readonly now: () => number;
  private readonly token = randomBytes(8).toString('hex');
  private readonly held = new Set<string>();

  constructor(storeDir: string, options: ClaimOptions = {}) {
    this.dir = path.join(storeDir, 'claims');
    this.staleMs = 1000 * (options.staleSeconds ?? 600);
    this.now = options.now ?? Date.now;
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  /** Claim `key`; true when this process now holds it (also when it already did). */
  tryClaim(key: string): boolean {
    if (this.held.has(key)) return true;
    fs.mkdirSync(this.dir, { recursive: true });
    if (this.create(key)) return true;
    const holder = this.read(key);
    if (holder === 'absent') return this.create(key); // released between our two looks
    if (holder !== 'unreadable' && !this.isGone(key, holder)) return false;
    if (holder === 'unreadable' && this.now() - this.mtime(key) < this.staleMs) return false; // being written
    // take over: only one process renames the stale file away; it then creates its own
    const away = `${this.file(key)}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      fs.renameSync(this.file(key), away);
    } catch {
      return false;
    }
    fs.rmSync(away, { force: true });
    return this.create(key);
  }

  /** Who holds `key` (undefined when nobody, or when its holder is gone). */
  holder(key: string): ClaimInfo | undefined {
    const h = this.read(key);
    return typeof h === 'object' && !this.isGone(key, h) ? h : undefined;
  }

  /** Mark a held claim as alive (cheap: one utimes). */
  refresh(key: string): void {
    if (!this.held.has(key)) return;
    const t = new Date(this.now());
    try {
      fs.utimesSync(this.file(key), t, t);
    } catch {
      // taken over after all (we were paused past staleSeconds): the unit files stay the truth
    }
  }

  /** Give up a held claim. */
  release(key: string): void {
    if (!this.held.delete(key)) return;
    const h = this.read(key);
    if (typeof h === 'object' && h.token === this.token) fs.rmSync(this.file(key), { force: true });
  }

  /** Give up every claim this object holds (on exit or abort). */
  releaseAll(): void {
    for (const key of [...this.held]) this.release(key);
  }

  private create(key: string): boolean {
    const info: ClaimInfo = { host: os.hostname(), pid: process.pid, token: this.token, since: new Date(this.now()).toISOString() };
    let fd: number;
    try {
      fd = fs.openSync(this.file(key), 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    try {
      fs.writeSync(fd, JSON.stringify(info) + '\n');
    } finally {
      fs.closeSync(fd);
    }
    this.held.add(key);
    return true;
  }

  private read(key: string): ClaimInfo | 'absent' | 'unreadable' {
    try {
      const info = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as ClaimInfo;
      return info && typeof info.pid === 'number' && typeof info.host === 'string' ? info : 'unreadable';
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable';
    }
  }

  private mtime(key: string): number {
    try {
      return fs.statSync(this.file(key)).mtimeMs;
    } catch {
      return 0;
    }
  }

  /** A claim whose owner cannot finish it: a dead process on this host, or silent for too long. */
  private isGone(key: string, h: ClaimInfo): boolean {
    if (h.token === this.token) return false;
    if (h.host === os.hostname() && !processAlive(h.pid)) return true;
    return this.now() - this.mtime(key) >= this.staleMs;
  }
}

/** Is process `pid` running on this host? */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
