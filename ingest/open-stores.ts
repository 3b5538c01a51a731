// Opens the metadata database and the readings store the configuration names: PostgreSQL and
// InfluxDB in production, PGlite under ONTAP_DATA_DIR when they are not set.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Database, migrate, openDatabase } from '../api/db/database.ts';
import type { Config } from '../config/config.ts';
import { InfluxReadingStore } from './store/influx/influx-reading-store.ts';
import type { ReadingStore } from './store/reading-store.ts';
import { SqlReadingStore } from './store/sql/sql-reading-store.ts';

export async function openMetadata(config: Config): Promise<Database> {
  let url = config.ONTAP_DATABASE_URL;
  if (!url) {
    const dir = resolve(config.ONTAP_DATA_DIR, 'pglite');
    mkdirSync(dir, { recursive: true });
    url = `pglite:${dir}`;
  }
  const db = await openDatabase(url);
  await migrate(db);
  return db;
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
