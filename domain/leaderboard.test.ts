// Expected numbers are worked out by hand in the comments, not by calling the code.
//
// Every case: baseline February (28 days), challenge from 1 March, now 5 March 12:00 in London
// (GMT), so 1–4 March are complete (4 days).
//   Heron  baseline 200/day; challenge 160/day on 4 of 4 days: saving 1 − 160/200 = 0.2, saved 4 × 40 = 160.
//   Wren   baseline 400/day; challenge 360/day on 4 of 4:      saving 0.1, saved 4 × 40 = 160.
//   Swift  baseline 100/day; challenge  90/day on 4 of 4:      saving 0.1, saved 4 × 10 = 40.
//   Kite   as Swift to the litre: tied with it.
//   Finch  baseline 100/day; challenge data on 2 of 4 days (50% < 70%): not enough data.
//   Otter  baseline data on 10 of 28 days (36% < 70%): not rated yet.
//   Newt   nothing read at all: not rated yet.
//   Robin  private: on no board, in no figure.
// Today so far (12:00): expected = a usual day's use by noon. Each usual day here uses half its
// baseline at 07:00 and half at 19:00, so by noon: Heron 100, Wren 200, Swift, Kite and Finch 50.
// Heron used 80 of 100, Swift 50 of 50, Kite 45 of 50, Finch 25 of 50; Wren has no data today.
// A households board shows no today at all, a group's only from five contributing members.
import { describe, expect, it } from 'vitest';
import type { Challenge } from './challenge.ts';
import {
  type BoardPeriod,
  boardPeriod,
  type ChallengeMember,
  computeLeaderboard,
  TODAY_SHOWN_FROM_MEMBERS,
} from './leaderboard.ts';
import type { WindowSummary } from './scoring.ts';

const challenge = (scope: Challenge['scope'], targetSaving: number | null = null) => ({
  id: 'c1',
  scope,
  startsOn: '2026-03-01',
  endsOn: '2026-03-28',
  baselineFrom: '2026-02-01',
  baselineTo: '2026-02-28',
  targetSaving,
});

const period: BoardPeriod = {
  lastCompleteDay: '2026-03-04',
  completeDays: 4,
  windows: [
    { from: '2026-02-01', to: '2026-02-28' },
    { from: '2026-03-01', to: '2026-03-04' },
  ],
  today: { date: '2026-03-05', clock: { hour: 12, fraction: 0 } },
};

/** [baseline days with data, litres a day on them], [challenge days with data, litres a day]. */
const windows = ([baseDays, basePerDay]: [number, number], [days, perDay]: [number, number]): WindowSummary[] => [
  { days: 28, daysWithData: baseDays, totalWithData: baseDays * basePerDay },
  { days: 4, daysWithData: days, totalWithData: days * perDay },
];
const summaries = new Map<string, WindowSummary[]>([
  ['heron', windows([28, 200], [4, 160])],
  ['wren', windows([28, 400], [4, 360])],
  ['swift', windows([28, 100], [4, 90])],
  ['kite', windows([28, 100], [4, 90])],
  ['finch', windows([28, 100], [2, 90])],
  ['otter', windows([10, 100], [4, 90])],
  ['robin', windows([28, 100], [4, 10])],
]);
/** A usual day by clock hour: `morning` in the hour from 07:00, `evening` in the hour from 19:00. */
const usualDay = (morning: number, evening: number) =>
  Array.from({ length: 24 }, (_, h) => (h === 7 ? morning : h === 19 ? evening : 0));
const usualHours = new Map([
  ['heron', usualDay(100, 100)],
  ['wren', usualDay(200, 200)],
  ['swift', usualDay(50, 50)],
  ['kite', usualDay(50, 50)],
  ['finch', usualDay(50, 50)],
  ['otter', usualDay(50, 50)],
  ['robin', usualDay(50, 50)],
]);
const useToday = new Map([
  ['heron', 80],
  ['swift', 50],
  ['kite', 45],
  ['finch', 25],
  ['robin', 0],
]);

