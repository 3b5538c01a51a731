// A utility partner differencing published aggregates, through the API on a real database: over
// time (a household leaves research, a late meter's backlog, an erasure, a move, then the same past
// days asked for again) and across groupings (the neighbourhood minus the shown streets).
// Numbers by hand: Riverside as api/testing/riverside.ts sets it up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveHousehold } from '../../../storage/metadata/repositories/households.ts';
import { insertMeters } from '../../../storage/metadata/repositories/meters.ts';
import { markTouchedDaysDirty } from '../../../storage/metadata/rollups.ts';
import { COMPLEMENTARY } from '../../services/aggregates.ts';
import { bearer, type Caller, callerWithToken, databaseKinds, testApp } from '../../testing/fixtures.ts';
import { writeSteadyWater } from '../../testing/readings.ts';
import { seedRiverside } from '../../testing/riverside.ts';

const NOW = Date.parse('2026-03-12T12:00:00Z');
/** Research households with data on each street on 1–9 March, as they were when first asked for. */
const RESEARCH_AT_PUBLICATION: Record<string, number> = { 'Elm Street': 17, 'Ash Grove': 16, 'Oak Road': 3 };

interface Day {
  date: string;
  households: number | null;
  total: number | null;
  perPersonPerDay: number | null;
  withheld: string | null;
}
interface Aggregates {
  groups: { group: string; days: Day[] }[];
}

