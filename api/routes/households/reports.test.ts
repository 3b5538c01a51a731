// The monthly water report over the API, against real stores; numbers worked out by hand.
//
// Now is Tuesday 10 March 2026, 12:00 GMT (London is on GMT: local = UTC). A comparison needs 5
// similar homes here (ONTAP_AGGREGATE_MIN_HOUSEHOLDS).
// - Swift (h1, 2 people, research) reads from 1 January: 10 L/h (240 L a day) in January, 12.5 L/h
//   (300 L a day, 150 a person) from 1 February on. Its usual for February (the 28 days ending 7
//   before 1 February: 29 December … 25 January) has 25 days with data, of 240 L: 240. Steady use
//   puts 4 of 24 hours' use at night (1/6 ≈ 0.167): the leak's tip, and showers' (150 > 110 L).
// - Its similar homes (2 people, research) in February: s1…s5 at 8, 9, 10, 11, 14 L/h: 192, 216,
//   240, 264, 336 L a day. Median (rank ⌈2.5⌉ = 3): 240; 20th percentile (rank 1): 192 → 190.
//   Swift's 300 is above: 'above'.
// - Not similar homes, each of which would move those figures were it counted: p1 (private), c2
//   (challenge only) and s6 (research only from 15 February: consent does not reach back), each
//   at 1 L/h (24 L a day: the median would be rank 4 of 8 = 192); r4 (4 people, research).
// - Heron (h2, 4 people) reads from 1 February at 20 L/h (480 L a day): its only similar home is r4.
// - Swift pledged in Spring (9 February – 8 March); a cancelled challenge's and a June one's
//   pledges are not February's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChallenge, updateChallenge } from '../../../storage/metadata/repositories/challenges.ts';
import { insertConsentChange, insertHouseholds, setConsent } from '../../../storage/metadata/repositories/households.ts';
import { insertMemberships, setPledges } from '../../../storage/metadata/repositories/memberships.ts';
import { insertMeters } from '../../../storage/metadata/repositories/meters.ts';
import { buildApp } from '../../app.ts';
import {
  bearer,
  type Caller,
  callerWithToken,
  databaseKinds,
  personalBest,
  seedNeighbourhoods,
  testApp,
} from '../../testing/fixtures.ts';
import { pdfText } from '../../testing/pdf.ts';
import { writeSteadyWater } from '../../testing/readings.ts';
import { swiftFebruary } from '../../testing/reports.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const FEBRUARY = ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'] as const;
const place = (household: string, street = 'oak') => ({ meterId: `${household}-w`, household, street, neighbourhood: 'n1' });

/** Homes of n1 besides the fixture's, with their consent, people and February use (L/h). */
const others = [
  { id: 's1', consent: 'research', occupants: 2, litresPerHour: 8 },
  { id: 's2', consent: 'research', occupants: 2, litresPerHour: 9 },
  { id: 's3', consent: 'research', occupants: 2, litresPerHour: 10 },
  { id: 's4', consent: 'research', occupants: 2, litresPerHour: 11 },
  { id: 's5', consent: 'research', occupants: 2, litresPerHour: 14 },
  { id: 'p1', consent: 'private', occupants: 2, litresPerHour: 1 },
  { id: 'c2', consent: 'challenge', occupants: 2, litresPerHour: 1 },
  { id: 's6', consent: 'research', occupants: 2, litresPerHour: 1 },
  { id: 'r4', consent: 'research', occupants: 4, litresPerHour: 2 },
] as const;