const alias = (id: string) => id[0]?.toUpperCase() + id.slice(1);
const member = (id: string, options: Partial<ChallengeMember> = {}): ChallengeMember => ({
  householdId: id,
  alias: alias(id),
  street: 'Elm Street',
  private: false,
  team: null,
  ...options,
});
const everyone = [
  member('heron'),
  member('wren'),
  member('swift'),
  member('kite'),
  member('finch'),
  member('otter'),
  member('newt'),
  member('robin', { private: true }),
];

describe('a households board', () => {
  const { board, publicBoard, standings } = computeLeaderboard({
    challenge: challenge('households', 0.1),
    period,
    members: everyone,
    summaries,
    useToday,
    usualHours,
  });

  it('ranks by saving, then litres saved; equal both share a rank; the unrated follow by name', () => {
    // Wren and Swift both save 0.1: Wren's 160 L beat Swift's 40. Kite and Swift tie on both: 3rd each.
    expect(board.entries.map((e) => [e.rank, e.name, e.status])).toStrictEqual([
      [1, 'Heron', 'ranked'],
      [2, 'Wren', 'ranked'],
      [3, 'Kite', 'ranked'],
      [3, 'Swift', 'ranked'],
      [null, 'Finch', 'not_enough_data'],
      [null, 'Newt', 'not_rated_yet'],
      [null, 'Otter', 'not_rated_yet'],
    ]);
    expect(board.entries.map((e) => e.saving)).toStrictEqual([
      1 - 160 / 200,
      1 - 360 / 400,
      1 - 90 / 100,
      1 - 90 / 100,
      null,
      null,
      null,
    ]);
  });

  it('shows no litres on a households board, and leaves out private households', () => {
    expect(board.entries.every((e) => e.saved === null)).toBe(true);
    expect(board.entries.map((e) => e.name)).not.toContain('Robin');
    expect(standings.has('robin')).toBe(false);
  });

  it('gives no household a today on the board: refreshed every 5 s, it would tell the neighbours when a home is in use', () => {
    // Heron used 80 of a usual 100 by noon, Kite 45 of 50…: none of it is on the board (each
    // household sees its own on its own page).
    expect(board.entries.map((e) => [e.name, e.today])).toStrictEqual([
      ['Heron', null],
      ['Wren', null],
      ['Kite', null],
      ['Swift', null],
      ['Finch', null],
      ['Newt', null],
      ['Otter', null],
    ]);
  });

  it('measures the target by the mean saving of the ranked households, not weighted by their baselines', () => {
    // Ranked: Heron 0.2, Wren 0.1, Swift 0.1, Kite 0.1 (not Finch; never Robin): 0.5 / 4 = 0.125.
    // (Weighted, Σ saved / Σ expected = 400 / 3200 is 0.125 too here; see the next case.)
    expect(board.target?.saving).toBe(0.1);
    expect(board.target?.reached).toBeCloseTo(0.125, 12);
    expect(board).toMatchObject({ challengeId: 'c1', scope: 'households', completeDays: 4, lastCompleteDay: '2026-03-04' });
    expect(board.households).toBeNull();
  });

  it('gives no weighted figure beside the savings, from which a household could solve for baselines', () => {
    // Heron 0.2 and Wren 0.1 only: the mean is 0.15; weighted it would be (160 + 160) / (800 + 1600)
    // = 0.1333…, and with its own baseline Heron could solve that for Wren's 400 L a day.
    const { board: two } = computeLeaderboard({
      challenge: challenge('households', 0.1),
      period,
      members: [member('heron'), member('wren')],
      summaries,
      useToday,
      usualHours,
    });
    expect(two.target?.reached).toBeCloseTo(0.15, 12);
  });

  it("keeps each household's own litres for its own standing, with the same status as its entry", () => {
    expect(standings.get('heron')).toStrictEqual({
      status: 'ranked',
      saving: 1 - 160 / 200,
      saved: 160,
      team: null,
      teamId: null,
      mentors: false,
      street: 'Elm Street',
    });
    expect(standings.get('finch')).toMatchObject({ status: 'not_enough_data', saving: null, saved: null });
    expect(standings.get('newt')).toMatchObject({ status: 'not_rated_yet', saving: null, saved: null });
  });

  it('publishes rank, name, status and saving only: no live figure, no litres', () => {
    expect(publicBoard.entries[0]).toStrictEqual({ rank: 1, name: 'Heron', status: 'ranked', saving: 1 - 160 / 200 });
    expect(publicBoard.entries).toHaveLength(7);
  });
});

