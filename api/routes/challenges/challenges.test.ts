// A challenge from creation to leaderboard, with numbers worked out by hand. Readings are steady
// so each day's use is simple: baseline February, challenge from 1 March, "now" 5 March 12:00,
// so the complete challenge days are 1–4 March.
//   Swift (h1, Elm Street):  10 L/h in February (240/day), 9 L/h in March (216/day):
//                            saving 1 − 216/240 = 0.1, saved 4 × 24 = 96 L.
//   Heron (h2, Elm Street):  20 L/h (480/day), then 16 L/h (384/day): saving 0.2, saved 4 × 96 = 384 L.
//   Otter (h3, Oak Road):    readings only from 19 February: 10 of 28 baseline days → not rated yet.
// Team Elm Friends (Swift + Heron): (96 + 384) / (240 × 4 + 480 × 4) = 480 / 2880 = 1/6.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Caller, callerWithToken, databaseKinds, seedNeighbourhoods, testApp } from '../../testing/fixtures.ts';
import { writeSteadyWater } from '../../testing/readings.ts';

const NOW = Date.parse('2026-03-05T12:00:00Z');

describe.each(databaseKinds)('challenges and leaderboards on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let champion: Caller;
  const households: Record<string, Caller> = {};

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW });
    const { db, store } = fixture;
    await seedNeighbourhoods(db);
    champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    for (const id of ['h1', 'h2', 'h3']) households[id] = await callerWithToken(db, id, 'household', { householdId: id });
    const place = (household: string, street: string) => ({ meterId: `${household}-w`, household, street, neighbourhood: 'n1' });
    let r = await writeSteadyWater(store, place('h1', 'elm'), '2026-01-31T00:00:00Z', '2026-03-01T00:00:00Z', 10);
    await writeSteadyWater(store, place('h1', 'elm'), '2026-03-01T00:00:00Z', '2026-03-05T12:00:00Z', 9, r);
    r = await writeSteadyWater(store, place('h2', 'elm'), '2026-01-31T00:00:00Z', '2026-03-01T00:00:00Z', 20);
    await writeSteadyWater(store, place('h2', 'elm'), '2026-03-01T00:00:00Z', '2026-03-05T12:00:00Z', 16, r);
    await writeSteadyWater(store, place('h3', 'oak'), '2026-02-19T00:00:00Z', '2026-03-05T12:00:00Z', 5);
  });
  afterAll(async () => fixture?.close());

  async function createChallenge(body: Record<string, unknown>): Promise<string> {
    const { app } = fixture;
    const created = await app.inject({
      method: 'POST',
      url: '/api/neighbourhoods/n1/challenges',
      headers: bearer(champion),
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const invited = await app.inject({
      method: 'POST',
      url: `/api/challenges/${id}/invitations`,
      headers: bearer(champion),
      payload: { streetIds: ['elm', 'oak'] },
    });
    expect(invited.json()).toStrictEqual({ invited: 3 });
    for (const household of Object.values(households)) {
      const joined = await app.inject({ method: 'POST', url: `/api/challenges/${id}/membership`, headers: bearer(household) });
      expect(joined.statusCode, joined.body).toBe(201);
    }
    return id;
  }

  it('fills a Personal Best from its template: 28 days, baseline the 28 days before', async () => {
    const id = await createChallenge({ template: 'personal_best', startsOn: '2026-03-01', targetSaving: 0.15 });
    const challenge = (
      await fixture.app.inject({ method: 'GET', url: `/api/challenges/${id}`, headers: bearer(households.h1 as Caller) })
    ).json();
    expect(challenge).toMatchObject({
      name: 'Personal Best',
      metric: 'water',
      scope: 'households',
      startsOn: '2026-03-01',
      endsOn: '2026-03-28',
      baselineFrom: '2026-02-01',
      baselineTo: '2026-02-28',
    });
    const board = (
      await fixture.app.inject({
        method: 'GET',
        url: `/api/challenges/${id}/leaderboard`,
        headers: bearer(households.h1 as Caller),
      })
    ).json();
    expect(board.completeDays).toBe(4);
    expect(board.lastCompleteDay).toBe('2026-03-04');
    expect(
      board.entries.map((e: { rank: number | null; name: string; status: string }) => [e.rank, e.name, e.status]),
    ).toStrictEqual([
      [1, 'Heron', 'ranked'],
      [2, 'Swift', 'ranked'],
      [null, 'Otter', 'not_rated_yet'],
    ]);
    expect(board.entries[0].saving).toBeCloseTo(0.2, 9);
    expect(board.entries[1].saving).toBeCloseTo(0.1, 9);
    // Litres saved give away a baseline beside a saving: on no board, only on the household's own page.
    expect(board.entries.map((e: { saved: number | null }) => e.saved)).toStrictEqual([null, null, null]);
    // No household's today so far on a households board: refreshed every 5 s, it would show the
    // whole neighbourhood when Heron's or Swift's home is empty or in use. Each sees its own.
    expect(board.entries.map((e: { today: number | null }) => e.today)).toStrictEqual([null, null, null]);
    expect(board.target.saving).toBe(0.15);
    // A Personal Best's target is met by the mean of its households' savings, (0.1 + 0.2) / 2: a
    // figure weighted by baselines beside each saving would give the baselines away.
    expect(board.target.reached).toBeCloseTo(0.15, 9);
    expect(board.households).toBeNull();
    // Aliases only: no household ids, meter ids or streets on a household leaderboard.
    expect(JSON.stringify(board)).not.toMatch(/h1|h2|h3|-w|Elm|Oak/);

    // The household's own view of its challenges.
    const mine = (
      await fixture.app.inject({ method: 'GET', url: '/api/households/h1/challenges', headers: bearer(households.h1 as Caller) })
    ).json();
    const personalBest = mine.find((c: { challengeId: string }) => c.challengeId === id);
    expect(personalBest).toMatchObject({
      name: 'Personal Best',
      metric: 'water',
      status: 'ranked',
      rank: 2,
      of: 2,
      householdRank: 2,
      householdsRanked: 2,
      team: null,
    });
    expect(personalBest.saving).toBeCloseTo(0.1, 9);
    expect(personalBest.saved).toBeCloseTo(96, 6);

    // Public only when the champion says so; then readable by anyone, aliases only.
    const anonymous = () => fixture.app.inject({ method: 'GET', url: `/api/public/challenges/${id}/leaderboard` });
    expect((await anonymous()).statusCode).toBe(404);
    const made = await fixture.app.inject({
      method: 'PUT',
      url: `/api/challenges/${id}/visibility`,
      headers: bearer(champion),
      payload: { public: true },
    });
    expect(made.json()).toStrictEqual({ public: true });
    const open = await anonymous();
    expect(open.statusCode).toBe(200);
    expect(open.json()).toMatchObject({ name: 'Personal Best', startsOn: '2026-03-01' });
    expect(open.json().entries.map((e: { name: string }) => e.name)).toStrictEqual(['Heron', 'Swift', 'Otter']);
  });

  it('scores a Friends On Tap team as an aggregate, with its mentor, and needs two rated members', async () => {
    const id = await createChallenge({ template: 'friends_on_tap', startsOn: '2026-03-01' });
    const { app } = fixture;
    const team = await app.inject({
      method: 'POST',
      url: `/api/challenges/${id}/teams`,
      headers: bearer(champion),
      payload: { name: 'Elm Friends', mentorHouseholdId: 'h1', householdIds: ['h1', 'h2'] },
    });
    expect(team.statusCode, team.body).toBe(201);
    const tooSmall = await app.inject({
      method: 'POST',
      url: `/api/challenges/${id}/teams`,
      headers: bearer(champion),
      payload: { name: 'Solo', mentorHouseholdId: 'h3', householdIds: ['h3'] },
    });
    expect(tooSmall.statusCode).toBe(400);
    expect(tooSmall.json().message).toMatch(/householdIds/);
    const board = (
      await app.inject({ method: 'GET', url: `/api/challenges/${id}/leaderboard`, headers: bearer(champion) })
    ).json();
    expect(board.entries).toHaveLength(1);
    expect(board.entries[0]).toMatchObject({
      rank: 1,
      name: 'Elm Friends',
      status: 'ranked',
      mentor: 'Swift',
      members: 2,
      ratedMembers: 2,
    });
    expect(board.entries[0].saving).toBeCloseTo(1 / 6, 9);
    // Today so far for the team would be (12 + 48) / (120 + 240) = 1/6 from two members: Swift
    // knows its own 108 of 120 exactly and would read Heron's off it. Shown from five only.
    expect(board.entries[0].today).toBeNull();
  });

  it('shows no street figure for a street with fewer than five rated households', async () => {
    const id = await createChallenge({ template: 'street_league', startsOn: '2026-03-01' });
    const board = (
      await fixture.app.inject({ method: 'GET', url: `/api/challenges/${id}/leaderboard`, headers: bearer(champion) })
    ).json();
    expect(
      board.entries.map((e: { name: string; status: string; saving: number | null }) => [e.name, e.status, e.saving]),
    ).toStrictEqual([
      ['Elm Street', 'too_few_rated', null],
      ['Oak Road', 'too_few_rated', null],
    ]);
  });

  it('streams the leaderboard as server-sent events, and leaves a household off when it goes private', async () => {
    const id = await createChallenge({ template: 'personal_best', startsOn: '2026-03-01', name: 'Private test' });
    const { app } = fixture;
    const stream = await app.inject({
      method: 'GET',
      url: `/api/challenges/${id}/stream?once=true`,
      headers: bearer(households.h2 as Caller),
    });
    expect(stream.headers['content-type']).toBe('text/event-stream');
    expect(stream.body).toMatch(/^event: leaderboard\ndata: \{.*"Heron".*\}\n\n$/s);
    const privateNow = await app.inject({
      method: 'PUT',
      url: '/api/households/h2/consent',
      headers: bearer(households.h2 as Caller),
      payload: { consent: 'private' },
    });
    expect(privateNow.statusCode).toBe(200);
    const fresh = await testLeaderboard(id);
    expect(fresh.entries.map((e: { name: string }) => e.name)).not.toContain('Heron');
    await app.inject({
      method: 'PUT',
      url: '/api/households/h2/consent',
      headers: bearer(households.h2 as Caller),
      payload: { consent: 'challenge' },
    });
  });

  async function testLeaderboard(id: string) {
    // A membership change clears the challenge's cached leaderboard at once (a consent change
    // alone shows when the 5-second cache expires).
    const { app } = fixture;
    await app.inject({ method: 'DELETE', url: `/api/challenges/${id}/membership`, headers: bearer(households.h3 as Caller) });
    return (await app.inject({ method: 'GET', url: `/api/challenges/${id}/leaderboard`, headers: bearer(champion) })).json();
  }
});
