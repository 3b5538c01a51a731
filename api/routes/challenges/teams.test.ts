// Friends On Tap in one challenge: the teams board and, beside it, every household's rank; teams
// changed and dissolved until the challenge is archived; and the mentor's view of its team.
// Readings as in challenges.test.ts ("now" 5 March 12:00 London; complete days 1–4 March):
//   Swift (h1, Elm Street): saving 0.1.   Heron (h2, Elm Street): saving 0.2.
//   Otter (h3, Oak Road): readings from 19 February only: not rated yet, but reading every day.
//   Newt (h5, Oak Road): February at 10 L/h, then nothing from 1 March: rated, no challenge day
//   with data (not enough data), and 4 days in a row without data up to 4 March (quiet).
// Elm Friends (Swift + Heron): (96 + 384) / (240 × 4 + 480 × 4) = 1/6.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertHouseholds } from '../../../storage/metadata/repositories/households.ts';
import { insertMeters } from '../../../storage/metadata/repositories/meters.ts';
import { bearer, type Caller, callerWithToken, databaseKinds, seedNeighbourhoods, testApp } from '../../testing/fixtures.ts';
import { writeSteadyWater } from '../../testing/readings.ts';

const NOW = Date.parse('2026-03-05T12:00:00Z');
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

describe.each(databaseKinds)('Friends On Tap teams and boards on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  const callers: Record<string, Caller> = {};
  let challengeId: string;
  const teamIds: Record<string, string> = {};

  const call = (method: Method, url: string, caller: string, payload?: unknown) =>
    fixture.app.inject({
      method,
      url,
      headers: { ...bearer(callers[caller] as Caller), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const ok = async (method: Method, url: string, caller: string, payload?: unknown, status = 200) => {
    const response = await call(method, url, caller, payload);
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
    return response.json();
  };
  const refused = async (method: Method, url: string, caller: string, payload: unknown, status: number, reason: string) => {
    const response = await call(method, url, caller, payload);
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
    expect(response.json()).toMatchObject({ reason });
  };
  const board = () => ok('GET', `/api/challenges/${challengeId}/leaderboard`, 'champion');
  const teams = () => ok('GET', `/api/challenges/${challengeId}/teams`, 'champion');

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW, rateLimits: false });
    const { db, store } = fixture;
    await seedNeighbourhoods(db);
    await insertHouseholds(db, [{ id: 'h5', streetId: 'oak', alias: 'Newt' }]);
    await insertMeters(db, [{ id: 'h5-w', householdId: 'h5', kind: 'water' }]);
    callers.champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    for (const id of ['h1', 'h2', 'h3', 'h5']) callers[id] = await callerWithToken(db, id, 'household', { householdId: id });
    const place = (household: string, street: string) => ({ meterId: `${household}-w`, household, street, neighbourhood: 'n1' });
    let r = await writeSteadyWater(store, place('h1', 'elm'), '2026-01-31T00:00:00Z', '2026-03-01T00:00:00Z', 10);
    await writeSteadyWater(store, place('h1', 'elm'), '2026-03-01T00:00:00Z', '2026-03-05T12:00:00Z', 9, r);
    r = await writeSteadyWater(store, place('h2', 'elm'), '2026-01-31T00:00:00Z', '2026-03-01T00:00:00Z', 20);
    await writeSteadyWater(store, place('h2', 'elm'), '2026-03-01T00:00:00Z', '2026-03-05T12:00:00Z', 16, r);
    await writeSteadyWater(store, place('h3', 'oak'), '2026-02-19T00:00:00Z', '2026-03-05T12:00:00Z', 5);
    await writeSteadyWater(store, place('h5', 'oak'), '2026-01-31T00:00:00Z', '2026-03-01T00:00:00Z', 10);

    challengeId = (
      await ok(
        'POST',
        '/api/neighbourhoods/n1/challenges',
        'champion',
        { template: 'friends_on_tap', startsOn: '2026-03-01' },
        201,
      )
    ).id;
    expect(await ok('POST', `/api/challenges/${challengeId}/invitations`, 'champion', { everyone: true })).toStrictEqual({
      invited: 4,
    });
    for (const id of ['h1', 'h2', 'h3', 'h5']) await ok('POST', `/api/challenges/${challengeId}/membership`, id, {}, 201);
    teamIds.elm = (
      await ok(
        'POST',
        `/api/challenges/${challengeId}/teams`,
        'champion',
        { name: 'Elm Friends', mentorHouseholdId: 'h1', householdIds: ['h1', 'h2'] },
        201,
      )
    ).id;
    teamIds.oak = (
      await ok(
        'POST',
        `/api/challenges/${challengeId}/teams`,
        'champion',
        { name: 'Oak Crew', mentorHouseholdId: 'h3', householdIds: ['h3', 'h5'] },
        201,
      )
    ).id;
  });
  afterAll(async () => fixture?.close());

  it('shows the teams board and every household in rank order beside it, without their savings', async () => {
    const shown = await board();
    expect(
      shown.entries.map((e: { rank: number | null; name: string; status: string }) => [e.rank, e.name, e.status]),
    ).toStrictEqual([
      [1, 'Elm Friends', 'ranked'],
      [null, 'Oak Crew', 'too_few_rated'],
    ]);
    expect(shown.entries[0].saving).toBeCloseTo(1 / 6, 9);
    // Heron 0.2 before Swift 0.1; Newt (no challenge day with data) and Otter (not rated) unranked, by name.
    expect(
      shown.households.map((e: { rank: number | null; name: string; status: string; saving: null }) => [
        e.rank,
        e.name,
        e.status,
        e.saving,
      ]),
    ).toStrictEqual([
      [1, 'Heron', 'ranked', null],
      [2, 'Swift', 'ranked', null],
      [null, 'Newt', 'not_enough_data', null],
      [null, 'Otter', 'not_rated_yet', null],
    ]);
  });

  it("tells a household its own rank among the households and its team's", async () => {
    const [mine] = await ok('GET', '/api/households/h1/challenges', 'h1');
    expect(mine).toMatchObject({
      team: 'Elm Friends',
      teamId: teamIds.elm,
      mentor: 'Swift',
      mentoring: true,
      rank: 1,
      of: 1,
      householdRank: 2,
      householdsRanked: 2,
    });
    const [heron] = await ok('GET', '/api/households/h2/challenges', 'h2');
    expect(heron).toMatchObject({ team: 'Elm Friends', mentoring: false, householdRank: 1 });
    expect(mine.saving).toBeCloseTo(0.1, 9);
  });

  it("shows a mentor its team in words, its members' pledges, and who has gone quiet; no one else but organisers", async () => {
    await ok('PUT', `/api/challenges/${challengeId}/membership/pledges`, 'h5', { pledges: ['shorter_showers'] });
    const oak = await ok('GET', `/api/challenges/${challengeId}/teams/${teamIds.oak}/mentoring`, 'h3');
    expect(oak).toMatchObject({ team: { name: 'Oak Crew' }, lastDay: '2026-03-04', challenge: { status: 'running' } });
    expect(oak.members).toStrictEqual([
      {
        alias: 'Newt',
        street: 'Oak Road',
        mentor: false,
        status: 'not_enough_data',
        progress: null,
        pledges: ['shorter_showers'],
        daysWithoutData: 4,
        quiet: true,
      },
      {
        alias: 'Otter',
        street: 'Oak Road',
        mentor: true,
        status: 'not_rated_yet',
        progress: null,
        pledges: [],
        daysWithoutData: 0,
        quiet: false,
      },
    ]);
    const elm = await ok('GET', `/api/challenges/${challengeId}/teams/${teamIds.elm}/mentoring`, 'champion');
    // Figures stay off: Heron 0.2 and Swift 0.1 are both "saving a lot" (from 10%).
    expect(elm.members.map((m: { alias: string; progress: string }) => [m.alias, m.progress])).toStrictEqual([
      ['Heron', 'saving_a_lot'],
      ['Swift', 'saving_a_lot'],
    ]);
    expect(JSON.stringify(elm)).not.toMatch(/saving"\s*:\s*0\.|h1|h2|-w/);
    await refused('GET', `/api/challenges/${challengeId}/teams/${teamIds.elm}/mentoring`, 'h2', undefined, 403, 'not_the_mentor');
    await refused('GET', `/api/challenges/${challengeId}/teams/${teamIds.elm}/mentoring`, 'h3', undefined, 403, 'not_the_mentor');
    await refused('GET', `/api/challenges/${challengeId}/teams/no-such-team/mentoring`, 'h1', undefined, 404, 'team_unknown');
  });

  it('changes a team: name, mentor and members, moving one from another team and leaving one out', async () => {
    await ok('PUT', `/api/challenges/${challengeId}/teams/${teamIds.elm}`, 'champion', {
      name: 'Elm Stars',
      mentorHouseholdId: 'h2',
      householdIds: ['h2', 'h5'],
    });
    expect(await teams()).toStrictEqual([
      {
        id: teamIds.elm,
        name: 'Elm Stars',
        mentor: { householdId: 'h2', alias: 'Heron', street: 'Elm Street' },
        members: [
          { householdId: 'h2', alias: 'Heron', street: 'Elm Street' },
          { householdId: 'h5', alias: 'Newt', street: 'Oak Road' },
        ],
      },
      {
        id: teamIds.oak,
        name: 'Oak Crew',
        mentor: { householdId: 'h3', alias: 'Otter', street: 'Oak Road' },
        members: [{ householdId: 'h3', alias: 'Otter', street: 'Oak Road' }],
      },
    ]);
    // Swift, left out, is still in the challenge and on the households board, in no team.
    const [swift] = await ok('GET', '/api/households/h1/challenges', 'h1');
    expect(swift).toMatchObject({ team: null, rank: null, householdRank: 2 });
    // Elm Stars: Heron rated, Newt not: one of two rated members.
    expect((await board()).entries.map((e: { name: string; status: string }) => [e.name, e.status])).toStrictEqual([
      ['Elm Stars', 'too_few_rated'],
      ['Oak Crew', 'too_few_rated'],
    ]);
  });

  it('refuses a change that breaks a rule, with its reason', async () => {
    const url = `/api/challenges/${challengeId}/teams/${teamIds.elm}`;
    await refused(
      'PUT',
      url,
      'champion',
      { name: 'Oak Crew', mentorHouseholdId: 'h2', householdIds: ['h2', 'h5'] },
      409,
      'team_name_taken',
    );
    await refused(
      'PUT',
      url,
      'champion',
      { name: 'Elm Stars', mentorHouseholdId: 'h1', householdIds: ['h2', 'h5'] },
      400,
      'mentor_not_in_team',
    );
    await refused(
      'PUT',
      url,
      'champion',
      { name: 'Elm Stars', mentorHouseholdId: 'h2', householdIds: ['h2', 'h9'] },
      400,
      'member_not_joined',
    );
    await refused(
      'PUT',
      `/api/challenges/${challengeId}/teams/no-such-team`,
      'champion',
      { name: 'X team', mentorHouseholdId: 'h2', householdIds: ['h2', 'h5'] },
      404,
      'team_unknown',
    );
    const tooMany = await call('PUT', url, 'champion', {
      name: 'Elm Stars',
      mentorHouseholdId: 'h2',
      householdIds: Array.from({ length: 9 }, (_, i) => `h${i}`),
    });
    expect(tooMany.statusCode).toBe(400);
    await refused('PUT', url, 'h1', { name: 'Mine now', mentorHouseholdId: 'h1', householdIds: ['h1', 'h2'] }, 403, 'wrong_role');
  });

  it('leaves a home that goes private off the households board, its team and its mentor’s view', async () => {
    await ok('PUT', '/api/households/h5/consent', 'h5', { consent: 'private' });
    expect((await board()).households.map((e: { name: string }) => e.name)).not.toContain('Newt');
    const [elmStars] = await teams();
    expect(elmStars.members.map((m: { alias: string }) => m.alias)).toStrictEqual(['Heron']);
    const view = await ok('GET', `/api/challenges/${challengeId}/teams/${teamIds.elm}/mentoring`, 'champion');
    expect(view.members.map((m: { alias: string }) => m.alias)).toStrictEqual(['Heron']);
    await ok('PUT', '/api/households/h5/consent', 'h5', { consent: 'challenge' });
    expect((await board()).households.map((e: { name: string }) => e.name)).toContain('Newt');
  });

  it('dissolves a team, keeping its members in the challenge; once archived, teams stay as they are', async () => {
    expect(await ok('DELETE', `/api/challenges/${challengeId}/teams/${teamIds.oak}`, 'champion')).toStrictEqual({
      id: teamIds.oak,
    });
    expect((await teams()).map((team: { name: string }) => team.name)).toStrictEqual(['Elm Stars']);
    expect((await board()).households).toHaveLength(4);
    await refused('DELETE', `/api/challenges/${challengeId}/teams/${teamIds.oak}`, 'champion', undefined, 404, 'team_unknown');
    // Ended on 4 March (yesterday), it has finished: teams can still be formed, for its evidence.
    await ok('POST', `/api/challenges/${challengeId}/end`, 'champion', { lastDay: '2026-03-04' });
    await ok(
      'POST',
      `/api/challenges/${challengeId}/teams`,
      'champion',
      { name: 'Oak Again', mentorHouseholdId: 'h3', householdIds: ['h3', 'h1'] },
      201,
    );
    await ok('POST', `/api/challenges/${challengeId}/archive`, 'champion');
    const url = `/api/challenges/${challengeId}/teams/${teamIds.elm}`;
    await refused(
      'PUT',
      url,
      'champion',
      { name: 'Late', mentorHouseholdId: 'h2', householdIds: ['h2', 'h5'] },
      409,
      'challenge_archived',
    );
    await refused('DELETE', url, 'champion', undefined, 409, 'challenge_archived');
  });
});
