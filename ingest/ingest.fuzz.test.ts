// Property-based fuzzing of ingest: arbitrary payloads — valid readings, readings with a
// field swapped for anything, other kinds, batches of all of these, any JSON, any bytes — go
// through ingest's real intake, spool, drainer and store, on both stores. Whatever comes:
//   - ingest never stops and never fails on its own account (no PROCESSING_FAILED);
//   - every reading the device contract accepts for the meter's kind is stored, and nothing else;
//   - every message the contract refuses, wholly or in part, is dead-lettered once per reason,
//     with exactly the reasons the contract (and the meter's kind) give.
// Each message goes to a meter of its own, so its readings and dead letters are found by meter.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ContractError, meterTopic, parseReadingMessage, parseStatusMessage } from '../devices/contract/index.ts';
import { currentValue } from '../lib/metrics.ts';
import { type Database, migrate, openDatabase } from '../storage/metadata/database.ts';
import { insertHousehold } from '../storage/metadata/repositories/households.ts';
import { insertMeters } from '../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood, insertStreets } from '../storage/metadata/repositories/neighbourhoods.ts';
import { InfluxReadingStore } from '../storage/readings/influx/influx-reading-store.ts';
import type { ReadingStore } from '../storage/readings/reading-store.ts';
import { SqlReadingStore } from '../storage/readings/sql/sql-reading-store.ts';
import { freshInfluxDatabase } from '../testing/databases.ts';
import { type IngestService, startIngest } from './ingest-service.ts';
import { MeterDirectory } from './pipeline/meter-directory.ts';

const METERS = 1500;
const RUNS = 25;
const now = Date.now();
const DAY = 86_400_000;

const anyValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(1e300, -1, 1.5, 2 ** 53 + 1, 1e10 + 1, '', 'yesterday', null, true, '2026-13-45T25:61:00Z', now * 1e6),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const validReading = fc.record({
  // Well inside the contract's window, so the drainer's clock and this test's agree.
  ts: fc.integer({ min: now - 20 * DAY, max: now - 3_600_000 }),
  kind: fc.constant('water'),
  register: fc.double({ min: 0, max: 1e9, noNaN: true }),
  unit: fc.constantFrom('L', 'm3'),
});
const otherKind = fc.record({
  ts: fc.integer({ min: now - 20 * DAY, max: now - 3_600_000 }),
  kind: fc.constantFrom('electricity', 'gas'),
  register: fc.double({ min: 0, max: 1e9, noNaN: true }),
  unit: fc.constant('kWh'),
});
const mutated = fc
  .tuple(validReading, fc.constantFrom('ts', 'kind', 'register', 'unit', 'delta', 'seq'), fc.option(anyValue, { nil: undefined }))
  .map(([reading, field, value]) => {
    const copy: Record<string, unknown> = { ...reading };
    if (value === undefined) delete copy[field];
    else copy[field] = value;
    return copy;
  });
const aReading = fc.oneof({ arbitrary: validReading, weight: 3 }, { arbitrary: mutated, weight: 3 }, otherKind, anyValue);
const payload = fc.oneof(
  { arbitrary: aReading.map((r) => JSON.stringify(r) ?? 'undefined'), weight: 4 },
  { arbitrary: fc.array(aReading, { maxLength: 8 }).map((batch) => JSON.stringify(batch)), weight: 4 },
  fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes)),
);
const message = fc.record({ status: fc.boolean().map((b) => b && Math.random() < 0.15), payload });

/** What the device contract says of a message to a water meter: the readings to store, the reasons to give. */
function verdict(topic: string, body: string | Buffer): { stored: Map<number, number | undefined>; reasons: Set<string> } {
  const stored = new Map<number, number | undefined>();
  const reasons = new Set<string>();
  try {
    if (topic.endsWith('/status')) parseStatusMessage(topic, body);
    else {
      const parsed = parseReadingMessage(topic, body, Date.now());
      for (const rejection of parsed.rejected) reasons.add(rejection.code);
      for (const reading of parsed.readings) {
        if (reading.kind !== 'water') reasons.add('KIND_MISMATCH');
        else stored.set(reading.ts, reading.register ?? reading.delta);
      }
    }
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    reasons.add(error.code);
  }
  return { stored, reasons };
}

