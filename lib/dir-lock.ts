// One process per folder (PGlite's data, an ingest spool): a lock file holding the owner's pid,
// made whole before it appears (written aside, then hard-linked into place, which fails if one is
// there), so a second process never reads it half written. A lock left by a process that died
// (kill -9, power loss) is taken over. Two processes taking over the same stale lock at the same
// instant is not guarded against.
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DirInUseError extends Error {
  override name = 'DirInUseError';
}

/** Locks `dir` for this process; `what` names it in the error. Returns the unlock. */
export function lockDir(dir: string, what: string, file = 'ontap.lock'): () => void {
  const lock = join(dir, file);
  const aside = join(dir, `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`);
  writeFileSync(aside, String(process.pid));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(aside, lock);
        return () => rmSync(lock, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
      // This process's own lock (a folder reopened after a close that never came) is its own.
      if (pid === process.pid) return () => rmSync(lock, { force: true });
      if (Number.isInteger(pid) && isAlive(pid))
        throw new DirInUseError(`${what} ${dir} is in use by another OnTap (process ${pid})`);
      rmSync(lock, { force: true });
    }
    throw new DirInUseError(`could not lock ${what} ${dir}`);
  } finally {
    rmSync(aside, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
