// A champion's roster of its neighbourhood's households, as consent allows. "Now" is 5 March 2026,
// 12:00 in London.
//   Elm Street: Swift (h1: water read 1 h ago, electricity 30 h ago; in Spring, invited to April
//               with its street), Heron (h2: read 23 h 59 min ago; joined April), Shrew (h6,
//               research, no meter; invited to April), Vole (h5, private, invited to April).
//   Oak Road:   Otter (h3: never read; invited to Spring by itself), Mole (h4, private: read 1 h
//               ago, in Spring).
//   Winter (February) has ended: Swift's membership and Oak Road's invitation to it are not shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChallenge, inviteToChallenge } from '../../../storage/metadata/repositories/challenges.ts';
import { insertHouseholds } from '../../../storage/metadata/repositories/households.ts';
import { insertMemberships } from '../../../storage/metadata/repositories/memberships.ts';
import { insertMeters } from '../../../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood } from '../../../storage/metadata/repositories/neighbourhoods.ts';
import {
  bearer,
  type Caller,
  callerWithToken,
  databaseKinds,
  personalBest,
  seedNeighbourhoods,
  testApp,
} from '../../testing/fixtures.ts';

const NOW = Date.parse('2026-03-05T12:00:00Z');
const H = 3_600_000;

describe.each(databaseKinds)("a champion's roster on %s", (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  const callers: Record<string, Caller> = {};

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW, rateLimits: false });
    const { db, store } = fixture;
    await seedNeighbourhoods(db);
    await insertNeighbourhood(db, { id: 'n3', name: 'Empty', timeZone: 'Europe/London' });
    await insertHouseholds(db, [
      { id: 'h4', streetId: 'oak', alias: 'Mole', occupants: 6, consent: 'private' },
      { id: 'h5', streetId: 'elm', alias: 'Vole', consent: 'private' },
      { id: 'h6', streetId: 'elm', alias: 'Shrew', occupants: 5, consent: 'research' },
    ]);
    await insertMeters(db, [
      { id: 'h1-e', householdId: 'h1', kind: 'electricity' },
      { id: 'h4-w', householdId: 'h4', kind: 'water' },
    ]);
    const reading = (meterId: string, household: string, street: string, kind: 'water' | 'electricity', ago: number) => ({
      meterId,
      kind,
      household,
      street,
      neighbourhood: 'n1',
      ts: NOW - ago,
      register: 1000,
    });
    await store.writeReadings([
      reading('h1-w', 'h1', 'elm', 'water', H),
      reading('h1-e', 'h1', 'elm', 'electricity', 30 * H),
      reading('h2-w', 'h2', 'elm', 'water', 24 * H - 60_000),
      reading('h4-w', 'h4', 'oak', 'water', H),
    ]);
    for (const c of [
      personalBest('spring', 'n1', 'Spring', '2026-03-01', '2026-03-28'),
      personalBest('april', 'n1', 'April', '2026-04-01', '2026-04-28'),
      personalBest('winter', 'n1', 'Winter', '2026-02-01', '2026-02-28'),
      personalBest('far', 'n2', 'Far Away', '2026-03-01', '2026-03-28'),
    ])
      await insertChallenge(db, c);
    await inviteToChallenge(db, { id: 'april', neighbourhoodId: 'n1' }, { streetIds: ['elm'] });
    await inviteToChallenge(db, { id: 'spring', neighbourhoodId: 'n1' }, { householdIds: ['h3'] });
    await inviteToChallenge(db, { id: 'winter', neighbourhoodId: 'n1' }, { streetIds: ['oak'] });
    await inviteToChallenge(db, { id: 'far', neighbourhoodId: 'n2' }, { streetIds: ['far'] });
    await insertMemberships(db, 'spring', ['h1', 'h4']);
    await insertMemberships(db, 'winter', ['h1']);
    await insertMemberships(db, 'april', ['h2']);
    callers.champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    callers.farChampion = await callerWithToken(db, 'far-champion', 'champion', { neighbourhoodId: 'n2' });
    callers.utility = await callerWithToken(db, 'utility', 'utility', { neighbourhoodId: 'n1' });
    callers.swift = await callerWithToken(db, 'swift', 'household', { householdId: 'h1' });
    callers.admin = await callerWithToken(db, 'admin', 'admin');
  });
  afterAll(async () => fixture?.close());

  const get = (neighbourhoodId: string, caller: string) =>
    fixture.app.inject({
      method: 'GET',
      url: `/api/neighbourhoods/${neighbourhoodId}/households`,
      headers: bearer(callers[caller] as Caller),
    });
  const roster = async (neighbourhoodId: string, caller: string) => {
    const response = await get(neighbourhoodId, caller);
    expect(response.statusCode, response.body).toBe(200);
    return response;
  };

  it('lists the households that are not private by street and alias, with their challenges, invitations and meters', async () => {
    const response = await roster('n1', 'champion');
    expect(response.json()).toStrictEqual({
      households: [
        {
          householdId: 'h2',
          alias: 'Heron',
          street: 'Elm Street',
          streetId: 'elm',
          challenges: [{ challengeId: 'april', name: 'April' }],
          meters: 1,
          metersReading: 1,
          invitedTo: [],
        },
        {
          householdId: 'h6',
          alias: 'Shrew',
          street: 'Elm Street',
          streetId: 'elm',
          challenges: [],
          meters: 0,
          metersReading: 0,
          invitedTo: [{ challengeId: 'april', name: 'April' }],
        },
        {
          householdId: 'h1',
          alias: 'Swift',
          street: 'Elm Street',
          streetId: 'elm',
          challenges: [{ challengeId: 'spring', name: 'Spring' }],
          meters: 2,
          metersReading: 1,
          invitedTo: [{ challengeId: 'april', name: 'April' }],
        },
        {
          householdId: 'h3',
          alias: 'Otter',
          street: 'Oak Road',
          streetId: 'oak',
          challenges: [],
          meters: 1,
          metersReading: 0,
          invitedTo: [{ challengeId: 'spring', name: 'Spring' }],
        },
      ],
      privateByStreet: [
        { street: 'Elm Street', streetId: 'elm', households: 1 },
        { street: 'Oak Road', streetId: 'oak', households: 1 },
      ],
    });
    // Nothing of a private household but its count on its street; no meter id, email, occupants or use.
    expect(response.body).not.toMatch(/Mole|Vole|h4|h5|h\d-[we]|@|occupants|consent|register|1000|research/i);
    expect((await roster('n1', 'admin')).json()).toStrictEqual(response.json());
  });

  it('leaves a household out as soon as it turns private, counting it on its street', async () => {
    const changed = await fixture.app.inject({
      method: 'PUT',
      url: '/api/households/h1/consent',
      headers: bearer(callers.swift as Caller),
      payload: { consent: 'private' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const response = await roster('n1', 'champion');
    const body = response.json();
    expect(body.households.map((h: { alias: string }) => h.alias)).toStrictEqual(['Heron', 'Shrew', 'Otter']);
    expect(body.privateByStreet).toStrictEqual([
      { street: 'Elm Street', streetId: 'elm', households: 2 },
      { street: 'Oak Road', streetId: 'oak', households: 1 },
    ]);
    expect(response.body).not.toMatch(/Swift|h1|Mole|Vole/);
  });

  it("answers only the neighbourhood's champion and admins", async () => {
    const far = await get('n1', 'farChampion');
    expect(far.statusCode).toBe(403);
    expect(far.json()).toMatchObject({ reason: 'not_your_neighbourhood' });
    expect(far.body).not.toMatch(/Heron|Otter|Elm/);
    expect((await get('n2', 'champion')).json()).toMatchObject({ reason: 'not_your_neighbourhood' });
    expect((await roster('n2', 'farChampion')).json()).toStrictEqual({
      households: [
        {
          householdId: 'h9',
          alias: 'Badger',
          street: 'Far Lane',
          streetId: 'far',
          challenges: [],
          meters: 1,
          metersReading: 0,
          invitedTo: [{ challengeId: 'far', name: 'Far Away' }],
        },
      ],
      privateByStreet: [],
    });
    for (const [caller, reason] of [
      ['utility', 'wrong_role'],
      ['swift', 'wrong_role'],
    ] as const) {
      const refused = await get('n1', caller);
      expect(refused.statusCode, caller).toBe(403);
      expect(refused.json()).toMatchObject({ reason });
    }
    expect((await fixture.app.inject({ method: 'GET', url: '/api/neighbourhoods/n1/households' })).statusCode).toBe(401);
  });

  it('answers an empty neighbourhood, 404 for an unknown one and 400 for an id that cannot be one', async () => {
    expect((await roster('n3', 'admin')).json()).toStrictEqual({ households: [], privateByStreet: [] });
    const unknown = await get('nowhere', 'admin');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ reason: 'neighbourhood_unknown' });
    for (const id of [encodeURIComponent("n1' OR '1'='1"), 'n'.repeat(65), encodeURIComponent('n1\u0000')]) {
      expect((await get(id, 'admin')).statusCode, id).toBe(400);
      // A champion is refused before its input is looked at.
      expect((await get(id, 'champion')).statusCode, id).toBe(403);
    }
  });
});