describe.each(databaseKinds)('the monthly water report on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let swift: Caller;
  let heron: Caller;
  let otter: Caller;
  let admin: Caller;

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW, rateLimits: false, settings: { aggregateMinHouseholds: 5 } });
    const { db, store } = fixture;
    await seedNeighbourhoods(db);
    await setConsent(db, ['h1'], 'research');
    await insertHouseholds(
      db,
      others.map(({ id, consent, occupants }) => ({ id, streetId: 'oak', alias: `Home ${id}`, occupants, consent })),
    );
    await insertMeters(
      db,
      others.map(({ id }) => ({ id: `${id}-w`, householdId: id, kind: 'water' as const })),
    );
    await insertConsentChange(db, { householdId: 's6', consent: 'research', changedAt: new Date('2026-02-15T09:00:00Z') });
    swift = await callerWithToken(db, 'swift', 'household', { householdId: 'h1' });
    heron = await callerWithToken(db, 'heron', 'household', { householdId: 'h2' });
    otter = await callerWithToken(db, 'otter', 'household', { householdId: 'h3' });
    admin = await callerWithToken(db, 'admin', 'admin');

    const register = await writeSteadyWater(store, place('h1', 'elm'), '2026-01-01T00:00:00Z', FEBRUARY[0], 10);
    await writeSteadyWater(store, place('h1', 'elm'), FEBRUARY[0], new Date(NOW).toISOString(), 12.5, register);
    await writeSteadyWater(store, place('h2', 'elm'), FEBRUARY[0], FEBRUARY[1], 20);
    for (const home of others) await writeSteadyWater(store, place(home.id), FEBRUARY[0], FEBRUARY[1], home.litresPerHour);

    const challenges = [
      {
        ...personalBest('spring', 'n1', 'Spring', '2026-02-09', '2026-03-08'),
        baselineFrom: '2026-01-12',
        baselineTo: '2026-02-08',
      },
      personalBest('called-off', 'n1', 'Called off', '2026-02-16', '2026-03-15'),
      personalBest('june', 'n1', 'June', '2026-06-01', '2026-06-28'),
    ];
    for (const challenge of challenges) {
      await insertChallenge(db, challenge);
      await insertMemberships(db, challenge.id, ['h1']);
    }
    await setPledges(db, 'spring', 'h1', ['shorter_showers', 'water_butt']);
    await setPledges(db, 'called-off', 'h1', ['fix_drips']);
    await setPledges(db, 'june', 'h1', ['full_loads']);
    const { name, startsOn, endsOn, baselineFrom, baselineTo } = challenges[1] as (typeof challenges)[1];
    await updateChallenge(db, 'called-off', {
      name,
      startsOn,
      endsOn,
      baselineFrom,
      baselineTo,
      targetSaving: null,
      lifecycle: 'cancelled',
    });
  });
  afterAll(async () => fixture?.close());

  const get = (url: string, caller: Caller = swift) => fixture.app.inject({ method: 'GET', url, headers: bearer(caller) });

  it('sets a month that is over against the usual and the similar homes, with the cue, pledges and tips', async () => {
    const response = await get('/api/households/h1/reports/2026-02');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toStrictEqual(swiftFebruary);
  });

  it('counts the current month up to yesterday, against the baseline of the challenge running on its first day', async () => {
    // 1–9 March at 300 L. Spring runs on 1 March: its baseline, 12 January – 8 February, is 20 days
    // of 240 and 8 of 300: 7200 / 28 = 257.14…; 300 / 257.14… − 1 = 1/6. The similar homes have no
    // March readings: no comparison, so no cue.
    const report = (await get('/api/households/h1/reports/2026-03')).json();
    expect(report).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-09',
      complete: false,
      days: 9,
      daysWithData: 9,
      litresPerDay: 300,
      baseline: {
        from: '2026-01-12',
        to: '2026-02-08',
        basis: 'challenge',
        challenge: 'Spring',
        litresPerDay: 257,
        change: 0.167,
      },
      similarHomes: { shown: false, typical: null, efficient: null },
      cue: null,
      pledges: [{ challenge: 'Spring', pledges: ['shorter_showers', 'water_butt'] }],
    });
  });

  it('gives no comparison from fewer similar homes than the threshold, and says how many it needs', async () => {
    const report = (await get('/api/households/h2/reports/2026-02', heron)).json();
    expect(report).toMatchObject({
      firstMonth: '2026-02',
      litresPerDay: 480,
      litresPerPersonPerDay: 120,
      baseline: { litresPerDay: null, change: null },
      similarHomes: { occupants: 4, minimumHomes: 5, shown: false, typical: null, efficient: null },
      cue: null,
      pledges: [],
    });
  });

  it('never counts the household in its own comparison', async () => {
    // With 6 needed, Swift's 5 similar homes are too few; counting Swift itself (research) would make 6.
    const strict = await buildApp({
      db: fixture.db,
      store: fixture.store,
      now: () => NOW,
      dashboard: false,
      settings: { aggregateMinHouseholds: 6 },
    });
    try {
      const response = await strict.inject({ method: 'GET', url: '/api/households/h1/reports/2026-02', headers: bearer(swift) });
      expect(response.json().similarHomes).toStrictEqual({
        occupants: 2,
        minimumHomes: 6,
        shown: false,
        typical: null,
        efficient: null,
      });
    } finally {
      await strict.close();
    }
  });

  it('is a PDF to download, whose text holds the figures', async () => {
    const response = await get('/api/households/h1/reports/2026-02.pdf');
    expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('attachment; filename="ontap-report-2026-02.pdf"');
    const pdf = response.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const words of [
      'Your water report for February 2026',
      'For Swift',
      '300 litres a day',
      '25% more than your usual 240 litres a day.',
      'Typical similar home 240',
      'Efficient similar home 190',
      'More than typical',
      'In Spring: Shorter showers (5 minutes); Water the garden from a water butt.',
      '1. Check for a leak: 16.7% of your water ran between 1 and 5 at night',
    ])
      expect(text).toContain(words);
  });

  it('refuses months that have not begun or come before the first reading, and homes with no reading', async () => {
    for (const [url, caller, status, reason] of [
      ['/api/households/h1/reports/2026-04', swift, 400, 'month_in_future'],
      ['/api/households/h1/reports/2100-12.pdf', swift, 400, 'month_in_future'],
      ['/api/households/h1/reports/2025-12', swift, 404, 'before_first_reading'],
      ['/api/households/h2/reports/2026-01.pdf', heron, 404, 'before_first_reading'],
      ['/api/households/h3/reports/2026-03', otter, 404, 'no_readings'],
      ['/api/households/nobody/reports/2026-02', admin, 404, 'household_unknown'],
    ] as const) {
      const response = await get(url, caller);
      expect([response.statusCode, response.json().reason], url).toStrictEqual([status, reason]);
    }
    // An admin may read any household's.
    expect((await get('/api/households/h1/reports/2026-02', admin)).json().litresPerDay).toBe(300);
  });

  it('refuses a month not written YYYY-MM from 2000-01 to 2100-12, in JSON', async () => {
    const hostile = [
      '2026-13',
      '2026-00',
      '2026-1',
      '26-01',
      '2026-02-01',
      encodeURIComponent('２０２６-０２'),
      '1999-12',
      '2101-01',
      'abcd',
      encodeURIComponent("2026-02' OR '1'='1"),
      encodeURIComponent('../2026-02'),
      '2026-02.pdf.pdf',
      '2026-02%00',
    ];
    for (const month of hostile) {
      for (const url of [`/api/households/h1/reports/${month}`, `/api/households/h1/reports/${month}.pdf`]) {
        const response = await get(url);
        expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.json()).toMatchObject({ error: 'bad_request', fields: [{ in: 'params', field: 'month' }] });
      }
    }
  });

  it('answers a month too long for any route with a 404 in JSON', async () => {
    // Fastify matches no route on a parameter over 100 characters.
    const response = await get(`/api/households/h1/reports/${'9'.repeat(500)}-01`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'not_found' });
  });

  it("keeps another household's report from it, as JSON and as PDF", async () => {
    for (const url of ['/api/households/h1/reports/2026-02', '/api/households/h1/reports/2026-02.pdf']) {
      const response = await get(url, heron);
      expect(response.statusCode).toBe(403);
      expect(response.body).not.toContain('300');
    }
    expect((await get('/api/households/h1/reports/2026-02')).statusCode).toBe(200);
    expect((await fixture.app.inject({ method: 'GET', url: '/api/households/h1/reports/2026-02' })).statusCode).toBe(401);
  });
});
