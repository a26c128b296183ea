/**
 * One writer per output folder: `DIR/.lock` holds the writer's pid, host, process start time and
 * command. It is created atomically (link of a complete temp file, O_EXCL where links are not
 * supported), so a second process sees either no lock or a whole one.
 *
 * A lock whose process is gone (same host, pid not alive, or alive but started at another time:
 * the pid was reused) is stale and taken over, with a message. A lock from another host cannot be
 * checked and is refused; the message says which machine and process hold it.
 *
 * Locks are per process and counted: the CLI takes one before loading models, `RunDir.open` takes
 * one for library callers; the file goes when the last is released, or when the process exits.
 */
import { closeSync, existsSync, linkSync, openSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { GenbenchError } from './errors.ts';
import { ensureOutputDir } from './out-dir.ts';

export const LOCK_FILE = '.lock';

export interface LockInfo {
  pid: number;
  host: string;
  /** Linux: the process start time in clock ticks since boot (/proc/PID/stat field 22), to tell a reused pid. */
  procStart?: string;
  startedAt: string;
  command: string[];
}

export interface DirLock {
  readonly dir: string;
  readonly path: string;
  /**
   * Drop this hold; the last one removes the lock file. `removeDirIfUnused`: when taking the lock
   * created the folder and nothing but the lock was written into it, remove the folder too (a
   * refused or failed command leaves nothing behind).
   */
  release(o?: { removeDirIfUnused?: boolean }): void;
}

interface Held {
  path: string;
  count: number;
  /** This lock's acquisition created the folder (release can remove it again when nothing else was written). */
  createdDir: boolean;
}

const held = new Map<string, Held>();
let exitHookInstalled = false;

/** The start time of a process (Linux), or undefined where /proc is not there. */
function procStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19]; // field 22 overall (fields 3.. start at rest[0])
  } catch {
    return undefined;
  }
}

/** Whether the process a lock names is still running (only decidable on the same host). */
export function lockHolderAlive(info: LockInfo): boolean {
  try {
    process.kill(info.pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (info.procStart !== undefined) {
    const now = procStartTime(info.pid);
    if (now !== undefined && now !== info.procStart) return false;
  }
  return true;
}

function readLock(path: string): LockInfo | undefined | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return 'unreadable';
  }
  try {
    const j = JSON.parse(text) as LockInfo;
    if (typeof j.pid !== 'number' || typeof j.host !== 'string') return 'unreadable';
    return j;
  } catch {
    return 'unreadable';
  }
}

function describeHolder(info: LockInfo): string {
  // A lock file written by another genbench version (or by hand) may hold its command in another shape.
  const c: unknown = info.command;
  const command = Array.isArray(c) ? c.map(String).join(' ') : typeof c === 'string' ? c : '';
  return `pid ${info.pid} on ${info.host} since ${info.startedAt ?? 'an unknown time'}${command ? ` (genbench ${command})` : ''}`;
}

