// Every view holds to consent (docs/data-model.md, "Consent levels"): private = only the household sees
// anything about it; challenge = alias and saving on boards of challenges it joined. A utility
// partner sees no board; a public board shows rank and saving over complete days only; nobody sees
// litres beside another household's saving (saved ÷ (saving × days) is its baseline).
// Numbers by hand, as in challenges.test.ts: baseline February, challenge from 1 March, now
// 5 March 12:00 (4 complete days). Swift (h1) 240 → 216 L a day, Heron (h2) 480 → 384; Otter (h3)
// not rated; h4–h8 on Elm Street 240 → 192 (saving 0.2, saved 4 × 48 = 192 L each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertHouseholdEvent } from '../../../storage/metadata/repositories/household-events.ts';
import { insertHousehold } from '../../../storage/metadata/repositories/households.ts';
import { insertMeters } from '../../../storage/metadata/repositories/meters.ts';
import { bearer, type Caller, callerWithToken, databaseKinds, seedNeighbourhoods, testApp } from '../../testing/fixtures.ts';
import { writeSteadyWater } from '../../testing/readings.ts';

const NOW = Date.parse('2026-03-05T12:00:00Z');
const BIG_TEAM = ['h4', 'h5', 'h6', 'h7', 'h8'];

interface Entry {
  rank: number | null;
  name: string;
  saving: number | null;
  saved?: number | null;
  today?: number | null;
  mentor?: string | null;
}