describe("a group's today so far", () => {
  // A street of six households, each rated (baseline 100 a day on all 28 days, 90 a day on 4 of 4
  // challenge days) and each usually using 50 L at 07:00 and 50 L at 19:00: 50 L by noon.
  const ids = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
  const street = (useToday: Map<string, number>, at = period.today, usual = usualDay(50, 50)) =>
    computeLeaderboard({
      challenge: challenge('streets'),
      period: { ...period, today: at },
      members: ids.map((id) => member(id)),
      summaries: new Map(ids.map((id) => [id, windows([28, 100], [4, 90])])),
      useToday,
      usualHours: new Map(ids.map((id) => [id, usual])),
    }).board.entries[0]?.today;

  it('counts only members with data today, and needs five of them', () => {
    expect(TODAY_SHOWN_FROM_MEMBERS).toBe(5);
    // a1–a4 used 40 L each by noon, a5 45 L; a6 has no data today (its meter is off), so it is
    // left out rather than "saving" its usual 50 L: 1 − (4 × 40 + 45) / (5 × 50) = 1 − 205/250 =
    // 0.18, shown in steps of 5%: 0.2.
    const five = new Map([
      ['a1', 40],
      ['a2', 40],
      ['a3', 40],
      ['a4', 40],
      ['a5', 45],
    ]);
    expect(street(five)).toBe(0.2);
    // a5 without data today too: four contribute (of six rated): no figure, or a4 could take its
    // own 40 L and 50 usual from the group's and be left with three others.
    five.delete('a5');
    expect(street(five)).toBeNull();
  });

  it('rounds to whole steps of 5%, so that a small change in one member does not show', () => {
    // Six members, a6 at 40 L too: 1 − (5 × 40 + 45) / 300 = 1 − 245/300 ≈ 0.1833 → 0.2. a1 uses 5 L
    // more (1 − 250/300 ≈ 0.1667 → 0.15), then 1 L more than that again (1 − 251/300 ≈ 0.1633 →
    // 0.15): the litre does not show.
    const uses = (a1: number) => new Map(ids.map((id) => [id, id === 'a1' ? a1 : id === 'a5' ? 45 : 40]));
    expect(street(uses(40))).toBe(0.2);
    expect(street(uses(45))).toBe(0.15);
    expect(street(uses(46))).toBe(0.15);
    // More than usual, a1 at 240 L: 1 − (240 + 4 × 40 + 45) / 300 = 1 − 445/300 ≈ −0.4833 → −0.5.
    expect(street(uses(240))).toBe(-0.5);
  });

  it('compares with the same hours of a usual day at night, and shows nothing with nothing usual by then', () => {
    // 03:30. A usual night: 10 L from 02:00, 4 L from 03:00: by 03:30 10 + 0.5 × 4 = 12 L each;
    // each used 6: 1 − 36/72 = 0.5.
    const night = new Array(24).fill(0).map((_, h) => (h === 2 ? 10 : h === 3 ? 4 : 0));
    const at = { date: '2026-03-05', clock: { hour: 3, fraction: 0.5 } };
    expect(street(new Map(ids.map((id) => [id, 6])), at, night)).toBe(0.5);
    // Usually nothing before 07:00: nothing to save against, so no figure (the share of the day
    // gone, 3.5/24 of 100 L, once made 0 L a saving of 100%).
    expect(street(new Map(ids.map((id) => [id, 0])), at)).toBeNull();
  });
});

