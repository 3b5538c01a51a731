// A household's page figures: its meters' latest reading and status, a baseline that does not move
// with the window, today so far against the same hours of a usual day (also as a live stream), and
// where its challenges are. Numbers worked out by hand.
//
// Swift (h1, 2 people) uses 10 L/h from 20 January, 16 L/h from 13 February (384 L a day) and
// 12 L/h from 1 March. Now is Thursday 5 March 2026, 12:30 GMT (London is on GMT: local = UTC).
// - Recent baseline: 30 January … 26 February (today − 34 … today − 7): 14 days of 240 L, 14 of
//   384 L: 312 L a day; an hour by the clock is usually (10 + 16) / 2 = 13 L.
// - The running challenge Spring's baseline: 13 … 26 February: 384 L a day, 16 L an hour.
// - Today so far: 12.5 h × 12 = 150 L; by 12:30 a usual day used 12.5 × 13 = 162.5 L (recent)
//   or 12.5 × 16 = 200 L (Spring's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteApiTokensOf } from '../../../storage/metadata/repositories/accounts.ts';
import { insertChallenge } from '../../../storage/metadata/repositories/challenges.ts';
import { insertHouseholds } from '../../../storage/metadata/repositories/households.ts';
import { deleteMembership, insertMemberships } from '../../../storage/metadata/repositories/memberships.ts';
import { insertMeters } from '../../../storage/metadata/repositories/meters.ts';
import { insertStreets } from '../../../storage/metadata/repositories/neighbourhoods.ts';
import { usualHoursOfChallenge } from '../../../storage/metadata/repositories/usual-hours.ts';
import { markTouchedDaysDirty } from '../../../storage/metadata/rollups.ts';
import { dropEndedUsualHours } from '../../services/usual-days.ts';
import { bearer, type Caller, callerWithToken, databaseKinds, seedNeighbourhoods, testApp } from '../../testing/fixtures.ts';
import { writeSteadyWater } from '../../testing/readings.ts';
import { HOUSEHOLD_STREAM_EVERY_MS } from './index.ts';

const NOW = Date.parse('2026-03-05T12:30:00Z');
const place = { meterId: 'h1-w', household: 'h1', street: 'elm', neighbourhood: 'n1' };
const challenge = (id: string, name: string, dates: Record<'startsOn' | 'endsOn' | 'baselineFrom' | 'baselineTo', string>) => ({
  id,
  neighbourhoodId: 'n1',
  template: 'personal_best' as const,
  name,
  metric: 'water' as const,
  scope: 'households' as const,
  ...dates,
});

