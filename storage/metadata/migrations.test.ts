// The migration runner on both databases: all-or-nothing, safe when two processes start together,
// and the readings tables under it as well as the metadata.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../testing/databases.ts';
import { readingsMigrations, SqlReadingStore } from '../readings/sql/sql-reading-store.ts';
import { type Database, metadataMigrations, migrate, openDatabase } from './database.ts';

const kinds = ['pglite', 'postgres'] as const;

async function open(kind: (typeof kinds)[number]): Promise<{ db: Database; url: string; close: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDatabase('pglite:memory');
    return { db, url: 'pglite:memory', close: () => db.close() };
  }
  const postgres = await freshPostgresDatabase();
  const db = await openDatabase(postgres.url);
  return {
    db,
    url: postgres.url,
    close: async () => {
      await db.close();
      await postgres.drop();
    },
  };
}

const recorded = async (db: Database) =>
  (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((row) => row.name);

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ontap-migrations-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.each(kinds)('migrations on %s', (kind) => {
  it('apply every metadata and readings migration once, and nothing the second time', async () => {
    const { db, close } = await open(kind);
    try {
      const metadataFiles = (await readdir(metadataMigrations.dir)).filter((file) => file.endsWith('.sql')).sort();
      expect(await migrate(db)).toStrictEqual(metadataFiles);
      expect(await migrate(db)).toStrictEqual([]);
      await SqlReadingStore.open(db);
      const readingFiles = (await readdir(readingsMigrations.dir)).filter((file) => file.endsWith('.sql')).sort();
      expect(await recorded(db)).toStrictEqual([...metadataFiles, ...readingFiles.map((file) => `readings/${file}`)].sort());
      expect(await migrate(db, readingsMigrations)).toStrictEqual([]);
    } finally {
      await close();
    }
  });

  it('leave nothing behind when one of them fails half-way', async () => {
    const dir = await mkdtemp(join(scratch, `${kind}-`));
    await writeFile(join(dir, '001_first.sql'), 'CREATE TABLE first_table (id int PRIMARY KEY);');
    await writeFile(join(dir, '002_broken.sql'), 'CREATE TABLE second_table (id int PRIMARY KEY);\nSELECT no_such_function();');
    const { db, close } = await open(kind);
    try {
      await expect(migrate(db, { name: 'broken', dir })).rejects.toThrow(/no_such_function/);
      const tables = await db.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('first_table', 'second_table', 'schema_migrations')",
      );
      expect(tables).toStrictEqual([]);
    } finally {
      await close();
    }
  });

  it('take over a readings store made before readings had migrations', async () => {
    const { db, close } = await open(kind);
    try {
      // The tables as the store made them itself, with the dead letters' old two-column key.
      await db.exec(`CREATE TABLE readings (meter_id text NOT NULL, ts bigint NOT NULL, register double precision,
          delta double precision, kind text NOT NULL, household_id text NOT NULL, street_id text NOT NULL,
          neighbourhood_id text NOT NULL, PRIMARY KEY (meter_id, ts));
        INSERT INTO readings VALUES ('m1', 1000, 5, NULL, 'water', 'h1', 's1', 'n1');
        CREATE TABLE dead_letters (received_at bigint NOT NULL, sequence integer NOT NULL, topic text NOT NULL,
          reason text NOT NULL, detail text NOT NULL, payload text NOT NULL, PRIMARY KEY (received_at, sequence));`);
      await SqlReadingStore.open(db);
      expect(await recorded(db)).toContain('readings/001_readings.sql');
      expect(await db.query('SELECT meter_id, register FROM readings')).toStrictEqual([{ meter_id: 'm1', register: 5 }]);
      const key = await db.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.key_column_usage WHERE constraint_name = 'dead_letters_pkey' ORDER BY column_name",
      );
      expect(key.map((row) => row.column_name)).toStrictEqual(['reason', 'received_at', 'sequence']);
    } finally {
      await close();
    }
  });
});

describe('migrations on PostgreSQL from two processes at once', () => {
  it('run once: the second waits for the first and then finds them applied', { timeout: 60_000 }, async () => {
    const { url, db, close } = await open('postgres');
    const other = await openDatabase(url);
    try {
      const [first, second] = await Promise.all([migrate(db), migrate(other)]);
      const metadataFiles = (await readdir(metadataMigrations.dir)).filter((file) => file.endsWith('.sql')).sort();
      expect([...first, ...second].sort()).toStrictEqual(metadataFiles);
      expect(await recorded(db)).toStrictEqual(metadataFiles);
    } finally {
      await other.close();
      await close();
    }
  });
});