describe.each(databaseKinds)('differencing utility aggregates on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let utility: Caller;
  const households: Record<string, Caller> = {};
  let neighbourhoodBefore: Aggregates;

  const aggregates = async (by: 'street' | 'neighbourhood', from: string, to: string): Promise<Aggregates> => {
    const response = await fixture.app.inject({
      method: 'GET',
      url: `/api/neighbourhoods/n1/aggregates?from=${from}&to=${to}&by=${by}`,
      headers: bearer(utility),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const neighbourhoodOf = (body: Aggregates) => body.groups.find((g) => g.group === 'neighbourhood')?.days ?? [];

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW });
    const { db, store } = fixture;
    await seedRiverside(db, store);
    utility = await callerWithToken(db, 'utility', 'utility', { neighbourhoodId: 'n1' });
    for (const id of ['x', 'y', 'o0']) households[id] = await callerWithToken(db, id, 'household', { householdId: id });
    neighbourhoodBefore = await aggregates('neighbourhood', '2026-03-01', '2026-03-09');
  });
  afterAll(async () => fixture?.close());

  it('serves past days unchanged after a household leaves research, a late meter, an erasure and a move', async () => {
    const { app, db, store } = fixture;
    expect(neighbourhoodOf(neighbourhoodBefore).map((d) => [d.date, d.households, d.total, d.perPersonPerDay])).toStrictEqual(
      Array.from({ length: 9 }, (_, i) => [`2026-03-0${i + 1}`, 36, 8712, 121]),
    );

    // Swift goes private: the attack of the issue.
    const goesPrivate = await app.inject({
      method: 'PUT',
      url: '/api/households/x/consent',
      headers: bearer(households.x as Caller),
      payload: { consent: 'private' },
    });
    expect(goesPrivate.statusCode, goesPrivate.body).toBe(200);
    // The attacker's sum: yesterday's figure minus today's for each past day. Before snapshots it
    // was Swift's 312 L on 9 of 9 days.
    const differences = (body: Aggregates) =>
      neighbourhoodOf(neighbourhoodBefore).map((day, i) => (day.total ?? 0) - (neighbourhoodOf(body)[i]?.total ?? 0));
    expect(differences(await aggregates('neighbourhood', '2026-03-01', '2026-03-09'))).toStrictEqual(Array(9).fill(0));

    // Wren agrees to research now: that does not reach back to days already past.
    const joinsResearch = await app.inject({
      method: 'PUT',
      url: '/api/households/y/consent',
      headers: bearer(households.y as Caller),
      payload: { consent: 'research' },
    });
    expect(joinsResearch.statusCode, joinsResearch.body).toBe(200);
    // a0 gets a second meter whose backlog covers every past day (5 L/h): what ingest does after
    // writing late readings is mark the days they change.
    await insertMeters(db, [{ id: 'a0-w2', householdId: 'a0', kind: 'water' }]);
    await writeSteadyWater(
      store,
      { meterId: 'a0-w2', household: 'a0', street: 'ash', neighbourhood: 'n1' },
      '2026-03-01T00:00:00Z',
      '2026-03-12T00:00:00Z',
      5,
    );
    await markTouchedDaysDirty(
      db,
      [{ household: 'a0', kind: 'water', from: Date.parse('2026-03-01T00:00:00Z'), to: Date.parse('2026-03-12T00:00:00Z') }],
      NOW,
    );
    // o0 erases itself; e15 moves to Oak Road.
    const erased = await app.inject({
      method: 'DELETE',
      url: '/api/households/o0',
      headers: bearer(households.o0 as Caller),
      payload: { confirm: 'o0' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    await moveHousehold(db, 'e15', 'oak');
    app.ontap.dailyUse.forget();

    const after = await aggregates('neighbourhood', '2026-03-01', '2026-03-09');
    expect(differences(after)).toStrictEqual(Array(9).fill(0));
    expect(after).toStrictEqual(neighbourhoodBefore);
  });

  it('withholds streets so that the neighbourhood minus the shown streets covers at least 15 households', async () => {
    // Asked for after everything above changed, and by street where the neighbourhood came first:
    // both groupings of a day were decided together.
    const byStreet = await aggregates('street', '2026-03-01', '2026-03-09');
    const neighbourhood = neighbourhoodOf(neighbourhoodBefore);
    for (const [i, day] of neighbourhood.entries()) {
      const streets = byStreet.groups.map((g) => ({ name: g.group, day: g.days[i] as Day }));
      const shown = streets.filter((s) => s.day.withheld === null);
      const withheldStreets = streets.filter((s) => s.day.withheld !== null).map((s) => s.name);
      // The attack: neighbourhood − shown streets = what the withheld streets used together.
      const remainder = (day.total as number) - shown.reduce((sum, s) => sum + (s.day.total as number), 0);
      const behindRemainder = withheldStreets.reduce((sum, name) => sum + (RESEARCH_AT_PUBLICATION[name] ?? 0), 0);
      expect(behindRemainder, `${day.date}: ${remainder} L over ${withheldStreets.join(' and ')}`).toBeGreaterThanOrEqual(15);
    }
    // Elm Street (17 homes, 16 × 240 + 312 = 4152) is shown; Oak Road (3) is withheld, and so is
    // Ash Grove (16, the smaller of the two), leaving 8712 − 4152 = 4560 L over 19 homes.
    expect(byStreet.groups.map((g) => [g.group, g.days[0]?.households, g.days[0]?.total, g.days[0]?.withheld])).toStrictEqual([
      ['Ash Grove', null, null, COMPLEMENTARY],
      ['Elm Street', 17, 4152, null],
      ['Oak Road', null, null, 'fewer than 15 households'],
    ]);
  });

  it('decides a day first asked for now by the consent in force on it and today', async () => {
    // 10 March: Swift is private now, Wren was not research then, o0 is erased, e15 lives on Oak
    // Road. Elm 15, Ash 16 (a0 with its second meter: 240 + 120), Oak 3: Oak alone would be the
    // remainder, so Elm (the smaller shown street) is withheld too. 33 × 240 + 360 = 8280.
    const byStreet = await aggregates('street', '2026-03-10', '2026-03-10');
    expect(byStreet.groups.map((g) => [g.group, g.days[0]?.households, g.days[0]?.total, g.days[0]?.withheld])).toStrictEqual([
      ['Ash Grove', 16, 15 * 240 + 360, null],
      ['Elm Street', null, null, COMPLEMENTARY],
      ['Oak Road', null, null, 'fewer than 15 households'],
    ]);
    const neighbourhood = neighbourhoodOf(await aggregates('neighbourhood', '2026-03-10', '2026-03-10'));
    expect(neighbourhood).toStrictEqual([
      {
        date: '2026-03-10',
        households: 34,
        total: 33 * 240 + 360,
        perPersonPerDay: (33 * 240 + 360) / 68,
        withheld: null,
        withheldReason: null,
      },
    ]);
  });
});