describe.each(databaseKinds)("a household's page figures on %s", (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let swift: Caller;
  let heron: Caller;
  let admin: Caller;
  let clock = NOW;

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => clock, rateLimits: false });
    const { db, store } = fixture;
    await seedNeighbourhoods(db);
    await insertMeters(db, [{ id: 'h1-e', householdId: 'h1', kind: 'electricity' }]);
    swift = await callerWithToken(db, 'swift', 'household', { householdId: 'h1' });
    heron = await callerWithToken(db, 'heron', 'household', { householdId: 'h2' });
    admin = await callerWithToken(db, 'admin', 'admin');
    let register = await writeSteadyWater(store, place, '2026-01-20T00:00:00Z', '2026-02-13T00:00:00Z', 10);
    register = await writeSteadyWater(store, place, '2026-02-13T00:00:00Z', '2026-03-01T00:00:00Z', 16, register);
    await writeSteadyWater(store, place, '2026-03-01T00:00:00Z', '2026-03-05T12:30:00Z', 12, register);
    const status = (ts: string, detail: object) => ({
      meterId: 'h1-w',
      household: 'h1',
      ts: Date.parse(ts),
      type: 'status' as const,
      detail: JSON.stringify(detail),
    });
    await store.writeEvents([
      status('2026-03-05T11:00:00Z', { online: false }),
      status('2026-03-05T12:00:00Z', { online: true, battery: 87, rssi: -67 }),
    ]);
  });
  afterAll(async () => fixture?.close());

  const get = (url: string, caller: Caller = swift) => fixture.app.inject({ method: 'GET', url, headers: bearer(caller) });

  it("lists the household's meters with the time of their latest reading and their latest status", async () => {
    const response = await get('/api/households/h1');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().meters.sort((a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1))).toStrictEqual([
      { id: 'h1-e', kind: 'electricity', lastReadingAt: null, status: null },
      {
        id: 'h1-w',
        kind: 'water',
        lastReadingAt: '2026-03-05T12:30:00.000Z',
        status: { online: true, battery: 87, rssi: -67, at: '2026-03-05T12:00:00.000Z' },
      },
    ]);
    // Another household's meters are not Swift's to see.
    expect((await get('/api/households/h2')).statusCode).toBe(403);
  });

  it('keeps the baseline of the 28 days ending a week ago, whatever the window, with the daily target', async () => {
    for (const window of ['from=2026-03-01&to=2026-03-05', 'from=2026-02-13&to=2026-02-19&granularity=hour']) {
      const usage = (await get(`/api/households/h1/usage?${window}`)).json();
      expect(usage).toMatchObject({
        baselineFrom: '2026-01-30',
        baselineTo: '2026-02-26',
        baselineBasis: 'recent',
        baselineChallenge: null,
        targetPerDay: 220,
        litresPerPersonPerDayTarget: 110,
      });
      expect(usage.baselinePerDay).toBeCloseTo(312, 9);
    }
    // 1–4 March are over: 288 L a day for 2 people; today so far is left out.
    expect((await get('/api/households/h1/usage?from=2026-03-01&to=2026-03-05')).json().litresPerPersonPerDay).toBeCloseTo(
      144,
      9,
    );
    // No electricity read at all: no baseline, and no target for electricity.
    const electricity = (await get('/api/households/h1/usage?kind=electricity&from=2026-03-01&to=2026-03-05')).json();
    expect(electricity).toMatchObject({ unit: 'Wh', baselineBasis: 'recent', baselinePerDay: null, targetPerDay: null });
  });

  it('sets today so far against the same hours of a usual day', async () => {
    const response = await get('/api/households/h1/today');
    expect(response.statusCode, response.body).toBe(200);
    const today = response.json();
    expect(today).toMatchObject({
      kind: 'water',
      unit: 'L',
      asOf: '2026-03-05T12:30:00.000Z',
      lastReadingAt: '2026-03-05T12:30:00.000Z',
    });
    expect(today.soFar).toBeCloseTo(150, 9);
    expect(today.usualSoFar).toBeCloseTo(162.5, 9);
    expect(today.usualDay).toBeCloseTo(312, 9);
    // 1 − 150/162.5 = 12.5/162.5 = 1/13 less than usual by now.
    expect(today.changeFromUsual).toBeCloseTo(1 / 13, 9);
    // A kind without readings: nothing so far, nothing usual, no reading.
    expect((await get('/api/households/h1/today?kind=gas')).json()).toStrictEqual({
      kind: 'gas',
      unit: 'Wh',
      asOf: '2026-03-05T12:30:00.000Z',
      soFar: 0,
      usualSoFar: null,
      usualDay: null,
      changeFromUsual: null,
      lastReadingAt: null,
    });
  });

  it('refuses an unknown kind, and another household’s figures', async () => {
    const oil = await get('/api/households/h1/today?kind=oil');
    expect(oil.statusCode).toBe(400);
    expect(oil.json().message).toMatch(/querystring\.kind/);
    expect((await get('/api/households/h1/today', heron)).statusCode).toBe(403);
    expect((await get('/api/households/h1/stream?once=true', heron)).statusCode).toBe(403);
    // An admin may look at any household, but there is no household "nobody".
    expect((await get('/api/households/nobody/today', admin)).statusCode).toBe(404);
    expect((await get('/api/households/nobody/stream?once=true', admin)).statusCode).toBe(404);
    expect((await get('/api/households/h1/today', admin)).statusCode).toBe(200);
  });

  it("takes the running challenge's baseline, and tells upcoming, running and finished challenges apart", async () => {
    const { db } = fixture;
    await insertChallenge(
      db,
      challenge('c0', 'Winter', {
        startsOn: '2026-02-01',
        endsOn: '2026-02-28',
        baselineFrom: '2026-01-04',
        baselineTo: '2026-01-31',
      }),
    );
    await insertChallenge(
      db,
      challenge('c1', 'Spring', {
        startsOn: '2026-03-01',
        endsOn: '2026-03-28',
        baselineFrom: '2026-02-13',
        baselineTo: '2026-02-26',
      }),
    );
    await insertChallenge(
      db,
      challenge('c2', 'Summer', {
        startsOn: '2026-06-01',
        endsOn: '2026-06-28',
        baselineFrom: '2026-05-04',
        baselineTo: '2026-05-31',
      }),
    );
    for (const id of ['c0', 'c1', 'c2']) await insertMemberships(db, id, ['h1']);

    const usage = (await get('/api/households/h1/usage?from=2026-03-01&to=2026-03-05')).json();
    expect(usage).toMatchObject({
      baselineFrom: '2026-02-13',
      baselineTo: '2026-02-26',
      baselineBasis: 'challenge',
      baselineChallenge: 'Spring',
    });
    expect(usage.baselinePerDay).toBeCloseTo(384, 9);
    const today = (await get('/api/households/h1/today')).json();
    expect(today.usualSoFar).toBeCloseTo(200, 9);
    expect(today.usualDay).toBeCloseTo(384, 9);

    const challenges = (await get('/api/households/h1/challenges')).json();
    expect(
      challenges.map((c: { name: string; phase: string; metric: string }) => [c.name, c.phase, c.metric]).sort(),
    ).toStrictEqual([
      ['Spring', 'running', 'water'],
      ['Summer', 'upcoming', 'water'],
      ['Winter', 'finished', 'water'],
    ]);
  });

  it("sets a street's today against its members' usual hours, from five members with data today, in steps of 5%", async () => {
    // Ash Grove: Lark, Wren, Finch, Kite and Robin (h4–h8) are in Street Week (c3, streets, with
    // Spring's dates); Owl (h10) is in it too but private; Crow (h11) lives there but is not in it.
    // Everyone uses 16 L an hour from 12 February to 1 March: Street Week's baseline (13–26
    // February) has 16 L in every clock hour, 12.5 × 16 = 200 L by 12:30. Since 1 March h4–h7 (and
    // Owl and Crow) use 12 L an hour, Robin 13: by 12:30 today 150 L each, Robin 162.5 L.
    // Street: 1 − (4 × 150 + 162.5) / (5 × 200) = 1 − 762.5/1000 = 0.2375, shown as 0.25.
    const { app, db, store } = fixture;
    const ash = [
      ['h4', 'Lark', 12],
      ['h5', 'Wren', 12],
      ['h6', 'Finch', 12],
      ['h7', 'Kite', 12],
      ['h8', 'Robin', 13],
      ['h10', 'Owl', 12],
      ['h11', 'Crow', 12],
    ] as const;
    await insertStreets(db, [{ id: 'ash', neighbourhoodId: 'n1', name: 'Ash Grove' }]);
    await insertHouseholds(
      db,
      ash.map(([id, alias]) => ({ id, streetId: 'ash', alias, ...(id === 'h10' ? { consent: 'private' as const } : {}) })),
    );
    await insertMeters(
      db,
      ash.map(([id]) => ({ id: `${id}-w`, householdId: id, kind: 'water' as const })),
    );
    const registers = new Map<string, number>();
    for (const [id, , litresPerHour] of ash) {
      const at = { meterId: `${id}-w`, household: id, street: 'ash', neighbourhood: 'n1' };
      const register = await writeSteadyWater(store, at, '2026-02-12T00:00:00Z', '2026-03-01T00:00:00Z', 16);
      registers.set(
        id,
        await writeSteadyWater(store, at, '2026-03-01T00:00:00Z', '2026-03-05T12:30:00Z', litresPerHour, register),
      );
    }
    // As ingest does after a backlog.
    await markTouchedDaysDirty(
      db,
      ash.map(([id]) => ({ household: id, kind: 'water', from: Date.parse('2026-02-12T00:00:00Z'), to: NOW })),
      NOW,
    );
    await insertChallenge(db, {
      ...challenge('c3', 'Street Week', {
        startsOn: '2026-03-01',
        endsOn: '2026-03-28',
        baselineFrom: '2026-02-13',
        baselineTo: '2026-02-26',
      }),
      template: 'street_league',
      scope: 'streets',
    });
    await insertMemberships(db, 'c3', ['h4', 'h5', 'h6', 'h7', 'h8', 'h10']);
    const forgetAll = () => {
      for (const cache of [app.ontap.dailyUse, app.ontap.usualDays, app.ontap.leaderboards]) cache.forget();
    };
    forgetAll();
    const board = async (id: string) => (await get(`/api/challenges/${id}/leaderboard`)).json();
    const street = await board('c3');
    expect(street.entries.map((e: { name: string; ratedMembers: number }) => [e.name, e.ratedMembers])).toStrictEqual([
      ['Ash Grove', 5],
    ]);
    expect(street.entries[0].today).toBe(0.25);
    // A households board shows no household's today (Swift's own is on its own page).
    expect((await board('c1')).entries.every((e: { today: number | null }) => e.today === null)).toBe(true);

    // Kept for the challenge's members that are not private only: not Owl, not Crow, not the
    // neighbourhood's other households (Swift, Heron, Otter have readings in the window too).
    const round = (hours: readonly number[] | undefined) => hours?.map((use) => Math.round(use * 1e9) / 1e9);
    const stored = await usualHoursOfChallenge(db, 'c3');
    expect([...(stored?.hours.keys() ?? [])].sort()).toStrictEqual(['h4', 'h5', 'h6', 'h7', 'h8']);
    expect(round(stored?.hours.get('h4'))).toStrictEqual(new Array(24).fill(16));
    // And in the household's export.
    const lark = await callerWithToken(db, 'lark', 'household', { householdId: 'h4' });
    const exported = (await get('/api/households/h4/export', lark)).json();
    expect(
      exported.usualHours.map((u: { challengeId: string; hours: number[] }) => [u.challengeId, round(u.hours)]),
    ).toStrictEqual([['c3', new Array(24).fill(16)]]);

    // 19:00: Robin has sent nothing since 12:30, a gap of 6.5 hours: no data today. Four members
    // contribute, too few to show (one of them could work out the others' from its own).
    clock = Date.parse('2026-03-05T19:00:00Z');
    try {
      for (const [id] of ash.slice(0, 4)) {
        const at = { meterId: `${id}-w`, household: id, street: 'ash', neighbourhood: 'n1' };
        await writeSteadyWater(store, at, '2026-03-05T12:30:00Z', '2026-03-05T19:00:00Z', 12, registers.get(id));
      }
      app.ontap.leaderboards.forget('c3');
      expect((await board('c3')).entries[0].today).toBeNull();
    } finally {
      clock = NOW;
      app.ontap.leaderboards.forget('c3');
    }

    // Turning private, leaving and erasure take a household's usual hours along at once.
    const wren = await callerWithToken(db, 'wren', 'household', { householdId: 'h5' });
    const privately = await app.inject({
      method: 'PUT',
      url: '/api/households/h5/consent',
      headers: bearer(wren),
      payload: { consent: 'private' },
    });
    expect(privately.statusCode, privately.body).toBe(200);
    await deleteMembership(db, 'c3', 'h6');
    const kite = await callerWithToken(db, 'kite', 'household', { householdId: 'h7' });
    const erased = await app.inject({
      method: 'DELETE',
      url: '/api/households/h7',
      headers: bearer(kite),
      payload: { confirm: 'Kite' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().removed.usualHoursRows).toBe(1);
    expect([...((await usualHoursOfChallenge(db, 'c3'))?.hours.keys() ?? [])].sort()).toStrictEqual(['h4', 'h8']);

    // Once the challenge has ended they go: by the periodic sweep (nothing while it runs) …
    expect(await dropEndedUsualHours(db, NOW)).toBe(0);
    expect(await dropEndedUsualHours(db, Date.parse('2026-03-29T00:30:00Z'))).toBe(2);
    expect(await usualHoursOfChallenge(db, 'c3')).toBeUndefined();
    // … or when its board is computed after its last day (here computed again first, for the two left).
    forgetAll();
    await board('c3');
    expect([...((await usualHoursOfChallenge(db, 'c3'))?.hours.keys() ?? [])].sort()).toStrictEqual(['h4', 'h8']);
    clock = Date.parse('2026-03-29T12:00:00Z');
    try {
      forgetAll();
      expect((await board('c3')).entries[0].today).toBeNull();
      expect(await usualHoursOfChallenge(db, 'c3')).toBeUndefined();
    } finally {
      clock = NOW;
      forgetAll();
    }
  });

  it('sends today for water and every other metered kind as an event (once=true: one, then closes)', async () => {
    const response = await get('/api/households/h1/stream?once=true');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    const [event, data] = response.body.split('\n');
    expect(event).toBe('event: today');
    const { kinds } = JSON.parse((data ?? '').replace(/^data: /, ''));
    expect(kinds.map((k: { kind: string }) => k.kind)).toStrictEqual(['water', 'electricity']);
    expect(kinds[0].soFar).toBeCloseTo(150, 9);
    // Against Spring's baseline now (Swift is in it): 1 − 150/200.
    expect(kinds[0].changeFromUsual).toBeCloseTo(0.25, 9);
    expect(kinds[1]).toMatchObject({
      kind: 'electricity',
      unit: 'Wh',
      soFar: 0,
      usualSoFar: null,
      changeFromUsual: null,
      lastReadingAt: null,
    });
    expect(response.body.endsWith('\n\n')).toBe(true);
  });

  it('streams today again when it changes, and ends with signed-out when the token is revoked', async () => {
    const base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${base}/api/households/h1/stream`, {
      headers: { authorization: `Bearer ${swift.token}` },
    });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      const deadline = Date.now() + HOUSEHOLD_STREAM_EVERY_MS * 3;
      while (!pattern.test(text) && Date.now() < deadline) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
      return pattern.test(text);
    };
    try {
      expect(await readUntil(/^event: today\ndata: .*\n\n/)).toBe(true);
      const first = text;
      // A reading 10 minutes on, 2 L more: the figures change and are sent again.
      clock = NOW + 10 * 60_000;
      const register = (await fixture.store.lastReadings(['h1-w'])).get('h1-w')?.register ?? 0;
      await fixture.store.writeReadings([{ ...place, kind: 'water', ts: clock, register: register + 2 }]);
      expect(await readUntil(/event: today[\s\S]*event: today\ndata: .*\n\n/)).toBe(true);
      const second = JSON.parse(text.slice(first.length).match(/event: today\ndata: (.*)\n/)?.[1] ?? '{}');
      expect(second.kinds[0].soFar).toBeCloseTo(152, 9);
      expect(second.kinds[0].lastReadingAt).toBe('2026-03-05T12:40:00.000Z');
      await deleteApiTokensOf(fixture.db, swift.accountId as string);
      expect(await readUntil(/event: signed-out/)).toBe(true);
      expect((await reader.read()).done).toBe(true);
    } finally {
      await reader.cancel().catch(() => {});
      clock = NOW;
    }
  });
});