describe('a teams board', () => {
  const team = (id: string, name: string, mentorHouseholdId: string | null) => ({ id, name, mentorHouseholdId });
  const elm = team('t1', 'Elm Friends', 'swift');
  const oak = team('t2', 'Oak Crew', 'robin');
  const solo = team('t3', 'Solo Stars', 'finch');
  const { board, publicBoard } = computeLeaderboard({
    challenge: challenge('teams'),
    period,
    members: [
      member('heron', { team: elm }),
      member('swift', { team: elm }),
      member('kite', { team: oak }),
      member('wren', { team: oak }),
      member('robin', { team: oak, private: true }),
      member('otter', { team: solo }),
      member('finch'),
    ],
    summaries,
    useToday,
    usualHours,
  });

  it('scores a team as Σ saved / Σ (baseline × days counted) over its rated members, and needs two', () => {
    // Elm Friends: (160 + 40) / (200×4 + 100×4) = 200 / 1200 = 1/6. Oak Crew without Robin:
    // (40 + 160) / (100×4 + 400×4) = 200 / 2000 = 0.1. Solo Stars: Otter is not rated, 0 of 2.
    // Finch is in no team, so on no teams board.
    expect(board.entries.map((e) => [e.rank, e.name, e.status, e.members, e.ratedMembers])).toStrictEqual([
      [1, 'Elm Friends', 'ranked', 2, 2],
      [2, 'Oak Crew', 'ranked', 2, 2],
      [null, 'Solo Stars', 'too_few_rated', 1, 0],
    ]);
    expect(board.entries[0]?.saving).toBeCloseTo(1 / 6, 12);
    expect(board.entries[1]?.saving).toBeCloseTo(0.1, 12);
    expect(board.entries[2]?.saving).toBeNull();
  });

  it('names a mentor only while it is in the team and not private', () => {
    // Swift mentors Elm Friends from within; Robin (Oak Crew) is private; Finch left Solo Stars.
    expect(board.entries.map((e) => e.mentor)).toStrictEqual(['Swift', null, null]);
    expect(publicBoard.entries.map((e) => e.mentor)).toStrictEqual(['Swift', null, null]);
  });

  it('ranks every shown household beside the teams, in or out of a team, without their savings', () => {
    // Heron 0.2 (1st), then Wren (0.1, 160 L) before Kite and Swift (0.1, 40 L each, tied 3rd);
    // Finch (in no team) has too little data, Otter is not rated; Robin is private.
    expect(board.households?.map((e) => [e.rank, e.name, e.status, e.saving])).toStrictEqual([
      [1, 'Heron', 'ranked', null],
      [2, 'Wren', 'ranked', null],
      [3, 'Kite', 'ranked', null],
      [3, 'Swift', 'ranked', null],
      [null, 'Finch', 'not_enough_data', null],
      [null, 'Otter', 'not_rated_yet', null],
    ]);
    expect(publicBoard.households?.map((e) => [e.rank, e.name, e.saving])).toStrictEqual(
      board.households?.map((e) => [e.rank, e.name, null]),
    );
  });

  it('shows no litres for teams under five rated members, and no today under five contributing members', () => {
    // Elm Friends' today would be 1 − (80 + 50) / (100 + 50) = 2/15 from two members: Heron knows
    // its own 80 of 100 from its own page and would read Swift's off it every 5 seconds.
    expect(board.entries.map((e) => e.saved)).toStrictEqual([null, null, null]);
    expect(board.entries.map((e) => e.today)).toStrictEqual([null, null, null]);
  });
});

