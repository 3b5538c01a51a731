// Opens the metadata database and the readings store the configuration names: PostgreSQL and
// InfluxDB in production, PGlite under ONTAP_DATA_DIR when they are not set.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Database, migrate, openDatabase } from '../api/db/database.ts';
import type { Config } from '../config/config.ts';
import { InfluxReadingStore } from './store/influx/influx-reading-store.ts';
import type { ReadingStore } from './store/reading-store.ts';
import { SqlReadingStore } from './store/sql/sql-reading-store.ts';

export async function openMetadata(config: Config): Promise<Database> {
  const url = config.ONTAP_DATABASE_URL;
  if (url) {
    const db = await openDatabase(url);
    await migrate(db);
    return db;
  }
  const dir = resolve(config.ONTAP_DATA_DIR, 'pglite');
  mkdirSync(dir, { recursive: true });
  // PGlite is one process's database: a second OnTap on the same folder would corrupt it.
  const unlock = lockDataDir(resolve(config.ONTAP_DATA_DIR));
  try {
    const db = await openDatabase(`pglite:${dir}`);
    await migrate(db);
    const close = db.close.bind(db);
    return Object.assign(db, {
      async close() {
        await close();
        unlock();
      },
    });
  } catch (error) {
    unlock();
    throw error;
  }
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/**
 * Takes ONTAP_DATA_DIR for this process (a lock file holding its pid), or says which process has
 * it. A lock left by a process that died (kill -9, power loss) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'ontap.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid))
        throw new DataDirInUseError(
          `ONTAP_DATA_DIR ${dataDir} is in use by another OnTap (process ${pid}): stop it, or give this one its own ONTAP_DATA_DIR`,
        );
      rmSync(file, { force: true });
    }
  }
  throw new DataDirInUseError(`could not lock ONTAP_DATA_DIR ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function openReadingStore(config: Config, metadata: Database): Promise<ReadingStore> {
  if (config.ONTAP_INFLUX_URL) {
    const store = new InfluxReadingStore({
      url: config.ONTAP_INFLUX_URL,
      database: config.ONTAP_INFLUX_DB,
      token: config.ONTAP_INFLUX_TOKEN,
    });
    await store.ensureDatabase();
    return store;
  }
  return SqlReadingStore.open(metadata);
}

export const spoolDirOf = (config: Config) => join(resolve(config.ONTAP_DATA_DIR), 'spool', config.ONTAP_INGEST_ID);
