// A real neighbourhood from an empty install to a finished challenge, through the documented API
// and MQTT only: `ontap start` with the demo off (embedded broker, database and store), an
// operator who creates the neighbourhood and its two streets and invites a champion, a champion
// who invites twelve homes, homes that sign up, register a water meter each and upload six weeks
// of hourly readings from its backlog, then last spring's Friends On Tap challenge (and a Street
// League over the same days) run after the event, with two mentor-led teams.
//
// Baseline 23 Feb – 22 Mar 2026 (28 days of 24 hours, GMT). Challenge 23 Mar – 5 Apr 2026 (14 days;
// the clocks go forward on 29 March, a day of 23 hours: 13 × 24 + 23 = 335 hours). Each home uses
// a steady b litres an hour in the baseline and c in the challenge, so
//   baseline = 24b a day; challenge use = 335c over its 14 days with data;
//   saving = 1 − (335c / 14) / 24b;   saved = 14 × 24b − 335c = 336b − 335c.
// Even a home that changed nothing "saves" 1/336: the short day. Worked by hand:
//   Elm Street                 b → c    saved             saving
//   Kingfisher (Elm mentor)   10 → 9    3360 − 3015 = 345     345/3360  = 0.1026786
//   Heron      (Elm)          20 → 16   6720 − 5360 = 1360   1360/6720  = 0.2023810
//   Wren       (Elm)          10 → 9    345                   as Kingfisher: tied, same rank
//   Finch                     12 → 12, no readings 24–26 March (3 days): 11 days counted (≥ 70%),
//                             10 × 24 + 23 = 263 h: saved 11 × 288 − 263 × 12 = 12; 12/3168 = 0.0037879
//   Swift                     15 → 13   5040 − 4355 = 685     685/5040  = 0.1359127
//   Robin                     10 → 5, but goes private after joining: on no board, in no figure.
//   Oak Road
//   Otter      (Oak mentor)   10 → 8    3360 − 2680 = 680     680/3360  = 0.2023810 (as Heron; fewer litres)
//   Badger     (Oak)          25 → 21   8400 − 7035 = 1365   1365/8400  = 0.1625
//   Stoat      (Oak)           8 → 8    2688 − 2680 = 8          8/2688 = 1/336
//   Newt       (Oak)          readings only from 13 March: 10 of 28 baseline days: not rated yet
//   Mole                       4 → 4    1344 − 1340 = 4          4/1344 = 1/336 (as Stoat; fewer litres)
//   Vole                      10 → 11   3360 − 3685 = −325    −325/3360 = −0.0967262
// Teams, Σ saved / Σ (24b × days counted) over rated members:
//   Elm Friends (Kingfisher, Heron, Wren): 2050 / 13440 = 0.1525298
//   Oak Crew (Otter, Badger, Stoat; Newt not rated): 2053 / 14448 = 0.1420958
// Streets (five rated needed, litres shown from five):
//   Elm Street (Kingfisher, Heron, Wren, Finch, Swift): 2747 / 21648 = 0.1268940, 2747 L
//   Oak Road (Otter, Badger, Stoat, Mole, Vole):        1732 / 19152 = 0.0904344, 1732 L
// Target 10% (Friends On Tap): all rated together, 4479 / 40800 = 0.1097794.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../lib/time.ts';
import { type OntapStart, spawnOntapStart } from '../testing/ontap-start.ts';

const ZONE = 'Europe/London';
const BACKLOG_FROM = Date.parse('2026-02-23T00:00:00Z');
const BACKLOG_TO = Date.parse('2026-04-05T23:00:00Z'); // 6 April 00:00 BST: the end of the last challenge day
const CHALLENGE = { startsOn: '2026-03-23', endsOn: '2026-04-05' };
const HOUR = 3_600_000;
const operator = { email: 'operator@example.org', password: 'kettle lantern orchard quay' };

