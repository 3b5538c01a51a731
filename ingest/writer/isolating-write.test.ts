import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../storage/metadata/database.ts';
import { InfluxHttpError } from '../../storage/readings/influx/influx-http.ts';
import type { StoredReading } from '../../storage/readings/reading-store.ts';
import { SqlReadingStore } from '../../storage/readings/sql/sql-reading-store.ts';
import { refuseRegistersFrom } from '../../storage/readings/testing/sql-readings-table.ts';
import { freshPostgresDatabase } from '../../testing/databases.ts';
import { classifyStoreFailure, type IsolatingWrite, writeIsolating } from './isolating-write.ts';

const errorWithCode = (code: string, message = code) => Object.assign(new Error(message), { code });

/** A store in a test's hands: which items it refuses, when it is away, what it was sent. */
function scriptedStore(options: { refuses?: (item: number) => Error | undefined; awayFor?: number; probeAnswers?: boolean }) {
  const written: number[] = [];
  const refused: number[] = [];
  let calls = 0;
  let waits = 0;
  const io: IsolatingWrite<number> = {
    async write(items) {
      calls++;
      if (calls <= (options.awayFor ?? 0)) throw errorWithCode('ECONNREFUSED');
      for (const item of items) {
        const error = options.refuses?.(item);
        if (error) throw error;
      }
      written.push(...items);
    },
    async probe() {
      if (calls <= (options.awayFor ?? 0) || options.probeAnswers === false) throw errorWithCode('ECONNREFUSED');
    },
    refused: (item) => refused.push(item),
    failed: () => {},
    async wait() {
      if (++waits > 20) throw new Error('gave up waiting (the test’s stop)');
    },
  };
  return { io, written, refused, waits: () => waits };
}

const items = Array.from({ length: 10 }, (_, i) => i);

