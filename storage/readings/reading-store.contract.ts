// The ReadingStore contract: one suite, run against every adapter (see the *.test.ts beside them).
// Expected numbers are worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadingStore, StoredReading, UsageQuery } from './reading-store.ts';

const H = 3_600_000;
const M = 60_000;
const at = (iso: string) => Date.parse(iso);
const TZ = 'Europe/London';

const place = (meterId: string, household: string, street: string, kind: StoredReading['kind'] = 'water') => ({
  meterId,
  kind,
  household,
  street,
  neighbourhood: 'n1',
});

/** Water meter with `litresPerHour` steady use, a reading every `stepMinutes` from `from` to `to`. */
function steady(
  placement: ReturnType<typeof place>,
  from: number,
  to: number,
  stepMinutes: number,
  litresPerHour: number,
  start = 0,
) {
  const readings: StoredReading[] = [];
  for (let t = from; t <= to; t += stepMinutes * M)
    readings.push({ ...placement, ts: t, register: start + ((t - from) / H) * litresPerHour });
  return readings;
}

export function describeReadingStoreContract(
  name: string,
  open: () => Promise<{ store: ReadingStore; cleanup: () => Promise<void> }>,
) {
  describe(`ReadingStore contract: ${name}`, () => {
    let store: ReadingStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await open());
    });
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    const dayQuery = (
      scope: UsageQuery['scope'],
      from: string,
      to: string,
      groupBy: UsageQuery['groupBy'] = 'household',
    ): UsageQuery => ({
      kind: 'water',
      scope,
      from,
      to,
      timeZone: TZ,
      granularity: 'day',
      groupBy,
    });

    it('splits intervals across local midnight and groups by household, street and neighbourhood', async () => {
      // h1 (Elm St): 10 L/h, readings every 30 min over 2026-01-10 and 11 → 240 L a day.
      // h2 (Elm St): one interval 22:00 → 04:00 of 60 L → 20 L on the 10th, 40 L on the 11th.
      // h3 (Oak St): 5 L/h every 15 min → 120 L a day.
      await store.writeReadings([
        ...steady(place('c1-w', 'c1-h1', 'c1-elm'), at('2026-01-09T23:00:00Z'), at('2026-01-12T01:00:00Z'), 30, 10),
        { ...place('c1-w2', 'c1-h2', 'c1-elm'), ts: at('2026-01-10T22:00:00Z'), register: 100 },
        { ...place('c1-w2', 'c1-h2', 'c1-elm'), ts: at('2026-01-11T04:00:00Z'), register: 160 },
        ...steady(place('c1-w3', 'c1-h3', 'c1-oak'), at('2026-01-09T23:00:00Z'), at('2026-01-12T01:00:00Z'), 15, 5),
      ]);
      const perHousehold = await store.totals(dayQuery({ street: 'c1-elm' }, '2026-01-10', '2026-01-11'));
      expect(perHousehold.map((t) => [t.group, t.date, round(t.use), t.householdsWithData])).toStrictEqual([
        ['c1-h1', '2026-01-10', 240, 1],
        ['c1-h1', '2026-01-11', 240, 1],
        ['c1-h2', '2026-01-10', 20, 0],
        ['c1-h2', '2026-01-11', 40, 0],
      ]);
      const perStreet = await store.totals({ ...dayQuery({ neighbourhood: 'n1' }, '2026-01-10', '2026-01-10', 'street') });
      const c1 = perStreet.filter((t) => t.group.startsWith('c1-'));
      expect(c1.map((t) => [t.group, round(t.use), t.households, t.householdsWithData])).toStrictEqual([
        ['c1-elm', 260, 2, 1],
        ['c1-oak', 120, 1, 1],
      ]);
    });

    it('gives DST days 23 and 25 hours, hour by hour', async () => {
      // 6 L/h steady around both 2026 clock changes, a reading every 15 min.
      const meter = place('c2-w', 'c2-h', 'c2-st');
      await store.writeReadings([
        ...steady(meter, at('2026-03-28T22:00:00Z'), at('2026-03-30T02:00:00Z'), 15, 6),
        ...steady(meter, at('2026-10-24T21:00:00Z'), at('2026-10-26T02:00:00Z'), 15, 6, 10_000),
      ]);
      const spring = await store.totals(dayQuery({ household: 'c2-h' }, '2026-03-29', '2026-03-29'));
      expect(spring.map((t) => [t.date, round(t.use), (t.end - t.start) / H])).toStrictEqual([['2026-03-29', 138, 23]]);
      const autumn = await store.totals(dayQuery({ household: 'c2-h' }, '2026-10-25', '2026-10-25'));
      expect(autumn.map((t) => [t.date, round(t.use), (t.end - t.start) / H])).toStrictEqual([['2026-10-25', 150, 25]]);
      const hours = await store.totals({ ...dayQuery({ household: 'c2-h' }, '2026-10-25', '2026-10-25'), granularity: 'hour' });
      expect(hours).toHaveLength(25);
      expect(hours.every((t) => round(t.use) === 6)).toBe(true);
      // The repeated local 01:00 hour appears twice, an hour apart.
      expect((hours[2]?.start ?? 0) - (hours[1]?.start ?? 0)).toBe(H);
    });

    it('gives the same totals whatever order and however often readings arrive, and fits a late reading in', async () => {
      const meter = place('c3-w', 'c3-h', 'c3-st');
      const t0 = at('2026-02-02T00:00:00Z');
      const all = [0, 3, 6, 9, 12, 15, 18, 21, 24].map((h, i) => ({
        ...meter,
        ts: t0 + h * H,
        register: [0, 30, 30, 90, 100, 130, 160, 200, 240][i] as number,
      }));
      // Without the 06:00 and 12:00 readings first, then late (a backlog), then everything again reversed.
      await store.writeReadings(all.filter((_, i) => i !== 2 && i !== 4));
      const query = dayQuery({ household: 'c3-h' }, '2026-02-02', '2026-02-02');
      expect(round((await store.totals(query))[0]?.use ?? -1)).toBe(240);
      const hourly = { ...query, granularity: 'hour' as const };
      const before = await store.totals(hourly);
      // 03:00 → 09:00 was one interval of 60 L: 10 L per hour.
      expect(round(before[4]?.use ?? -1)).toBe(10);
      await store.writeReadings([all[2] as StoredReading, all[4] as StoredReading]);
      await store.writeReadings([...all].reverse());
      const after = await store.totals(hourly);
      // With the 06:00 reading: 03→06 had 0 L, 06→09 had 60 L (20 L per hour).
      expect(round(after[4]?.use ?? -1)).toBe(0);
      expect(round(after[7]?.use ?? -1)).toBe(20);
      expect(round(after.reduce((sum, t) => sum + t.use, 0))).toBe(240);
    });

    it('starts a new run on a register decrease and keeps impossible steps out of the totals', async () => {
      const meter = place('c4-w', 'c4-h', 'c4-st');
      const t0 = at('2026-04-01T10:00:00Z');
      await store.writeReadings([
        { ...meter, ts: t0, register: 5000 },
        { ...meter, ts: t0 + H, register: 5050 }, // 50 L
        { ...meter, ts: t0 + 2 * H, register: 3 }, // replaced: no use counted
        { ...meter, ts: t0 + 3 * H, register: 23 }, // 20 L
        { ...meter, ts: t0 + 3 * H + M, register: 1023 }, // 1000 L in a minute: excluded
        { ...meter, ts: t0 + 4 * H, register: 1033 }, // 10 L
      ]);
      const [day] = await store.totals(dayQuery({ household: 'c4-h' }, '2026-04-01', '2026-04-01'));
      expect(round(day?.use ?? -1)).toBe(80);
      expect(round(day?.excluded ?? -1)).toBe(1000);
    });

    it('says which days have data under the 6-hour gap rule', async () => {
      const meter = place('c5-w', 'c5-h', 'c5-st');
      // Every 3 h through 2026-05-01 local (BST); on the 2nd a gap from 06:00 to 13:00 local (7 h).
      const start = at('2026-04-30T23:00:00Z');
      const times = [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 37, 40, 43, 46, 48].map((h) => start + h * H);
      await store.writeReadings(times.map((ts, i) => ({ ...meter, ts, register: i * 10 })));
      const days = await store.totals(dayQuery({ household: 'c5-h' }, '2026-05-01', '2026-05-03'));
      expect(days.map((t) => [t.date, t.householdsWithData])).toStrictEqual([
        ['2026-05-01', 1],
        ['2026-05-02', 0],
        ['2026-05-03', 0],
      ]);
    });

    it('reads delta meters as use since the previous reading', async () => {
      const meter = place('c6-e', 'c6-h', 'c6-st', 'electricity');
      const t0 = at('2026-06-10T00:00:00Z'); // 01:00 BST
      await store.writeReadings([0, 1, 2, 3].map((h) => ({ ...meter, ts: t0 + h * H, delta: h * 100 })));
      const [day] = await store.totals({ ...dayQuery({ household: 'c6-h' }, '2026-06-10', '2026-06-10'), kind: 'electricity' });
      expect(round(day?.use ?? -1)).toBe(600);
    });

    it('keeps names with quotes and backslashes as data, never as query text', async () => {
      const meter = place('c7-w', 'c7-o\'brien\\"', "c7-st' OR '1'='1");
      await store.writeReadings(steady(meter, at('2026-07-01T00:00:00Z'), at('2026-07-01T02:00:00Z'), 60, 10));
      const totals = await store.totals({ ...dayQuery({ street: "c7-st' OR '1'='1" }, '2026-07-01', '2026-07-01') });
      expect(totals.map((t) => [t.group, round(t.use)])).toStrictEqual([['c7-o\'brien\\"', 20]]);
      expect(await store.totals(dayQuery({ street: 'c7-st' }, '2026-07-01', '2026-07-01'))).toStrictEqual([]);
    });

    it('knows the last reading of every meter', async () => {
      const last = await store.lastReadings();
      expect(last.get('c4-w')).toStrictEqual({ ts: at('2026-04-01T14:00:00Z'), register: 1033 });
      expect(last.get('c6-e')).toStrictEqual({ ts: at('2026-06-10T03:00:00Z'), delta: 300 });
      // Or of given meters only; a meter without readings is absent, and no meters is no query.
      const some = await store.lastReadings(['c6-e', 'c4-w', 'c6-e', 'nobody', "c7-w' OR '1'='1"]);
      expect([...some.keys()].sort()).toStrictEqual(['c4-w', 'c6-e']);
      expect(some.get('c4-w')).toStrictEqual({ ts: at('2026-04-01T14:00:00Z'), register: 1033 });
      expect(await store.lastReadings([])).toStrictEqual(new Map());
    });

    it('knows the first reading of given meters', async () => {
      const first = await store.firstReadings(['c6-e', 'c4-w', 'c6-e', 'nobody', "c7-w' OR '1'='1"]);
      expect(first).toStrictEqual(
        new Map([
          ['c4-w', { ts: at('2026-04-01T10:00:00Z'), register: 5000 }],
          ['c6-e', { ts: at('2026-06-10T00:00:00Z'), delta: 0 }],
        ]),
      );
      expect(await store.firstReadings([])).toStrictEqual(new Map());
    });

    it('gives the latest status of given meters, beside their other events', async () => {
      // Statuses are events timed by receipt; a later register event does not hide the latest status.
      const status = (meterId: string, iso: string, detail: object) => ({
        meterId,
        household: 'c8-h',
        ts: at(iso),
        type: 'status' as const,
        detail: JSON.stringify(detail),
      });
      await store.writeEvents([
        status('c8-w', '2026-06-01T10:00:00Z', { online: true, battery: 80 }),
        status('c8-w', '2026-06-01T12:00:00Z', { online: false }),
        status('c8-w', '2026-06-01T11:00:00Z', { online: true, battery: 79, rssi: -70 }),
        status('c8-e', '2026-06-01T09:00:00Z', { online: true }),
        status('c8-o\'q\\"', '2026-06-01T08:00:00Z', { online: true, rssi: -50 }),
        {
          meterId: 'c8-w',
          household: 'c8-h',
          ts: at('2026-06-01T13:00:00Z'),
          type: 'impossible_step' as const,
          detail: '1000 in 1.0 min exceeds 100 per minute: left out of totals',
        },
      ]);
      const latest = await store.latestStatuses(['c8-w', 'c8-e', 'c8-w', 'c4-w', 'c8-o\'q\\"']);
      expect([...latest.entries()].sort()).toStrictEqual([
        ['c8-e', { ts: at('2026-06-01T09:00:00Z'), detail: '{"online":true}' }],
        ['c8-o\'q\\"', { ts: at('2026-06-01T08:00:00Z'), detail: '{"online":true,"rssi":-50}' }],
        ['c8-w', { ts: at('2026-06-01T12:00:00Z'), detail: '{"online":false}' }],
      ]);
      expect(await store.latestStatuses(['c8-e'])).toStrictEqual(
        new Map([['c8-e', { ts: at('2026-06-01T09:00:00Z'), detail: '{"online":true}' }]]),
      );
      expect(await store.latestStatuses([])).toStrictEqual(new Map());
      expect((await store.events('c8-w')).map((e) => e.type)).toStrictEqual(['status', 'status', 'status', 'impossible_step']);
    });

    it('keeps dead letters and events once, however often they are written', async () => {
      const letter = {
        receivedAt: at('2026-08-01T12:00:00Z'),
        sequence: 7,
        topic: 'ontap/v1/meters/x/readings',
        reason: 'INVALID_JSON',
        detail: 'Unexpected token',
        payload: '{"ts":',
      };
      await store.writeDeadLetters([letter, { ...letter, sequence: 8, reason: 'UNKNOWN_METER' }]);
      await store.writeDeadLetters([letter]);
      expect(await store.deadLetterCounts()).toStrictEqual({ INVALID_JSON: 1, UNKNOWN_METER: 1 });
      const listed = await store.deadLetters({ reason: 'INVALID_JSON' });
      expect(listed.map((l) => [l.topic, l.reason, l.detail, l.payload, l.receivedAt])).toStrictEqual([
        [letter.topic, 'INVALID_JSON', 'Unexpected token', '{"ts":', letter.receivedAt],
      ]);
      const event = {
        meterId: 'c4-w',
        household: 'c4-h',
        ts: at('2026-04-01T12:00:00Z'),
        type: 'register_reset' as const,
        detail: '5050 → 3',
      };
      await store.writeEvents([event, event]);
      expect(await store.events('c4-w')).toStrictEqual([event]);
    });

    it('keeps a message’s dead letters for two reasons apart (one key per message and reason)', async () => {
      // Two bad readings of one message, refused for two reasons: once the second overwrote the first.
      const letter = {
        receivedAt: at('2026-08-02T12:00:00Z'),
        sequence: 9,
        topic: 'ontap/v1/meters/c4-w/readings',
        meterId: 'c4-w',
        reason: 'BAD_TIMESTAMP',
        detail: 'reading 0: ts must be …',
        payload: '[…]',
      };
      await store.writeDeadLetters([letter, { ...letter, reason: 'BAD_REGISTER', detail: 'reading 1: register must be …' }]);
      const listed = await store.deadLetters({ meterIds: ['c4-w'] });
      expect(listed.map((l) => [l.reason, l.meterId, l.detail]).sort()).toStrictEqual([
        ['BAD_REGISTER', 'c4-w', 'reading 1: register must be …'],
        ['BAD_TIMESTAMP', 'c4-w', 'reading 0: ts must be …'],
      ]);
      expect(await store.deadLetters({ meterIds: ['someone-else'] })).toStrictEqual([]);
    });

    it('holds text a device sent, NUL and newlines included, in dead letters', async () => {
      const letter = {
        receivedAt: at('2026-08-03T12:00:00Z'),
        sequence: 1,
        topic: 'ontap/v1/meters/c9-w/readings',
        meterId: 'c9-w',
        reason: 'INVALID_JSON',
        detail: 'line one\nline two "quoted" \\ backslash',
        payload: 'a\u0000b\nc\td',
      };
      await store.writeDeadLetters([letter]);
      const [listed] = await store.deadLetters({ meterIds: ['c9-w'] });
      expect(listed?.detail).toBe(letter.detail);
      // PostgreSQL text cannot hold NUL: the SQL store keeps U+FFFD in its place.
      expect(['a\u0000b\nc\td', 'a\uFFFDb\nc\td']).toContain(listed?.payload);
    });

    it('erases a household: its readings, events and meters’ dead letters go, its neighbours stay, and says how many', async () => {
      const erased = await store.deleteHousehold('c4-h', ['c4-w']);
      expect(erased.readings).toBeGreaterThan(0);
      expect(erased.events).toBe(1);
      expect(erased.deadLetters).toBe(2);
      expect(await store.totals(dayQuery({ household: 'c4-h' }, '2026-04-01', '2026-04-01'))).toStrictEqual([]);
      expect(await store.events('c4-w')).toStrictEqual([]);
      expect(await store.deadLetters({ meterIds: ['c4-w'] })).toStrictEqual([]);
      expect(await store.deadLetters({ meterIds: ['c9-w'] })).toHaveLength(1);
      expect((await store.lastReadings()).has('c4-w')).toBe(false);
      expect(round((await store.totals(dayQuery({ household: 'c3-h' }, '2026-02-02', '2026-02-02')))[0]?.use ?? -1)).toBe(240);
      expect(await store.deleteHousehold('c4-h', ['c4-w'])).toStrictEqual({ readings: 0, events: 0, deadLetters: 0 });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;