describe.each(databaseKinds)('consent in every view on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let champion: Caller;
  let utility: Caller;
  const households: Record<string, Caller> = {};
  let personalBest: string;
  let friends: string;

  const get = async (url: string, caller?: Caller) => {
    const response = await fixture.app.inject({ method: 'GET', url, headers: caller ? bearer(caller) : {} });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const send = (method: 'POST' | 'PUT', url: string, caller: Caller, payload?: object) =>
    fixture.app.inject({ method, url, headers: bearer(caller), ...(payload ? { payload } : {}) });

  async function createChallenge(body: Record<string, unknown>): Promise<string> {
    const created = await send('POST', '/api/neighbourhoods/n1/challenges', champion, { ...body, public: true });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await send('POST', `/api/challenges/${id}/invitations`, champion, { streetIds: ['elm', 'oak'] });
    for (const household of Object.values(households))
      expect((await send('POST', `/api/challenges/${id}/membership`, household)).statusCode).toBe(201);
    return id;
  }

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW });
    const { db, store } = fixture;
    await seedNeighbourhoods(db);
    for (const id of BIG_TEAM) {
      await insertHousehold(db, { id, streetId: 'elm', alias: `Big ${id}`, occupants: 2 });
      await insertMeters(db, [{ id: `${id}-w`, householdId: id, kind: 'water' }]);
    }
    champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    utility = await callerWithToken(db, 'utility', 'utility', { neighbourhoodId: 'n1' });
    for (const id of ['h1', 'h2', 'h3', ...BIG_TEAM])
      households[id] = await callerWithToken(db, id, 'household', { householdId: id });
    const place = (household: string, street: string) => ({ meterId: `${household}-w`, household, street, neighbourhood: 'n1' });
    const steady = async (household: string, street: string, before: number, during: number) => {
      const r = await writeSteadyWater(store, place(household, street), '2026-01-31T00:00:00Z', '2026-03-01T00:00:00Z', before);
      await writeSteadyWater(store, place(household, street), '2026-03-01T00:00:00Z', '2026-03-05T12:00:00Z', during, r);
    };
    await steady('h1', 'elm', 10, 9);
    await steady('h2', 'elm', 20, 16);
    await writeSteadyWater(store, place('h3', 'oak'), '2026-02-19T00:00:00Z', '2026-03-05T12:00:00Z', 5);
    for (const id of BIG_TEAM) await steady(id, 'elm', 10, 8);

    personalBest = await createChallenge({ template: 'personal_best', startsOn: '2026-03-01' });
    friends = await createChallenge({ template: 'friends_on_tap', startsOn: '2026-03-01' });
    const teams = [
      { name: 'Elm Friends', mentorHouseholdId: 'h1', householdIds: ['h1', 'h2'] },
      { name: 'Big Elm', mentorHouseholdId: 'h4', householdIds: BIG_TEAM },
    ];
    for (const team of teams)
      expect((await send('POST', `/api/challenges/${friends}/teams`, champion, team)).statusCode).toBe(201);
  });
  afterAll(async () => fixture?.close());

  it('shows a fellow household no litres saved beside a saving, only the household itself its own', async () => {
    const board = await get(`/api/challenges/${personalBest}/leaderboard`, households.h2);
    expect(board.entries.map((e: Entry) => [e.name, e.saved])).toContainEqual(['Heron', null]);
    // The attack: a baseline from litres saved ÷ (saving × days). Nothing to compute it from.
    const baselines = board.entries
      .filter((e: Entry) => typeof e.saved === 'number' && e.saving)
      .map((e: Entry) => (e.saved as number) / ((e.saving as number) * board.completeDays));
    expect(baselines).toStrictEqual([]);
    const own = (await get('/api/households/h2/challenges', households.h2)).find(
      (c: { challengeId: string }) => c.challengeId === personalBest,
    );
    expect(own.saved).toBeCloseTo(4 * 96, 6);
    expect(own.saving).toBeCloseTo(0.2, 9);
  });

  it("shows a team's litres only from five rated members, so no member can subtract its own and find another's", async () => {
    const board = await get(`/api/challenges/${friends}/leaderboard`, households.h2);
    const byName = new Map<string, Entry>(board.entries.map((e: Entry) => [e.name, e]));
    // Elm Friends: (96 + 384) / (960 + 1920) = 1/6, two rated: Heron could take its own 384 L and
    // 1920 L expected away and be left with Swift's. Big Elm: 5 × 192 = 960 L of 4800 → 0.2.
    expect(byName.get('Elm Friends')).toMatchObject({ rank: 2, saved: null, mentor: 'Swift' });
    expect(byName.get('Elm Friends')?.saving).toBeCloseTo(1 / 6, 9);
    expect(byName.get('Big Elm')).toMatchObject({ rank: 1, mentor: 'Big h4' });
    expect(byName.get('Big Elm')?.saved).toBeCloseTo(960, 6);
    // Signed in, the running challenge moves live: Big Elm 8 × 12 of 10 × 12 → 0.2 today so far,
    // from its five members. Elm Friends' two would let Heron read Swift's off it: none.
    expect(byName.get('Big Elm')?.today).toBeCloseTo(0.2, 9);
    expect(byName.get('Elm Friends')?.today).toBeNull();
  });

  it('shows anyone with the link rank and saving over complete days: no live figure, no litres, no counts', async () => {
    for (const id of [personalBest, friends]) {
      const board = await get(`/api/public/challenges/${id}/leaderboard`);
      expect(board.completeDays).toBe(4);
      for (const entry of board.entries) {
        expect(Object.keys(entry).sort()).toStrictEqual(
          id === friends ? ['mentor', 'name', 'rank', 'saving', 'status'] : ['name', 'rank', 'saving', 'status'],
        );
      }
      const baselines = board.entries
        .filter((e: Entry) => typeof e.saved === 'number' && e.saving)
        .map((e: Entry) => (e.saved as number) / ((e.saving as number) * board.completeDays));
      expect(baselines).toStrictEqual([]);
    }
    const board = await get(`/api/public/challenges/${personalBest}/leaderboard`);
    expect(board.entries.map((e: Entry) => [e.rank, e.name])).toContainEqual([1, 'Heron']);
    expect(board.entries[0].saving).toBeCloseTo(0.2, 9);
  });

  it('names no household to a utility partner: no board, no stream', async () => {
    for (const url of [`/api/challenges/${friends}/leaderboard`, `/api/challenges/${friends}/stream?once=true`]) {
      const response = await fixture.app.inject({ method: 'GET', url, headers: bearer(utility) });
      expect(response.statusCode, `${url}: ${response.body.slice(0, 100)}`).toBe(403);
    }
    // What a challenge is (its windows, for evidence against non-participants) holds no household.
    expect((await get(`/api/challenges/${friends}`, utility)).name).toBe('Friends On Tap');
  });

  it('leaves a household that goes private out of every view: boards, mentor, members, teams, leak count', async () => {
    await insertHouseholdEvent(fixture.db, { householdId: 'h1', type: 'leak_raised' });
    expect(await get('/api/neighbourhoods/n1/leaks', champion)).toMatchObject({ households: 1 });
    const privateNow = await send('PUT', '/api/households/h1/consent', households.h1 as Caller, { consent: 'private' });
    expect(privateNow.statusCode, privateNow.body).toBe(200);

    const views = {
      'team board': await get(`/api/challenges/${friends}/leaderboard`, champion),
      'household board': await get(`/api/challenges/${personalBest}/leaderboard`, households.h2),
      'public team board': await get(`/api/public/challenges/${friends}/leaderboard`),
      'members for the champion': await get(`/api/challenges/${friends}/members`, champion),
      "Heron's challenges": await get('/api/households/h2/challenges', households.h2),
      'leak count': await get('/api/neighbourhoods/n1/leaks', champion),
    };
    for (const [view, body] of Object.entries(views)) expect(JSON.stringify(body), view).not.toMatch(/Swift|"h1"/);
    expect(views['team board'].entries.find((e: Entry) => e.name === 'Elm Friends').mentor).toBeNull();
    expect(views['public team board'].entries.find((e: Entry) => e.name === 'Elm Friends').mentor).toBeNull();
    expect(views['leak count']).toMatchObject({ households: 0 });
    // Nor can a champion put it in a team (which would also tell that it is a member).
    const team = await send('POST', `/api/challenges/${friends}/teams`, champion, {
      name: 'Probe',
      mentorHouseholdId: 'h3',
      householdIds: ['h1', 'h3'],
    });
    expect(team.statusCode).toBe(400);
  });
});