async function fuzzIngest(open: () => Promise<{ db: Database; store: ReadingStore; close(): Promise<void> }>) {
  const { db, store, close } = await open();
  await insertNeighbourhood(db, { id: 'fz-n', name: 'Fuzz' });
  await insertStreets(db, [{ id: 'fz-s', neighbourhoodId: 'fz-n', name: 'Fuzz Street' }]);
  await insertHousehold(db, { id: 'fz-h', streetId: 'fz-s', alias: 'Fuzzed' });
  await insertMeters(
    db,
    Array.from({ length: METERS }, (_, i) => ({ id: `fz-${i + 1}`, householdId: 'fz-h', kind: 'water' as const })),
  );
  const directory = await MeterDirectory.open(db);
  const ingest: IngestService = await startIngest({
    inProcess: { id: 'ontap-fuzz' },
    store,
    directory,
    spoolDir: mkdtempSync(join(tmpdir(), 'ontap-fuzz-')),
    logger: pino({ level: 'silent' }),
  });
  const intake = ingest.brokerIntake as NonNullable<IngestService['brokerIntake']>;
  let nextMeter = 1;
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 30 }), async (messages) => {
        const sent = messages.map((m) => {
          const meterId = `fz-${nextMeter++}`;
          return { meterId, topic: meterTopic(meterId, m.status ? 'status' : 'readings'), payload: m.payload };
        });
        if (nextMeter > METERS) return; // out of meters: later runs pass vacuously (RUNS keeps well below)
        await Promise.all(sent.map((m) => intake.accept(m.topic, Buffer.from(m.payload), false)));
        await ingest.drained();
        const meterIds = sent.map((m) => m.meterId);
        const storedByMeter = new Map<string, Map<number, number | undefined>>();
        for (const series of await store.seriesAround({ household: 'fz-h' }, 'water', now - 25 * DAY, now + 3_600_000)) {
          if (!meterIds.includes(series.placement.meterId)) continue;
          storedByMeter.set(
            series.placement.meterId,
            new Map(series.points.map((point) => [point.ts, point.register ?? point.delta])),
          );
        }
        const letters = await store.deadLetters({ meterIds, limit: 10_000 });
        for (const m of sent) {
          const expected = verdict(m.topic, m.payload);
          const stored = storedByMeter.get(m.meterId) ?? new Map();
          expect([...stored.keys()].sort(), `stored readings of ${m.topic} ${String(m.payload).slice(0, 200)}`).toStrictEqual(
            [...expected.stored.keys()].sort(),
          );
          for (const [ts, value] of expected.stored) expect(stored.get(ts)).toBeCloseTo(value ?? 0, 6);
          const reasons = letters.filter((letter) => letter.meterId === m.meterId).map((letter) => letter.reason);
          expect(reasons.sort(), `dead letters of ${m.topic} ${String(m.payload).slice(0, 200)}`).toStrictEqual(
            [...expected.reasons].sort(),
          );
        }
        expect(await currentValue(ingest.metrics.processingFailures)).toBe(0);
        expect(ingest.health().drainer).toBe('running');
      }),
      { numRuns: RUNS },
    );
  } finally {
    await ingest.stop();
    await directory.close();
    await close();
  }
}

describe('ingest under fuzzing', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('on the embedded store (PGlite): never stops, stores what the contract accepts, dead-letters the rest once per reason', {
    timeout: 240_000,
  }, async () => {
    await fuzzIngest(async () => {
      const db = await openDatabase('pglite:memory');
      await migrate(db);
      return { db, store: await SqlReadingStore.open(db), close: () => db.close() };
    });
  });

  it('on InfluxDB: the same', { timeout: 240_000 }, async () => {
    const influx = await freshInfluxDatabase();
    cleanups.push(influx.drop);
    await fuzzIngest(async () => {
      const db = await openDatabase('pglite:memory');
      await migrate(db);
      return { db, store: new InfluxReadingStore({ url: influx.url, database: influx.database }), close: () => db.close() };
    });
  });
});
