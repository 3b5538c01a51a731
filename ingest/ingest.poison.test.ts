// The adversarial ingest run: 10,000 malformed messages of every kind in the
// catalogue (ingest/testing/malformed.ts), every poison that once stopped ingest among them,
// interleaved with 1,000 good ones, a flood of 3,000 valid statuses and 2,000 from meters flapping
// on- and offline with every one, through a real broker into
// a real store — on the embedded default and on Mosquitto, InfluxDB and PostgreSQL. `npm run bench:poison` prints the same counts.
import { afterAll, describe, expect, it } from 'vitest';
import { freshInfluxDatabase, freshPostgresDatabase } from '../testing/databases.ts';
import { testServices } from '../testing/inject.ts';
import { malformedKinds } from './testing/malformed.ts';
import { mosquittoInfluxTarget, type PoisonResult, runPoison } from './testing/poison-run.ts';

function expectClean(result: PoisonResult) {
  console.log(JSON.stringify(result));
  expect(result.kinds).toBeGreaterThanOrEqual(40);
  expect(result.good).toStrictEqual({ sent: 1000, stored: 1000 });
  expect(result.malformed).toStrictEqual({
    sent: 10_000,
    deadLetteredOnce: 10_000,
    missing: 0,
    duplicated: 0,
    unexpectedReasons: [],
  });
  // The status flood: every good meter's latest status is there, and few of the 3,000 were stored.
  expect(result.statuses).toMatchObject({ sent: 3_000, metersWithStatus: 10 });
  expect(result.statuses.stored).toBeGreaterThanOrEqual(10);
  expect(result.statuses.stored).toBeLessThanOrEqual(result.statuses.storedAtMost);
  // Flapping on- and offline with every status: once every change was stored (2,000); now at most 4
  // a minute per meter, and each meter's last state is its latest stored.
  expect(result.flapping).toMatchObject({ sent: 2_000, meters: 2, lastStateKept: 2 });
  expect(result.flapping.stored).toBeGreaterThanOrEqual(2);
  expect(result.flapping.stored).toBeLessThanOrEqual(result.flapping.storedAtMost);
  expect(result.processingFailures).toBe(0);
  expect(result.health).toBe('ok, drainer running');
  // Never stalled: something was processed at least every 10 s while messages waited (generous for 2 busy cores).
  expect(result.longestStallMs).toBeLessThan(10_000);
}

describe('ingest against 10,000 malformed messages', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it(`has at least 40 kinds of malformed message (${malformedKinds.length})`, () => {
    expect(new Set(malformedKinds.map((kind) => kind.name)).size).toBe(malformedKinds.length);
    expect(malformedKinds.length).toBeGreaterThanOrEqual(40);
  });

  it('on the embedded default: stores every good reading, dead-letters every malformed message exactly once', {
    timeout: 300_000,
  }, async () => {
    expectClean(await runPoison({ kind: 'embedded' }));
  });

  it('on Mosquitto, InfluxDB and PostgreSQL: the same', { timeout: 300_000 }, async () => {
    const postgres = await freshPostgresDatabase();
    cleanups.push(postgres.drop);
    const influx = await freshInfluxDatabase();
    cleanups.push(influx.drop);
    expectClean(await runPoison(mosquittoInfluxTarget(testServices(), postgres.url, influx)));
  });
});
