import { Point } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import { freshInfluxDatabase } from '../../../testing/databases.ts';
import { describeReadingStoreContract } from '../reading-store.contract.ts';
import { InfluxReadingStore, readingLine } from './influx-reading-store.ts';

describeReadingStoreContract('InfluxDB', async () => {
  const { url, database, drop } = await freshInfluxDatabase();
  return { store: new InfluxReadingStore({ url, database }), cleanup: drop };
});

describe('InfluxReadingStore writes', () => {
  it('refuses a bad point alone and writes the rest of its batch', async () => {
    const { url, database, drop } = await freshInfluxDatabase();
    const store = new InfluxReadingStore({ url, database });
    try {
      // A string field "register" in the 1970 shard makes float writes to that shard conflict;
      // the good points fall a month later, in another shard.
      await store.http.write(['reading,meter=bad,kind=water,household=h,street=s,neighbourhood=n register="x" 1000'], 'ms');
      const placement = { kind: 'water' as const, household: 'h', street: 's', neighbourhood: 'n' };
      const good = Array.from({ length: 9 }, (_, i) => ({
        ...placement,
        meterId: `good${i}`,
        ts: 30 * 86_400_000 + i,
        register: i,
      }));
      const bad = { ...placement, meterId: 'bad', ts: 1500, register: 1 };
      const rejected = await store.writeReadings([...good.slice(0, 4), bad, ...good.slice(4)]);
      expect(rejected.map((r) => r.reading)).toStrictEqual([bad]);
      expect(rejected[0]?.reason).toMatch(/field type conflict/);
      const last = await store.lastReadings();
      expect(good.every((g) => last.get(g.meterId)?.register === g.register)).toBe(true);
    } finally {
      await drop();
    }
  });
});

describe('readingLine', () => {
  it("writes exactly what the client library's Point writes, escaping included", () => {
    const reading = {
      meterId: 'm 1,x=y',
      kind: 'water' as const,
      household: 'h\\1',
      street: 'Elm Street, "north"',
      neighbourhood: 'n=1',
      ts: 1_780_000_000_123,
    };
    for (const fields of [{ register: 1234.5 }, { delta: 0.25 }, { register: 1e21 }]) {
      const point = new Point('reading')
        .tag('meter', reading.meterId)
        .tag('kind', reading.kind)
        .tag('household', reading.household)
        .tag('street', reading.street)
        .tag('neighbourhood', reading.neighbourhood)
        .timestamp(reading.ts);
      for (const [name, value] of Object.entries(fields)) point.floatField(name, value);
      expect(readingLine({ ...reading, ...fields })).toBe(point.toLineProtocol());
    }
  });
});
