// Leak episodes through the API, with numbers worked out by hand. Europe/London is on GMT here
// (before 29 March), so local hours are UTC hours. Now is 5 March 2026 12:30; complete hours end at 12:00.
//   Swift (h1, elm): 20 L/h from 07:00 to 22:00, dry nights, since 20 January. Under it a 5 L/h leak
//     from 10 February 00:00 to 13 February 06:00 (back-filled history: 78 hours, 78 × 5 = 390 L,
//     at 4.02 GBP/m³ 1.5678 → 1.57), and a 2 L/h one since 3 March 00:00 (60 hours to 12:00 today,
//     120 L, 0.4824 → 0.48).
//   Heron (h2, elm): 3 L/h all the time since 1 March; its meter silent from 2 March 00:00 to 08:00.
//     Two episodes: 1 March 00:00–2 March 00:00 (24 h, 72 L, ended: no data), and from 2 March
//     08:00 on (the hours 00:00–08:00 have no data): 16 + 48 + 12 = 76 h, 228 L, 0.91656 → 0.92.
//   Otter (h3, oak): 1 L/h since 3 March 00:00, its latest reading at 09:00 today: the hours after
//     it are not over for its meter, so the leak runs on (57 hours, 57 L).
//   Badger (h9, far, another neighbourhood): 1 L/h since 3 March, silent since 04:00 today, over 6
//     hours: the episode ended where the data stop (52 hours), and there is no warning now.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertHouseholds, setConsent } from '../../../storage/metadata/repositories/households.ts';
import { leakMarksOf, raiseLeak } from '../../../storage/metadata/repositories/leaks.ts';
import { insertStreets } from '../../../storage/metadata/repositories/neighbourhoods.ts';
import { checkLeaks } from '../../services/leak-watch.ts';
import { bearer, type Caller, callerWithToken, databaseKinds, seedNeighbourhoods, testApp } from '../../testing/fixtures.ts';
import { writeHourlyWater } from '../../testing/readings.ts';

const NOW = Date.parse('2026-03-05T12:30:00Z');
const T = (iso: string) => Date.parse(iso);
const hourOfDay = (t: number) => new Date(t).getUTCHours();
const during = (t: number, from: string, to?: string) => t >= T(from) && (to === undefined || t < T(to));