interface Home {
  alias: string;
  street: 'Elm Street' | 'Oak Road';
  occupants: number;
  /** Litres an hour: in the baseline, in the challenge. */
  rates: [number, number];
  /** Hours with no reading (ts from, to, exclusive): the meter was off, and so was the water. */
  offline?: [number, number];
  readsFrom?: number;
}

const homes: Home[] = [
  { alias: 'Kingfisher', street: 'Elm Street', occupants: 2, rates: [10, 9] },
  { alias: 'Heron', street: 'Elm Street', occupants: 4, rates: [20, 16] },
  { alias: 'Wren', street: 'Elm Street', occupants: 2, rates: [10, 9] },
  {
    alias: 'Finch',
    street: 'Elm Street',
    occupants: 3,
    rates: [12, 12],
    offline: [Date.parse('2026-03-24T00:00:00Z'), Date.parse('2026-03-27T00:00:00Z')],
  },
  { alias: 'Swift', street: 'Elm Street', occupants: 3, rates: [15, 13] },
  { alias: 'Robin', street: 'Elm Street', occupants: 2, rates: [10, 5] },
  { alias: 'Otter', street: 'Oak Road', occupants: 2, rates: [10, 8] },
  { alias: 'Badger', street: 'Oak Road', occupants: 5, rates: [25, 21] },
  { alias: 'Stoat', street: 'Oak Road', occupants: 2, rates: [8, 8] },
  { alias: 'Newt', street: 'Oak Road', occupants: 1, rates: [9, 9], readsFrom: Date.parse('2026-03-13T00:00:00Z') },
  { alias: 'Mole', street: 'Oak Road', occupants: 1, rates: [4, 4] },
  { alias: 'Vole', street: 'Oak Road', occupants: 2, rates: [10, 11] },
];

/** Hourly register readings (litres) at each hour edge, as a meter's backlog would hold them. */
function backlog(home: Home): { ts: string; kind: 'water'; register: number; unit: 'L' }[] {
  const readings = [];
  let register = 48_000; // an old meter does not start at 0
  for (let ts = home.readsFrom ?? BACKLOG_FROM; ts <= BACKLOG_TO; ts += HOUR) {
    const off = home.offline && ts > home.offline[0] && ts < home.offline[1];
    if (!off) readings.push({ ts: new Date(ts).toISOString(), kind: 'water' as const, register, unit: 'L' as const });
    // Use in the hour from ts: none while the meter is off.
    const inHourOff = home.offline && ts >= home.offline[0] && ts < home.offline[1];
    if (!inHourOff) register += localDate(ts, ZONE) < CHALLENGE.startsOn ? home.rates[0] : home.rates[1];
  }
  return readings;
}