describe('writeIsolating', () => {
  it('sets aside the items a store refuses with a data error, at once, and writes the rest', async () => {
    const store = scriptedStore({ refuses: (item) => (item === 3 || item === 7 ? errorWithCode('22P02') : undefined) });
    await writeIsolating(items, store.io);
    expect(store.written.sort((a, b) => a - b)).toStrictEqual([0, 1, 2, 4, 5, 6, 8, 9]);
    expect(store.refused).toStrictEqual([3, 7]);
    expect(store.waits()).toBe(0);
  });

  it('waits out an outage and refuses nothing', async () => {
    const store = scriptedStore({ awayFor: 8 });
    await writeIsolating(items, store.io);
    expect(store.written).toStrictEqual(items);
    expect(store.refused).toStrictEqual([]);
    expect(store.waits()).toBe(8);
  });

  it('finds an item refused with an error that says nothing, once the store answers and takes its neighbours', async () => {
    const store = scriptedStore({ refuses: (item) => (item === 5 ? new Error('something odd') : undefined) });
    await writeIsolating(items, store.io);
    expect(store.refused).toStrictEqual([5]);
    expect(store.written.sort((a, b) => a - b)).toStrictEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
  });

  it('never refuses anything while the store takes nothing, even when it answers a ping (disk full)', async () => {
    const store = scriptedStore({ refuses: () => errorWithCode('53100', 'could not extend file: No space left on device') });
    await expect(writeIsolating(items, store.io)).rejects.toThrow(/gave up waiting/);
    expect(store.refused).toStrictEqual([]);
    expect(store.written).toStrictEqual([]);
  });

  it('refuses nothing good when the store goes away in the middle of a search, and finds the bad item once it is back', async () => {
    // A search started for one bad item (a data error) went on after the store went
    // away, and the good items that failed alone meanwhile were set aside as refused.
    const stored: number[] = [];
    const refused: number[] = [];
    let writes = 0;
    let awayFrom = -1;
    await writeIsolating([1, 2, 3, 4, 5, 6, 7, 8], {
      async write(batch) {
        writes++;
        if (awayFrom >= 0 && writes < awayFrom + 6) throw errorWithCode('ECONNREFUSED');
        if (batch.includes(8)) throw errorWithCode('22P02');
        stored.push(...batch);
        if (awayFrom < 0) awayFrom = writes; // away right after taking the first half
      },
      async probe() {},
      refused: (item) => refused.push(item),
      failed: () => {},
      wait: async () => {},
    });
    expect(refused).toStrictEqual([8]);
    expect([...new Set(stored)].sort((a, b) => a - b)).toStrictEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('does not set aside an item that failed alone when nothing was written after it (a connection lost without a code)', async () => {
    let lost = false;
    const refused: number[] = [];
    let waits = 0;
    await writeIsolating([1, 2], {
      async write(batch) {
        if (batch.includes(2) && !lost) throw new Error('odd');
        if (batch.includes(2)) throw new Error('Connection terminated unexpectedly');
        if (waits > 0) return;
        lost = true;
      },
      async probe() {},
      refused: (item) => refused.push(item),
      failed: () => {},
      async wait() {
        if (++waits > 3) throw new Error('stop');
      },
      attemptsBeforeSplit: 1,
    }).catch(() => {});
    expect(refused).toStrictEqual([]);
  });

  it('halves a batch the store times out on while it answers pings (too big or slow for it), and writes it all', async () => {
    const stored: number[] = [];
    let waits = 0;
    await writeIsolating(items, {
      async write(batch) {
        // Anything over 3 items takes longer than the request timeout.
        if (batch.length > 3) throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
        stored.push(...batch);
      },
      async probe() {},
      refused: () => {
        throw new Error('nothing is refused');
      },
      failed: () => {},
      async wait() {
        if (++waits > 10) throw new Error('retried for ever');
      },
    });
    expect(stored.sort((a, b) => a - b)).toStrictEqual(items);
  });

  it('does not search while the store does not answer', async () => {
    const store = scriptedStore({ refuses: () => new Error('odd'), probeAnswers: false });
    await expect(writeIsolating(items, store.io)).rejects.toThrow(/gave up waiting/);
    expect(store.refused).toStrictEqual([]);
  });
});

describe('classifyStoreFailure', () => {
  it.each([
    [errorWithCode('22P02'), 'refused'],
    [errorWithCode('23514'), 'refused'],
    [errorWithCode('08006'), 'transient'],
    [errorWithCode('57P01'), 'transient'],
    [errorWithCode('ECONNREFUSED'), 'transient'],
    [Object.assign(new TypeError('fetch failed'), { cause: errorWithCode('ECONNRESET') }), 'transient'],
    [new InfluxHttpError(400, 'partial write: field type conflict'), 'refused'],
    [new InfluxHttpError(404, 'database not found'), 'transient'],
    [new InfluxHttpError(503, 'overloaded'), 'transient'],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'transient'],
    [errorWithCode('42P01'), 'unknown'],
    [new Error('?'), 'unknown'],
  ] as const)('%s → %s', (error, kind) => {
    expect(classifyStoreFailure(error)).toBe(kind);
  });
});

describe('writeIsolating on PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('stores a batch but for the readings PostgreSQL refuses, which come back with its reason', async () => {
    const postgres = await freshPostgresDatabase();
    cleanups.push(postgres.drop);
    const db = await openDatabase(postgres.url);
    cleanups.push(() => db.close());
    const store = await SqlReadingStore.open(db);
    // A rule the pipeline knows nothing of: PostgreSQL refuses the whole statement for one row.
    await refuseRegistersFrom(db, 1000);
    const readings: StoredReading[] = Array.from({ length: 100 }, (_, i) => ({
      meterId: 'm1',
      kind: 'water',
      household: 'h1',
      street: 's1',
      neighbourhood: 'n1',
      ts: Date.UTC(2026, 0, 1) + i * 60_000,
      register: i === 17 || i === 80 ? 5000 + i : i,
    }));
    const refused: { reading: StoredReading; error: unknown }[] = [];
    await writeIsolating(readings, {
      write: async (batch) => void (await store.writeReadings(batch)),
      probe: () => store.ping(),
      refused: (reading, error) => refused.push({ reading, error }),
      failed: () => {},
      wait: async () => {
        throw new Error('no wait expected: a data error is acted on at once');
      },
    });
    expect(refused.map(({ reading }) => reading.register)).toStrictEqual([5017, 5080]);
    expect((refused[0]?.error as { code?: string } | undefined)?.code).toBe('23514');
    const [series] = await store.seriesAround({ household: 'h1' }, 'water', Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2));
    expect(series?.points).toHaveLength(98);
  });
});