describe.each(databaseKinds)('leak episodes on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let swift: Caller;
  let heron: Caller;
  let otter: Caller;
  let badger: Caller;
  let champion: Caller;
  let farChampion: Caller;
  let admin: Caller;
  const get = async (url: string, caller: Caller) => fixture.app.inject({ method: 'GET', url, headers: bearer(caller) });
  const put = async (url: string, caller: Caller, payload: unknown) =>
    fixture.app.inject({ method: 'PUT', url, headers: bearer(caller), payload: payload as object });

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW, rateLimits: false });
    const { db, store } = fixture;
    await seedNeighbourhoods(db);
    swift = await callerWithToken(db, 'swift', 'household', { householdId: 'h1' });
    heron = await callerWithToken(db, 'heron', 'household', { householdId: 'h2' });
    otter = await callerWithToken(db, 'otter', 'household', { householdId: 'h3' });
    badger = await callerWithToken(db, 'badger', 'household', { householdId: 'h9' });
    champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    farChampion = await callerWithToken(db, 'far-champion', 'champion', { neighbourhoodId: 'n2' });
    admin = await callerWithToken(db, 'admin', 'admin');
    const place = (household: string, street: string, neighbourhood = 'n1') => ({
      meterId: `${household}-w`,
      household,
      street,
      neighbourhood,
    });
    const daytime = (t: number, litres: number) => (hourOfDay(t) >= 7 && hourOfDay(t) < 22 ? litres : 0);
    await writeHourlyWater(
      store,
      place('h1', 'elm'),
      '2026-01-20T00:00:00Z',
      '2026-03-05T12:30:00Z',
      (t) =>
        daytime(t, 20) +
        (during(t, '2026-02-10T00:00:00Z', '2026-02-13T06:00:00Z') ? 5 : 0) +
        (during(t, '2026-03-03T00:00:00Z') ? 2 : 0),
    );
    await writeHourlyWater(
      store,
      place('h2', 'elm'),
      '2026-02-20T00:00:00Z',
      '2026-03-05T12:30:00Z',
      (t) => (during(t, '2026-03-01T00:00:00Z') ? 3 : daytime(t, 10)),
      { silent: (t) => t > T('2026-03-02T00:00:00Z') && t < T('2026-03-02T08:00:00Z') },
    );
    const otterLeak = (t: number) => (during(t, '2026-03-03T00:00:00Z') ? 1 : daytime(t, 10));
    await writeHourlyWater(store, place('h3', 'oak'), '2026-02-25T00:00:00Z', '2026-03-05T09:00:00Z', otterLeak);
    await writeHourlyWater(store, place('h9', 'far', 'n2'), '2026-02-25T00:00:00Z', '2026-03-05T04:00:00Z', otterLeak);
  });
  afterAll(async () => fixture?.close());

  it('lists episodes over the last 90 days by default, newest first, with litres lost and their cost', async () => {
    const response = await get('/api/households/h1/leaks', swift);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toStrictEqual({
      timeZone: 'Europe/London',
      from: '2025-12-06',
      to: '2026-03-05',
      tariff: { perM3: 4.02, currency: 'GBP' },
      episodes: [
        {
          start: '2026-03-03T00:00:00.000Z',
          end: null,
          ongoing: true,
          endedBy: null,
          hours: 60,
          litresLost: 120,
          cost: { amount: 0.48, currency: 'GBP' },
          mark: null,
          markedAt: null,
        },
        {
          start: '2026-02-10T00:00:00.000Z',
          end: '2026-02-13T06:00:00.000Z',
          ongoing: false,
          endedBy: 'dry_hour',
          hours: 78,
          litresLost: 390,
          cost: { amount: 1.57, currency: 'GBP' },
          mark: null,
          markedAt: null,
        },
      ],
    });
  });

  it('gives an episode whole whichever window shows part of it', async () => {
    const middle = (await get('/api/households/h1/leaks?from=2026-02-12&to=2026-02-12', swift)).json();
    expect(middle.episodes.map((e: { start: string; end: string; hours: number }) => [e.start, e.end, e.hours])).toStrictEqual([
      ['2026-02-10T00:00:00.000Z', '2026-02-13T06:00:00.000Z', 78],
    ]);
    // A window that ends in the past, inside the leak that still runs: still ongoing, to now.
    const earlier = (await get('/api/households/h1/leaks?from=2026-03-04&to=2026-03-04', swift)).json();
    expect(earlier.episodes).toMatchObject([{ start: '2026-03-03T00:00:00.000Z', ongoing: true, hours: 60 }]);
    const none = (await get('/api/households/h1/leaks?from=2026-02-14&to=2026-03-02', swift)).json();
    expect(none.episodes).toStrictEqual([]);
  });

  it('ends an episode where the meter went silent, and starts another when the data resume', async () => {
    const heronLeaks = (await get('/api/households/h2/leaks?from=2026-03-01', heron)).json();
    expect(
      heronLeaks.episodes.map(
        (e: { start: string; end: string | null; endedBy: string | null; hours: number; litresLost: number }) => [
          e.start,
          e.end,
          e.endedBy,
          e.hours,
          e.litresLost,
        ],
      ),
    ).toStrictEqual([
      ['2026-03-02T08:00:00.000Z', null, null, 76, 228],
      ['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', 'no_data', 24, 72],
    ]);
    expect(heronLeaks.episodes[0].cost).toStrictEqual({ amount: 0.92, currency: 'GBP' });
    // A meter silent for over 6 hours: its episode ends where the data stop, and nothing is running.
    const badgerLeaks = (await get('/api/households/h9/leaks', badger)).json();
    expect(badgerLeaks.episodes).toMatchObject([
      { start: '2026-03-03T00:00:00.000Z', end: '2026-03-05T04:00:00.000Z', endedBy: 'no_data', ongoing: false, hours: 52 },
    ]);
  });

  it('agrees with the warning now and with the watch that raises it', async () => {
    const { raised } = await checkLeaks(fixture.db, fixture.store, NOW);
    expect(raised.sort()).toStrictEqual(['h1', 'h2', 'h3']);
    const expectations: [string, Caller, string | null][] = [
      ['h1', swift, '2026-03-03T00:00:00.000Z'],
      ['h2', heron, '2026-03-02T08:00:00.000Z'],
      // Its meter sent nothing since 09:00 (under 6 hours): the hours after are not dry, only unread.
      ['h3', otter, '2026-03-03T00:00:00.000Z'],
      ['h9', badger, null],
    ];
    for (const [household, caller, since] of expectations) {
      const leak = (await get(`/api/households/${household}/leak`, caller)).json();
      const ongoing = (await get(`/api/households/${household}/leaks`, caller))
        .json()
        .episodes.find((e: { ongoing: boolean }) => e.ongoing);
      expect(leak, household).toMatchObject({ possibleLeak: since !== null, since, mark: null });
      expect(ongoing?.start ?? null, household).toBe(since);
    }
    expect(await get('/api/households/h1/leak', swift).then((r) => r.json())).toStrictEqual({
      possibleLeak: true,
      hoursChecked: 24,
      hoursWithoutUse: 0,
      since: '2026-03-03T00:00:00.000Z',
      mark: null,
    });
    expect((await get('/api/households/h3/leaks', otter)).json().episodes).toMatchObject([{ hours: 57, litresLost: 57 }]);
    // Checked again, nothing changes; the silent meter's household is raised by nobody.
    expect(await checkLeaks(fixture.db, fixture.store, NOW)).toStrictEqual({ raised: [], cleared: [] });
  });

  it('refuses bad windows: not a date, inverted, too long, out of range', async () => {
    const cases: [string, string][] = [
      ['from=yesterday', 'querystring.from'],
      ['from=2026-02-30', 'querystring.from'],
      ['to=2026-13-01', 'querystring.to'],
      ['from=0001-01-01&to=0001-01-31', 'querystring.from'],
      ['from=2026-03-05&to=9999-12-31', 'querystring.to'],
      ['from=2026-03-05&to=2026-03-01', 'to_before_from'],
      ['from=2025-01-01&to=2026-03-05', 'span_too_long'],
      ['to=2026-03-05&from=2025-01-29', 'span_too_long'], // 401 days
    ];
    for (const [query, what] of cases) {
      const response = await get(`/api/households/h1/leaks?${query}`, swift);
      expect(response.statusCode, `${query}: ${response.body}`).toBe(400);
      expect(`${response.json().message} ${response.json().reason}`, query).toContain(what);
    }
    // 400 days is the most: 2025-02-01 … 2026-03-07 is 400 days, both included.
    expect((await get('/api/households/h1/leaks?from=2025-02-01&to=2026-03-07', swift)).statusCode).toBe(200);
  });

  it("shows a household's leaks to it and to an admin only", async () => {
    expect((await get('/api/households/h1/leaks', heron)).statusCode).toBe(403);
    expect((await get('/api/households/h1/leak', heron)).statusCode).toBe(403);
    expect((await get('/api/households/h1/leaks', champion)).statusCode).toBe(403);
    expect((await get('/api/households/h1/leaks', admin)).json().episodes).toHaveLength(2);
    const unknown = await get('/api/households/nobody/leaks', admin);
    expect(unknown.statusCode).toBe(404);
    const denied = await put('/api/households/h1/leaks/2026-02-10T00:00:00.000Z/mark', heron, { mark: 'fixed' });
    expect(denied.statusCode).toBe(403);
    expect((await get('/api/households/h1/leaks', swift)).json().episodes[1].mark).toBeNull();
  });

  it('marks an episode by its start, and refuses what is no episode or no mark', async () => {
    const url = (start: string) => `/api/households/h1/leaks/${start}/mark`;
    const refusals: [string, unknown, number, string][] = [
      [url('2026-02-11T00:00:00.000Z'), { mark: 'fixed' }, 404, 'leak_episode_unknown'], // inside, not its start
      [url('2026-01-25T00:00:00.000Z'), { mark: 'fixed' }, 404, 'leak_episode_unknown'], // no leak then
      [url('2027-02-10T00:00:00.000Z'), { mark: 'fixed' }, 404, 'leak_episode_unknown'], // the future
      [url('yesterday'), { mark: 'fixed' }, 400, 'params.start'],
      [url('0001-01-01T00:00:00.000Z'), { mark: 'fixed' }, 400, 'params.start'],
      [url('2026-02-10T00:00:00+01:00'), { mark: 'fixed' }, 400, 'params.start'],
      [url('2026-02-10T00:00:00.000Z'), { mark: 'repaired' }, 400, 'body.mark'],
      [url('2026-02-10T00:00:00.000Z'), {}, 400, 'body.mark'],
      [url('2026-02-10T00:00:00.000Z'), { mark: ['fixed'] }, 400, 'body.mark'],
    ];
    for (const [target, body, status, what] of refusals) {
      const response = await put(target, swift, body);
      expect(response.statusCode, `${target} ${JSON.stringify(body)}: ${response.body}`).toBe(status);
      expect(`${response.json().message} ${response.json().reason}`).toContain(what);
    }
    // Another household's episode, through one's own id: none of one's own starts there.
    const heronsStart = await put('/api/households/h1/leaks/2026-03-02T08:00:00.000Z/mark', swift, { mark: 'fixed' });
    expect(heronsStart.statusCode).toBe(404);

    const fixed = await put(url('2026-02-10T00:00:00.000Z'), swift, { mark: 'fixed' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ start: '2026-02-10T00:00:00.000Z', mark: 'fixed' });
    const listed = (await get('/api/households/h1/leaks', swift)).json().episodes;
    expect(listed.map((e: { mark: string | null }) => e.mark)).toStrictEqual([null, 'fixed']);
    expect(listed[1].markedAt).toBe(fixed.json().markedAt);
    // Changed, then taken away.
    expect((await put(url('2026-02-10T00:00:00.000Z'), swift, { mark: 'expected' })).json().mark).toBe('expected');
    const cleared = await put(url('2026-02-10T00:00:00.000Z'), swift, { mark: null });
    expect(cleared.json()).toStrictEqual({ start: '2026-02-10T00:00:00.000Z', mark: null, markedAt: null });
    expect((await get('/api/households/h1/leaks', swift)).json().episodes[1].mark).toBeNull();
    // An admin may mark too; the warning now carries the mark of the running episode.
    const running = await put(url('2026-03-03T00:00:00.000Z'), admin, { mark: 'expected' });
    expect(running.statusCode, running.body).toBe(200);
    expect((await get('/api/households/h1/leak', swift)).json()).toMatchObject({ possibleLeak: true, mark: 'expected' });
  });

  it('gives a champion counts per street that cannot be worked back to a street of too few homes', async () => {
    // n1 as counted (private homes never): Elm 6 (h1, h2, e3–e6), Oak 5 (h3, o2–o5; o6 is
    // private), Ash 2 (a1, a2). Open warnings: h1 (its running episode marked expected above),
    // h2, h3, a1 (raised here), o6 (private). Ash is under 5: withheld. The total minus Elm would
    // then be Ash's own count, so Oak, the smallest shown street, is withheld too: 3 − 1 = 2 is
    // all that can be worked out, over Oak and Ash together (7 homes).
    const { db } = fixture;
    await insertStreets(db, [{ id: 'ash', neighbourhoodId: 'n1', name: 'Ash Row' }]);
    await insertHouseholds(db, [
      ...['e3', 'e4', 'e5', 'e6'].map((id) => ({ id, streetId: 'elm', alias: `Elm ${id}`, occupants: 2 })),
      ...['o2', 'o3', 'o4', 'o5', 'o6'].map((id) => ({ id, streetId: 'oak', alias: `Oak ${id}`, occupants: 2 })),
      ...['a1', 'a2'].map((id) => ({ id, streetId: 'ash', alias: `Ash ${id}`, occupants: 2 })),
    ]);
    await setConsent(db, ['o6'], 'private');
    await raiseLeak(db, 'a1');
    await raiseLeak(db, 'o6');
    const counts = async () => {
      const response = await get('/api/neighbourhoods/n1/leaks', champion);
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const first = await counts();
    expect(first).toStrictEqual({
      households: 3,
      minHouseholds: 5,
      streets: [
        { streetId: 'ash', street: 'Ash Row', households: null, withheldReason: 'too_few_households' },
        { streetId: 'elm', street: 'Elm Street', households: 1, withheldReason: null },
        { streetId: 'oak', street: 'Oak Road', households: null, withheldReason: 'complementary' },
      ],
    });
    expect(JSON.stringify(first)).not.toMatch(/"(h\d|a\d|e\d|o\d)"|Swift|Heron|Otter/);

    // The adversary: every number derivable from the response (the total, the shown streets, the
    // total minus the shown streets) is over at least 5 countable homes, or over none.
    const countable: Record<string, number> = { elm: 6, oak: 5, ash: 2 };
    const shown = first.streets.filter((s: { households: number | null }) => s.households !== null);
    const withheld = first.streets.filter((s: { households: number | null }) => s.households === null);
    for (const street of shown) expect(countable[street.streetId]).toBeGreaterThanOrEqual(5);
    const remainder = withheld.reduce((sum: number, s: { streetId: string }) => sum + (countable[s.streetId] as number), 0);
    expect(remainder === 0 || remainder >= 5).toBe(true);

    // Heron's warning alone moves Elm; taking Swift's mark away counts Swift again.
    await put('/api/households/h1/leaks/2026-03-03T00:00:00.000Z/mark', swift, { mark: null });
    expect((await counts()).streets[1]).toStrictEqual({
      streetId: 'elm',
      street: 'Elm Street',
      households: 2,
      withheldReason: null,
    });
    // A household that goes private leaves every count at once; Ash, now 1 countable home, stays withheld.
    await setConsent(db, ['a1'], 'private');
    expect((await counts()).households).toBe(3);
    expect((await counts()).streets[0]).toMatchObject({ streetId: 'ash', households: null });
    // Another neighbourhood's champion sees nothing of n1.
    expect((await get('/api/neighbourhoods/n1/leaks', farChampion)).statusCode).toBe(403);
    expect((await get('/api/neighbourhoods/n2/leaks', farChampion)).json()).toMatchObject({ households: 0 });
  });

  it('exports the marks and erases them with the household', async () => {
    await put('/api/households/h2/leaks/2026-03-01T00:00:00.000Z/mark', heron, { mark: 'fixed' });
    const exported = (await get('/api/households/h2/export', heron)).json();
    expect(exported.leakMarks).toMatchObject([{ episodeStart: '2026-03-01T00:00:00.000Z', mark: 'fixed' }]);
    const erased = await fixture.app.inject({
      method: 'DELETE',
      url: '/api/households/h2',
      headers: bearer(heron),
      payload: { confirm: 'Heron' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().removed.leakMarks).toBe(1);
    expect(await leakMarksOf(fixture.db, ['h2'])).toStrictEqual([]);
  });
});
