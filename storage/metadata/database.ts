// One small interface over PostgreSQL (pg) and PGlite, so one SQL dialect and one migration runner
// serve production and the embedded default.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** What a repository needs: queries, on the pool or inside a transaction. */
export type Queryable = Pick<Database, 'query'>;

/** What a transaction may do: queries and scripts on its one connection. */
export type Transaction = Pick<Database, 'query' | 'exec'>;

/** What a listener hears after its lost connection is made again: anything may have changed. */
export const LISTEN_RESUMED = '';

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** Parameters go as $1, $2…: values are never pasted into SQL. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Calls `onMessage` for each NOTIFY on `channel`; resolves to a function that stops listening. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #listeners = new Set<() => Promise<void>>();
  readonly #url: string;

  constructor(url: string) {
    this.#url = url;
    this.#pool = new pg.Pool({ connectionString: url, max: 8 });
    // An idle client that loses its connection must not crash the process.
    this.#pool.on('error', () => {});
  }

  async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    const result = await this.#pool.query(sql, params);
    return result.rows as Row[];
  }

  async exec(sql: string): Promise<void> {
    await this.#pool.query(sql);
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({
        query: async <Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as Row[],
        // Without parameters pg uses the simple protocol, which runs several statements.
        exec: async (sql: string) => {
          await client.query(sql);
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    // LISTEN needs one session for as long as it listens: its own client, outside the pool. When
    // that connection is lost (a database restart), it is made again every second, and the
    // listener hears an empty payload: notifications may have been missed meanwhile.
    let stopped = false;
    let client: pg.Client | undefined;
    const connect = async (): Promise<pg.Client> => {
      const next = new pg.Client({ connectionString: this.#url });
      next.on('error', () => {});
      next.on('notification', (message) => {
        if (message.channel === channel) onMessage(message.payload ?? '');
      });
      next.once('end', () => {
        if (!stopped) reconnect();
      });
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return next;
    };
    const reconnect = () => {
      setTimeout(async () => {
        if (stopped) return;
        try {
          client = await connect();
          onMessage(LISTEN_RESUMED);
        } catch {
          reconnect();
        }
      }, 1000).unref();
    };
    client = await connect();
    const stop = async () => {
      stopped = true;
      this.#listeners.delete(stop);
      await client?.end().catch(() => {});
    };
    this.#listeners.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#listeners].map((stop) => stop()));
    await this.#pool.end();
  }
}

export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly #db: PGlite;

  constructor(db: PGlite) {
    this.#db = db;
  }

  async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    const result = await this.#db.query<Row>(sql, params);
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.#db.exec(sql);
  }

  // PGlite has one connection: its transaction holds every other query until it ends.
  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) =>
      work({
        query: async <Row>(sql: string, params: unknown[] = []) => (await tx.query<Row>(sql, params)).rows,
        exec: async (sql: string) => {
          await tx.exec(sql);
        },
      }),
    );
  }

  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    return this.#db.listen(channel, onMessage);
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}

/**
 * `postgres://…` opens a pool; `pglite:<dir>` or `pglite:memory` opens an embedded database. A
 * new PGlite folder starts from `template` when given (a dumped, migrated database: see
 * pglite-template.ts), which skips PGlite's slow initdb.
 */
export async function openDatabase(url: string, { template }: { template?: Blob | undefined } = {}): Promise<Database> {
  if (url.startsWith('pglite:')) {
    const where = url.slice('pglite:'.length);
    const inMemory = where === 'memory' || where === '';
    // Loaded only when used: a process on PostgreSQL does not carry PGlite's WebAssembly.
    const { PGlite } = await import('@electric-sql/pglite');
    const fresh = !inMemory && !existsSync(join(where, 'PG_VERSION'));
    const db = await PGlite.create(inMemory ? undefined : where, fresh && template ? { loadDataDir: template } : {});
    return new PgliteDatabase(db);
  }
  if (/^postgres(ql)?:\/\//.test(url)) return new PostgresDatabase(url);
  throw new Error(`not a database URL: ${url} (postgres://… or pglite:<dir>)`);
}

/** A folder of `NNN_name.sql` files applied in name order, recorded under the set's name. */
export interface MigrationSet {
  name: string;
  dir: string;
}

/** Accounts, neighbourhoods, challenges and the rest of the metadata. */
export const metadataMigrations: MigrationSet = {
  name: 'metadata',
  dir: join(dirname(fileURLToPath(import.meta.url)), 'migrations'),
};

/** Any number for PostgreSQL's advisory lock, the same in every OnTap process. */
const MIGRATION_LOCK = 0x6f6e746170;

/** A migration's row in schema_migrations: metadata ones keep their bare file name, as always. */
const recordName = (set: MigrationSet, file: string) => (set.name === metadataMigrations.name ? file : `${set.name}/${file}`);

/**
 * Applies the set's migrations not yet applied, in file-name order, all in one transaction. On
 * PostgreSQL an advisory lock makes a second process (ingest and API starting together) wait and
 * then find them applied, instead of running them twice.
 */
export async function migrate(db: Database, set: MigrationSet = metadataMigrations): Promise<string[]> {
  const files = (await readdir(set.dir)).filter((file) => file.endsWith('.sql')).sort();
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((row) => row.name));
    const applied: string[] = [];
    for (const file of files) {
      const name = recordName(set, file);
      if (done.has(name)) continue;
      await tx.exec(await readFile(join(set.dir, file), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      applied.push(name);
    }
    return applied;
  });
}
