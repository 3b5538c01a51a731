// Utility aggregates under the 15/15 rule, with hand-checkable numbers: 16 research households
// on Elm Street using 10 L/h (240 L/day, 2 people each → 120 L per person per day); Oak Road
// has 3 research households (too few); one challenge-only household is never counted.
// differencing.test.ts mounts the attacks on published figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Consent, insertHousehold } from '../../../storage/metadata/repositories/households.ts';
import { insertMeters } from '../../../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood, insertStreets } from '../../../storage/metadata/repositories/neighbourhoods.ts';
import { markTouchedDaysDirty } from '../../../storage/metadata/rollups.ts';
import { buildApp } from '../../app.ts';
import { COMPLEMENTARY } from '../../services/aggregates.ts';
import { LOOSER_RULE } from '../../services/published-aggregates.ts';
import { bearer, type Caller, callerWithToken, testApp } from '../../testing/fixtures.ts';
import { writeSteadyWater } from '../../testing/readings.ts';

describe('utility aggregates', () => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let utility: Caller;

  beforeAll(async () => {
    fixture = await testApp('pglite', { now: () => Date.parse('2026-03-10T12:00:00Z') });
    const { db, store } = fixture;
    await insertNeighbourhood(db, { id: 'n1', name: 'Riverside' });
    await insertStreets(db, [
      { id: 'elm', neighbourhoodId: 'n1', name: 'Elm Street' },
      { id: 'oak', neighbourhoodId: 'n1', name: 'Oak Road' },
    ]);
    const households: [string, string, Consent][] = [
      ...Array.from({ length: 16 }, (_, i) => [`e${i}`, 'elm', 'research'] as [string, string, Consent]),
      ...Array.from({ length: 3 }, (_, i) => [`o${i}`, 'oak', 'research'] as [string, string, Consent]),
      ['quiet', 'elm', 'challenge'],
    ];
    for (const [id, street, consent] of households) {
      await insertHousehold(db, { id, streetId: street, alias: id, occupants: 2, consent });
      await insertMeters(db, [{ id: `${id}-w`, householdId: id, kind: 'water' }]);
      // The quiet household uses a lot: were it counted, Elm Street's total would change.
      await writeSteadyWater(
        store,
        { meterId: `${id}-w`, household: id, street, neighbourhood: 'n1' },
        '2026-03-01T00:00:00Z',
        '2026-03-05T00:00:00Z',
        id === 'quiet' ? 1000 : 10,
      );
    }
    utility = await callerWithToken(db, 'utility', 'utility', { neighbourhoodId: 'n1' });
  });
  afterAll(async () => fixture?.close());

  it('gives figures over research households only, and withholds those under 15 households', async () => {
    const response = await fixture.app.inject({
      method: 'GET',
      url: '/api/neighbourhoods/n1/aggregates?from=2026-03-01&to=2026-03-03',
      headers: bearer(utility),
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.rule).toStrictEqual({ minHouseholds: 15, maxShare: 0.15 });
    const elm = body.groups.find((g: { group: string }) => g.group === 'Elm Street');
    const oak = body.groups.find((g: { group: string }) => g.group === 'Oak Road');
    // Withheld figures carry no numbers. Elm Street alone passes, but the neighbourhood minus it
    // would be Oak Road's three homes: it is withheld too (complementary suppression).
    expect(oak.days[0]).toStrictEqual({
      date: '2026-03-01',
      households: null,
      total: null,
      perPersonPerDay: null,
      withheld: 'fewer than 15 households',
      withheldReason: 'too_few_households',
    });
    expect(elm.days.map((d: { withheld: string }) => d.withheld)).toStrictEqual(Array(3).fill(COMPLEMENTARY));
    const neighbourhood = (
      await fixture.app.inject({
        method: 'GET',
        url: '/api/neighbourhoods/n1/aggregates?from=2026-03-01&to=2026-03-03&by=neighbourhood',
        headers: bearer(utility),
      })
    ).json();
    expect(
      neighbourhood.groups[0].days.map((d: { date: string; households: number; total: number; perPersonPerDay: number }) => [
        d.date,
        d.households,
        Math.round(d.total),
        Math.round(d.perPersonPerDay),
      ]),
    ).toStrictEqual([
      ['2026-03-01', 19, 4560, 120],
      ['2026-03-02', 19, 4560, 120],
      ['2026-03-03', 19, 4560, 120],
    ]);
  });

  it('withholds a figure where one household is above 15% of it', async () => {
    const { store } = fixture;
    // e0 uses 100 L/h on 4 March (a day not yet published): 2400 of 2400 + 18 × 240 = 6720 → 36%.
    await writeSteadyWater(
      store,
      { meterId: 'e0-w', household: 'e0', street: 'elm', neighbourhood: 'n1' },
      '2026-03-04T00:00:00Z',
      '2026-03-05T00:00:00Z',
      100,
      720,
    );
    // What ingest does after writing late readings: mark the days they change as dirty.
    await markTouchedDaysDirty(
      fixture.db,
      [{ household: 'e0', kind: 'water', from: Date.parse('2026-03-04T00:00:00Z'), to: Date.parse('2026-03-05T00:00:00Z') }],
      Date.parse('2026-03-10T12:00:00Z'),
    );
    fixture.app.ontap.dailyUse.forget();
    const body = (
      await fixture.app.inject({
        method: 'GET',
        url: '/api/neighbourhoods/n1/aggregates?from=2026-03-04&to=2026-03-04&by=neighbourhood',
        headers: bearer(utility),
      })
    ).json();
    expect(body.groups[0].days[0]).toStrictEqual({
      date: '2026-03-04',
      households: null,
      total: null,
      perPersonPerDay: null,
      withheld: 'one household is above 15% of the total',
      withheldReason: 'dominant_household',
    });
  });

  it('withholds days published under a looser rule once a stricter one is in force, rather than decide them again', async () => {
    const stricter = await buildApp({
      db: fixture.db,
      store: fixture.store,
      now: () => Date.parse('2026-03-10T12:00:00Z'),
      settings: { aggregateMinHouseholds: 20 },
      dashboard: false,
    });
    try {
      const body = (
        await stricter.inject({
          method: 'GET',
          url: '/api/neighbourhoods/n1/aggregates?from=2026-03-01&to=2026-03-01&by=neighbourhood',
          headers: bearer(utility),
        })
      ).json();
      expect(body.rule).toStrictEqual({ minHouseholds: 20, maxShare: 0.15 });
      expect(body.groups[0].days[0]).toStrictEqual({
        date: '2026-03-01',
        households: null,
        total: null,
        perPersonPerDay: null,
        withheld: LOOSER_RULE,
        withheldReason: 'looser_rule',
      });
    } finally {
      await stricter.close();
    }
  });
});