describe('a streets board', () => {
  it('needs five rated households a street, shows its litres from five, and counts no private one', () => {
    // Elm Street: five households like Swift: 5 × 40 = 200 L saved of 5 × 400 = 2000 → 0.1.
    // Oak Road: four like Swift and a fifth who is private: 4 rated < 5 → too few, no figures.
    const likeSwift = windows([28, 100], [4, 90]);
    const ids = ['e1', 'e2', 'e3', 'e4', 'e5', 'o1', 'o2', 'o3', 'o4', 'o5'];
    const { board } = computeLeaderboard({
      challenge: challenge('streets'),
      period: { ...period, today: null },
      members: ids.map((id) => member(id, { street: id.startsWith('e') ? 'Elm Street' : 'Oak Road', private: id === 'o5' })),
      summaries: new Map(ids.map((id) => [id, likeSwift])),
      useToday: new Map(),
      usualHours: new Map(),
    });
    expect(board.entries).toStrictEqual([
      { rank: 1, name: 'Elm Street', status: 'ranked', saving: 0.1, saved: 200, members: 5, ratedMembers: 5, today: null },
      {
        rank: null,
        name: 'Oak Road',
        status: 'too_few_rated',
        saving: null,
        saved: null,
        members: 4,
        ratedMembers: 4,
        today: null,
      },
    ]);
  });
});

describe('boardPeriod', () => {
  const london = 'Europe/London';

  it('counts the complete challenge days, and gives today’s clock time while the challenge runs', () => {
    // 5 March 12:00 GMT: 1–4 March are over; the clock says 12:00.
    expect(boardPeriod(challenge('streets'), Date.parse('2026-03-05T12:00:00Z'), london)).toStrictEqual(period);
    // A households board has no live figure, so nothing of today is read for it.
    expect(boardPeriod(challenge('households'), Date.parse('2026-03-05T12:00:00Z'), london)).toStrictEqual({
      ...period,
      today: null,
    });
  });

  it('gives a live figure from two hours into the day, by the time gone, not the clock', () => {
    const at = (iso: string, endsOn = '2026-03-28') =>
      boardPeriod({ ...challenge('teams'), endsOn }, Date.parse(iso), london).today;
    expect(at('2026-03-02T01:59:59Z')).toBeNull();
    expect(at('2026-03-02T02:00:00Z')).toStrictEqual({ date: '2026-03-02', clock: { hour: 2, fraction: 0 } });
    // 29 March, clocks forward at 01:00 GMT: 01:30 UTC reads 02:30 BST but only 1.5 hours are gone;
    // 02:00 UTC reads 03:00 BST, 2 hours gone.
    expect(at('2026-03-29T01:30:00Z', '2026-04-30')).toBeNull();
    expect(at('2026-03-29T02:00:00Z', '2026-04-30')).toStrictEqual({ date: '2026-03-29', clock: { hour: 3, fraction: 0 } });
  });

  it('has only the baseline window before the first challenge day is over', () => {
    // 1 March 00:10: 10 minutes gone (under 2 hours): too early for a live figure.
    expect(boardPeriod(challenge('households'), Date.parse('2026-03-01T00:10:00Z'), london)).toStrictEqual({
      lastCompleteDay: null,
      completeDays: 0,
      windows: [{ from: '2026-02-01', to: '2026-02-28' }],
      today: null,
    });
  });

  it('stops at the last challenge day once it is over', () => {
    // 10 April: the challenge ended 28 March, 28 days after it began; no live figure.
    expect(boardPeriod(challenge('households'), Date.parse('2026-04-10T12:00:00Z'), london)).toMatchObject({
      lastCompleteDay: '2026-03-28',
      completeDays: 28,
      windows: [
        { from: '2026-02-01', to: '2026-02-28' },
        { from: '2026-03-01', to: '2026-03-28' },
      ],
      today: null,
    });
  });
});