/** Create the lock file atomically with its content; false when it exists. */
function tryCreate(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    // No hard links here (some network or FAT file systems): O_EXCL create, then write.
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
    writeSync(fd, content);
    closeSync(fd);
    return true;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Take `dir`'s lock for this process (creating `dir`). `what` names the folder in messages
 * (e.g. "run directory"); `log` receives the stale-lock takeover note.
 */
export function acquireDirLock(dir: string, o: { what?: string; flag?: string; log?: (m: string) => void; command?: string[] } = {}): DirLock {
  const abs = resolve(dir);
  const what = o.what ?? 'output folder';
  const path = join(abs, LOCK_FILE);
  const mine = held.get(abs);
  if (mine) {
    mine.count++;
    return handle(abs, mine);
  }
  const existed = existsSync(abs);
  ensureOutputDir(abs, o.flag);
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    procStart: procStartTime(process.pid),
    startedAt: new Date().toISOString(),
    command: o.command ?? process.argv.slice(2),
  };
  const content = `${JSON.stringify(info)}\n`;
  for (let attempt = 0; attempt < 50; attempt++) {
    let created: boolean;
    try {
      created = tryCreate(path, content);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new GenbenchError('E_USAGE', `${o.flag ?? what} ${abs} is not writable (${code})`, 'choose a folder you can write to', { cause: e });
      }
      throw new GenbenchError('E_RUN', `cannot write the lock file ${path}: ${(e as Error).message}`, 'check the folder and its file system', { cause: e });
    }
    if (created) {
      const h: Held = { path, count: 1, createdDir: !existed };
      held.set(abs, h);
      installExitHook();
      return handle(abs, h);
    }
    const other = readLock(path);
    if (other === undefined) continue; // released between our try and the read
    if (other === 'unreadable') {
      // A lock being written by a process without hard links, or a damaged file: give a writer a moment.
      if (attempt < 10) {
        sleepMs(20);
        continue;
      }
      throw new GenbenchError('E_RUN', `${what} ${abs} has a lock file that cannot be read (${path})`, `if no genbench process is writing to ${abs}, delete ${path}`);
    }
    if (other.host === info.host && other.pid === process.pid && other.procStart === info.procStart) {
      // Our own lock from an earlier RunDir in this process that was released without removing it.
      const h: Held = { path, count: 1, createdDir: false };
      held.set(abs, h);
      return handle(abs, h);
    }
    if (other.host !== info.host) {
      throw new GenbenchError(
        'E_RUN',
        `${what} ${abs} is in use by ${describeHolder(other)}`,
        `wait for it to finish, or use another --out; if that process is gone, delete ${path}`,
      );
    }
    if (lockHolderAlive(other)) {
      throw new GenbenchError(
        'E_RUN',
        `${what} ${abs} is in use by another genbench process: ${describeHolder(other)}`,
        `wait for it to finish (or stop it), or use another --out`,
      );
    }
    // Stale: move it aside atomically; only one taker succeeds in renaming the file it read.
    const aside = `${path}.stale.${process.pid}`;
    try {
      renameSync(path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else took it over first
      throw e;
    }
    const moved = readLock(aside);
    if (moved !== undefined && moved !== 'unreadable' && (moved.pid !== other.pid || moved.startedAt !== other.startedAt)) {
      // Another process took the stale lock over between our read and our rename, and we moved
      // its fresh lock: put it back (unless a third one has created a lock since) and look again.
      try {
        linkSync(aside, path);
      } catch {
        /* a lock is there again; the next look decides */
      }
      unlinkQuiet(aside);
      continue;
    }
    unlinkQuiet(aside);
    (o.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(
      `note: taking over the lock of ${abs} left by ${describeHolder(other)}, which is no longer running`,
    );
  }
  throw new GenbenchError('E_RUN', `could not take the lock of ${what} ${abs}`, `another process keeps creating ${path}; run one genbench process per --out`);
}

function handle(dir: string, h: Held): DirLock {
  let released = false;
  return {
    dir,
    path: h.path,
    release(o = {}) {
      if (released) return;
      released = true;
      h.count--;
      if (h.count > 0) return;
      held.delete(dir);
      removeIfOurs(h.path);
      if (o.removeDirIfUnused && h.createdDir) {
        try {
          rmdirSync(dir); // only succeeds on an empty folder
        } catch {
          /* something was written: keep it */
        }
      }
    },
  };
}

function removeIfOurs(path: string): void {
  const info = readLock(path);
  if (info && info !== 'unreadable' && info.pid === process.pid && info.host === hostname()) {
    try {
      unlinkSync(path);
    } catch {
      /* gone */
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const h of held.values()) removeIfOurs(h.path);
    held.clear();
  });
}

/** Whether `dir` holds a lock file (for callers that require an empty folder). */
export function hasLockFile(dir: string): boolean {
  try {
    statSync(join(resolve(dir), LOCK_FILE));
    return true;
  } catch {
    return false;
  }
}
