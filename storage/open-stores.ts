// Opens the metadata database and the readings store the configuration names: PostgreSQL and
// InfluxDB in production, PGlite under ONTAP_DATA_DIR when they are not set.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/config.ts';
import { DirInUseError, lockDir } from '../lib/dir-lock.ts';
import { type Database, migrate, openDatabase } from './metadata/database.ts';
import { readPgliteTemplate } from './metadata/pglite-template.ts';
import { InfluxReadingStore } from './readings/influx/influx-reading-store.ts';
import type { ReadingStore } from './readings/reading-store.ts';
import { SqlReadingStore } from './readings/sql/sql-reading-store.ts';

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
  const dataDir = resolve(config.ONTAP_DATA_DIR);
  let unlock: () => void;
  try {
    unlock = lockDir(dataDir, 'ONTAP_DATA_DIR');
  } catch (error) {
    if (!(error instanceof DirInUseError)) throw error;
    throw new DirInUseError(`${error.message}: stop it, or give this one its own ONTAP_DATA_DIR`);
  }
  try {
    const db = await openDatabase(`pglite:${dir}`, { template: readPgliteTemplate() });
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