/** A signed-in browser session, as the dashboard holds one: its cookie and CSRF token. */
class Session {
  cookie = '';
  csrf = '';
  householdId: string | null = null;
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of many shapes, each checked by the expectations that read it
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const cookie = response.headers.getSetCookie().find((one) => one.startsWith('ontap_session='));
    if (cookie) this.cookie = cookie.split(';')[0] as string;
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }

  /** The answer's JSON, after checking its status. */
  async expect(status: number, method: string, path: string, body?: unknown) {
    const answer = await this.call(method, path, body);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.json)}`).toBe(status);
    return answer.json;
  }

  /** Signs up with a code, or in; keeps the session's CSRF token and household. */
  async enter(path: '/api/auth/signup' | '/api/auth/login', body: object) {
    const me = await this.expect(path.endsWith('signup') ? 201 : 200, 'POST', path, body);
    this.csrf = me.csrfToken;
    this.householdId = me.householdId;
    return me;
  }
}

describe('a neighbourhood from an empty install to a finished challenge, through the API and MQTT', { timeout: 240_000 }, () => {
  let ontap: OntapStart;
  const sessions = new Map<string, Session>();
  const home = (alias: string) => sessions.get(alias) as Session;
  let champion: Session;
  let neighbourhoodId: string;
  let friendsOnTap: string;
  let streetLeague: string;
  const teams: Record<string, string> = {};

  beforeAll(async () => {
    ontap = await spawnOntapStart({
      ONTAP_DATA_DIR: mkdtempSync(join(tmpdir(), 'ontap-journey-')),
      ONTAP_DEMO: 'off',
      ONTAP_ADMIN_EMAIL: operator.email,
      ONTAP_ADMIN_PASSWORD: operator.password,
    });
  }, 120_000);
  afterAll(async () => {
    await ontap?.stop();
  });

  it('starts empty: no neighbourhood, and nothing answers for one that does not exist', async () => {
    const admin = new Session(ontap.url);
    await admin.enter('/api/auth/login', operator);
    expect(await admin.expect(200, 'GET', '/api/neighbourhoods')).toStrictEqual([]);
    await admin.expect(404, 'POST', '/api/neighbourhoods/nowhere/invitations', { role: 'champion' });
  });

  it('lets the operator create the neighbourhood and its streets, and invite its champion', async () => {
    const admin = new Session(ontap.url);
    await admin.enter('/api/auth/login', operator);
    const created = await admin.expect(201, 'POST', '/api/neighbourhoods', { name: 'Riverside', timeZone: ZONE });
    neighbourhoodId = created.id;
    const streets = await admin.expect(201, 'POST', `/api/neighbourhoods/${neighbourhoodId}/streets`, {
      names: ['Elm Street', 'Oak Road'],
    });
    expect(streets.created.map((s: { name: string }) => s.name)).toStrictEqual(['Elm Street', 'Oak Road']);
    const { code } = await admin.expect(201, 'POST', `/api/neighbourhoods/${neighbourhoodId}/invitations`, { role: 'champion' });
    champion = new Session(ontap.url);
    await champion.enter('/api/auth/signup', { email: 'champion@riverside.example', password: 'a long champion password', code });
  });

  it('lets the champion invite twelve homes, who sign up, each register a water meter and upload its backlog over MQTT', async () => {
    const streets = (await champion.expect(200, 'GET', `/api/neighbourhoods/${neighbourhoodId}/streets`)) as {
      id: string;
      name: string;
    }[];
    const streetId = (name: string) => streets.find((street) => street.name === name)?.id as string;
    for (const one of homes) {
      const { code } = await champion.expect(201, 'POST', `/api/neighbourhoods/${neighbourhoodId}/invitations`, {
        role: 'household',
        streetId: streetId(one.street),
      });
      const session = new Session(ontap.url);
      await session.enter('/api/auth/signup', {
        email: `${one.alias.toLowerCase()}@riverside.example`,
        password: `a long password for ${one.alias}`,
        code,
        alias: one.alias,
        occupants: one.occupants,
      });
      sessions.set(one.alias, session);
    }

    await Promise.all(
      homes.map(async (one) => {
        const session = home(one.alias);
        const meter = await session.expect(201, 'POST', `/api/households/${session.householdId}/meters`, {
          meterId: `riverside-${one.alias.toLowerCase()}-w`,
          kind: 'water',
        });
        const client = await mqtt.connectAsync(ontap.mqttUrl, {
          username: meter.mqtt.username,
          password: meter.mqtt.password,
          clientId: meter.mqtt.clientId,
          reconnectPeriod: 0,
        });
        const readings = backlog(one);
        for (let i = 0; i < readings.length; i += 500)
          await client.publishAsync(meter.mqtt.topic, JSON.stringify(readings.slice(i, i + 500)), { qos: 1 });
        await client.endAsync();
      }),
    );
    // Every backlog is in once each meter's latest reading is the last one sent.
    for (const one of homes) {
      const session = home(one.alias);
      await expect
        .poll(async () => (await session.expect(200, 'GET', `/api/households/${session.householdId}`)).meters[0]?.lastReadingAt, {
          timeout: 60_000,
          interval: 500,
        })
        .toBe(new Date(BACKLOG_TO).toISOString());
    }
  });

  it('runs last spring’s Friends On Tap and Street League after the event: invited, joined with pledges, two mentor-led teams', async () => {
    const create = async (template: string) =>
      (
        await champion.expect(201, 'POST', `/api/neighbourhoods/${neighbourhoodId}/challenges`, {
          template,
          ...CHALLENGE,
          targetSaving: 0.1,
        })
      ).id as string;
    friendsOnTap = await create('friends_on_tap');
    streetLeague = await create('street_league');
    const challenge = await champion.expect(200, 'GET', `/api/challenges/${friendsOnTap}`);
    expect(challenge).toMatchObject({ status: 'finished', baselineFrom: '2026-02-23', baselineTo: '2026-03-22' });

    for (const id of [friendsOnTap, streetLeague])
      expect(await champion.expect(200, 'POST', `/api/challenges/${id}/invitations`, { everyone: true })).toStrictEqual({
        invited: 12,
      });
    for (const one of homes) {
      const session = home(one.alias);
      // A finished challenge is still offered until it is archived: joining is the home's consent to its figures.
      const offered = await session.expect(200, 'GET', `/api/households/${session.householdId}/invitations`);
      expect(offered.map((c: { challengeId: string }) => c.challengeId).sort()).toStrictEqual(
        [friendsOnTap, streetLeague].sort(),
      );
      await session.expect(201, 'POST', `/api/challenges/${friendsOnTap}/membership`, { pledges: ['shorter_showers'] });
      await session.expect(201, 'POST', `/api/challenges/${streetLeague}/membership`, {});
    }

    const idOf = (alias: string) => home(alias).householdId as string;
    const team = async (name: string, mentor: string, members: string[]) =>
      (
        await champion.expect(201, 'POST', `/api/challenges/${friendsOnTap}/teams`, {
          name,
          mentorHouseholdId: idOf(mentor),
          householdIds: members.map(idOf),
        })
      ).id as string;
    teams.elm = await team('Elm Friends', 'Kingfisher', ['Kingfisher', 'Heron', 'Wren']);
    teams.oak = await team('Oak Crew', 'Otter', ['Otter', 'Badger', 'Stoat', 'Newt']);
    // Robin changes its mind: private, so on no board and in no figure.
    await home('Robin').expect(200, 'PUT', `/api/households/${idOf('Robin')}/consent`, { consent: 'private' });
  });

  it('reads the teams board and every home’s rank, to the hand-worked figures across the clock change', async () => {
    const board = await champion.expect(200, 'GET', `/api/challenges/${friendsOnTap}/leaderboard`);
    expect(board).toMatchObject({ scope: 'teams', completeDays: 14, lastCompleteDay: '2026-04-05' });
    expect(board.entries.map((e: Entry) => [e.rank, e.name, e.status, e.mentor, e.members, e.ratedMembers])).toStrictEqual([
      [1, 'Elm Friends', 'ranked', 'Kingfisher', 3, 3],
      [2, 'Oak Crew', 'ranked', 'Otter', 4, 3],
    ]);
    expect(board.entries[0].saving).toBeCloseTo(2050 / 13440, 12);
    expect(board.entries[1].saving).toBeCloseTo(2053 / 14448, 12);
    // Fewer than five rated members: no team's litres.
    expect(board.entries.map((e: Entry) => e.saved)).toStrictEqual([null, null]);
    expect(board.target.saving).toBe(0.1);
    expect(board.target.reached).toBeCloseTo(4479 / 40800, 12);
    // Heron and Otter save the same share: Heron's 1360 L beat Otter's 680. Kingfisher and Wren tie
    // on both; so do Stoat and Mole on their share, Stoat's 8 L beating Mole's 4.
    expect(board.households.map((e: Entry) => [e.rank, e.name, e.status, e.saving])).toStrictEqual([
      [1, 'Heron', 'ranked', null],
      [2, 'Otter', 'ranked', null],
      [3, 'Badger', 'ranked', null],
      [4, 'Swift', 'ranked', null],
      [5, 'Kingfisher', 'ranked', null],
      [5, 'Wren', 'ranked', null],
      [7, 'Finch', 'ranked', null],
      [8, 'Stoat', 'ranked', null],
      [9, 'Mole', 'ranked', null],
      [10, 'Vole', 'ranked', null],
      [null, 'Newt', 'not_rated_yet', null],
    ]);
    expect(JSON.stringify(board)).not.toContain('Robin');
  });

  it('tells each home its own figures to the litre, its rank and its team’s', async () => {
    const mine = async (alias: string) =>
      (
        (await home(alias).expect(200, 'GET', `/api/households/${home(alias).householdId}/challenges`)) as {
          challengeId: string;
        }[]
      ).find((c) => c.challengeId === friendsOnTap) as Record<string, unknown>;
    const kingfisher = await mine('Kingfisher');
    expect(kingfisher).toMatchObject({
      status: 'ranked',
      team: 'Elm Friends',
      mentoring: true,
      rank: 1,
      of: 2,
      householdRank: 5,
      householdsRanked: 10,
      pledges: ['shorter_showers'],
      challengeStatus: 'finished',
    });
    expect(kingfisher.saving).toBeCloseTo(345 / 3360, 12);
    expect(kingfisher.saved).toBeCloseTo(345, 6);
    const finch = await mine('Finch');
    expect(finch).toMatchObject({ status: 'ranked', team: null, rank: null, householdRank: 7 });
    expect(finch.saved).toBeCloseTo(12, 6);
    expect(finch.saving).toBeCloseTo(12 / 3168, 12);
    const vole = await mine('Vole');
    expect(vole.saved).toBeCloseTo(-325, 6);
    expect(await mine('Newt')).toMatchObject({ status: 'not_rated_yet', team: 'Oak Crew', householdRank: null });
  });

  it('shows each mentor its team in words, and no one else', async () => {
    const view = await home('Otter').expect(200, 'GET', `/api/challenges/${friendsOnTap}/teams/${teams.oak}/mentoring`);
    expect(view.lastDay).toBe('2026-04-05');
    expect(view.members.map((m: Record<string, unknown>) => [m.alias, m.mentor, m.status, m.progress, m.quiet])).toStrictEqual([
      ['Badger', false, 'ranked', 'saving_a_lot', false],
      ['Newt', false, 'not_rated_yet', null, false],
      ['Otter', true, 'ranked', 'saving_a_lot', false],
      ['Stoat', false, 'ranked', 'as_usual', false],
    ]);
    await home('Heron').expect(403, 'GET', `/api/challenges/${friendsOnTap}/teams/${teams.oak}/mentoring`);
  });

  it('reads the streets board: each street from five rated homes, its litres too', async () => {
    const board = await home('Mole').expect(200, 'GET', `/api/challenges/${streetLeague}/leaderboard`);
    expect(board.entries.map((e: Entry) => [e.rank, e.name, e.status, e.members, e.ratedMembers, e.saved])).toStrictEqual([
      [1, 'Elm Street', 'ranked', 5, 5, 2747],
      [2, 'Oak Road', 'ranked', 6, 5, 1732],
    ]);
    expect(board.entries[0].saving).toBeCloseTo(2747 / 21648, 12);
    expect(board.entries[1].saving).toBeCloseTo(1732 / 19152, 12);
    expect(board.households.map((e: Entry) => e.name)).toStrictEqual([
      'Heron',
      'Otter',
      'Badger',
      'Swift',
      'Kingfisher',
      'Wren',
      'Finch',
      'Stoat',
      'Mole',
      'Vole',
      'Newt',
    ]);
  });
});

type Entry = {
  rank: number | null;
  name: string;
  status: string;
  saving: number | null;
  saved: number | null;
  mentor?: string | null;
  members?: number;
  ratedMembers?: number;
};
