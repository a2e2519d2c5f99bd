/** What the lock needs from the runtime: the PGlite driver passes in `node:fs` and `node:process` calls. */
export interface LockHost {
  readonly pid: number;
  /** Creates the directory and its parents. */
  makeDir(dir: string): void;
  /** Creates the file holding `text` in one step; false when it exists already. */
  createExclusive(path: string, text: string): boolean;
  /** The file's text, `undefined` when it is gone. */
  read(path: string): string | undefined;
  remove(path: string): void;
  /** Whether a process with this id is running (when unsure: true). */
  isAlive(pid: number): boolean;
  /** Runs `fn` (synchronous work only) when the process exits. */
  onExit(fn: () => void): void;
}

/** The file, inside the data directory, that says which process has it open. */
export const LOCK_FILE = 'fetch-batteries.lock';

// the locks this process holds, by lock file path, released at exit; one exit hook however many are taken
const held = new Map<string, () => void>();
let exitHooked = false;

/**
 * Takes the data directory for this process, or throws naming the directory and the process that
 * has it: two PGlite instances on one directory each keep their own copy of the database in memory
 * and overwrite each other's files, so committed rows are lost. A lock whose process is gone
 * (killed, crashed) is taken over. Returns the release function.
 */
export function lockDataDir(host: LockHost, dir: string): () => void {
  const path = `${dir.replace(/[\\/]+$/, '')}/${LOCK_FILE}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (host.createExclusive(path, String(host.pid))) return hold(host, path);
    const owner = Number.parseInt(host.read(path) ?? '', 10);
    // our own pid without our own lock: a lock left by an earlier process that had the same pid
    // (a container restarted after a hard kill starts its server as the same pid), so stale
    const ours = owner === host.pid;
    if (Number.isSafeInteger(owner) && owner > 0 && (ours ? held.has(path) : host.isAlive(owner))) {
      const who = ours ? `this process (${owner})` : `process ${owner}`;
      throw new Error(`PGlite data directory ${dir} is in use by ${who}: one process per PGlite directory (lock file ${path})`);
    }
    host.remove(path);
  }
  throw new Error(`PGlite data directory ${dir}: could not take the lock file ${path}`);
}

function hold(host: LockHost, path: string): () => void {
  const release = () => {
    if (held.get(path) !== release) return;
    held.delete(path);
    // only our own: a lock another process took over after ours was judged stale stays
    if (host.read(path)?.trim() === String(host.pid)) host.remove(path);
  };
  held.set(path, release);
  if (!exitHooked) {
    exitHooked = true;
    host.onExit(() => {
      for (const fn of [...held.values()]) fn();
    });
  }
  return release;
}
