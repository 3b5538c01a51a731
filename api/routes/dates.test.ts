// Attack: extreme and inverted dates on every route that takes a date. Each must be a 400 that
// says which field is wrong, never a 500, and must create nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengeIds } from '../../storage/metadata/repositories/challenges.ts';
import { bearer, type Caller, callerWithToken, databaseKinds, seedNeighbourhoods, testApp } from '../testing/fixtures.ts';

const NOW = Date.parse('2026-03-05T12:30:00Z');

describe.each(databaseKinds)('dates out of range on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let household: Caller;
  let champion: Caller;
  let utility: Caller;

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW, rateLimits: false });
    await seedNeighbourhoods(fixture.db);
    household = await callerWithToken(fixture.db, 'swift', 'household', { householdId: 'h1' });
    champion = await callerWithToken(fixture.db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    utility = await callerWithToken(fixture.db, 'utility', 'utility', { neighbourhoodId: 'n1' });
  });
  afterAll(async () => fixture?.close());

  const extremes = [
    ['0001-01-01', '0001-01-31'],
    ['9999-12-01', '9999-12-31'],
    ['1969-12-31', '1970-01-02'],
    ['2026-03-01', '9999-12-31'],
    ['0001-01-01', '2026-03-01'],
  ] as const;

  it.each(extremes)('refuses usage from %s to %s with a 400 naming the date', async (from, to) => {
    for (const granularity of ['hour', 'day', 'week']) {
      const response = await fixture.app.inject({
        method: 'GET',
        url: `/api/households/h1/usage?from=${from}&to=${to}&granularity=${granularity}`,
        headers: bearer(household),
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().message).toMatch(/querystring\.(from|to)/);
    }
  });

  it.each(extremes)('refuses utility aggregates from %s to %s with a 400 naming the date', async (from, to) => {
    const response = await fixture.app.inject({
      method: 'GET',
      url: `/api/neighbourhoods/n1/aggregates?from=${from}&to=${to}`,
      headers: bearer(utility),
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toMatch(/querystring\.(from|to)/);
  });

  it('refuses inverted usage and aggregate windows', async () => {
    const usage = await fixture.app.inject({
      method: 'GET',
      url: '/api/households/h1/usage?from=2026-03-05&to=2026-03-01',
      headers: bearer(household),
    });
    expect(usage.statusCode).toBe(400);
    expect(usage.json().message).toMatch(/querystring\.to/);
    const aggregates = await fixture.app.inject({
      method: 'GET',
      url: '/api/neighbourhoods/n1/aggregates?from=2026-03-05&to=2026-03-01',
      headers: bearer(utility),
    });
    expect(aggregates.statusCode).toBe(400);
  });

  const challenges: [string, Record<string, string>, RegExp][] = [
    ['a start in year 1', { startsOn: '0001-01-01' }, /body\.startsOn/],
    ['a start in year 9999', { startsOn: '9999-12-31' }, /body\.startsOn/],
    ['a start on the last day allowed (its end would pass 2100)', { startsOn: '2100-12-31' }, /body\.endsOn/],
    ['an end in year 9999', { startsOn: '2026-04-06', endsOn: '9999-12-31' }, /body\.endsOn/],
    ['a baseline from year 1', { startsOn: '2026-04-06', baselineFrom: '0001-01-01' }, /body\.baselineFrom/],
    ['a century-long challenge', { startsOn: '2001-01-01', endsOn: '2100-12-31' }, /body\.endsOn/],
    ['a century-long baseline', { startsOn: '2100-01-01', baselineFrom: '2000-01-01' }, /body\.baselineFrom/],
    ['an end before the start', { startsOn: '2026-04-06', endsOn: '2026-04-01' }, /body\.endsOn/],
    [
      'a baseline after the start',
      { startsOn: '2026-04-06', baselineFrom: '2026-04-10', baselineTo: '2026-04-20' },
      /body\.baseline/,
    ],
    [
      'a baseline ending before it begins',
      { startsOn: '2026-04-06', baselineFrom: '2026-03-20', baselineTo: '2026-03-01' },
      /body\.baseline/,
    ],
  ];

  it.each(challenges)('refuses a challenge with %s, and creates nothing', async (_name, dates, field) => {
    const before = await challengeIds(fixture.db);
    const response = await fixture.app.inject({
      method: 'POST',
      url: '/api/neighbourhoods/n1/challenges',
      headers: bearer(champion),
      payload: { template: 'personal_best', ...dates },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toMatch(field);
    expect(await challengeIds(fixture.db)).toStrictEqual(before);
  });

  it('still takes ordinary dates', async () => {
    const usage = await fixture.app.inject({
      method: 'GET',
      url: '/api/households/h1/usage?from=2026-03-01&to=2026-03-03',
      headers: bearer(household),
    });
    expect(usage.statusCode, usage.body).toBe(200);
    const created = await fixture.app.inject({
      method: 'POST',
      url: '/api/neighbourhoods/n1/challenges',
      headers: bearer(champion),
      payload: { template: 'personal_best', startsOn: '2026-04-06' },
    });
    expect(created.statusCode, created.body).toBe(201);
  });
});
