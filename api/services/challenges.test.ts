// Creating a team and joining a challenge each write several rows: all of them or none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../storage/metadata/database.ts';
import { insertChallenge, inviteToChallenge } from '../../storage/metadata/repositories/challenges.ts';
import { consentChangesOf, householdProfile, setConsent } from '../../storage/metadata/repositories/households.ts';
import { insertMemberships, isMember, teamOfMember } from '../../storage/metadata/repositories/memberships.ts';
import { teamsOf } from '../../storage/metadata/repositories/teams.ts';
import { failingOn, InjectedFailure } from '../../storage/metadata/testing/failing-database.ts';
import { databaseKinds, openTestDatabase, seedNeighbourhoods } from '../testing/fixtures.ts';
import { joinChallenge } from './challenges.ts';
import { createTeam } from './teams.ts';

describe.each(databaseKinds)('challenge writes on %s', (kind) => {
  let db: Database;
  let close: () => Promise<void>;
  const challenge = { id: 'friends', neighbourhoodId: 'n1' };
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(kind));
    await seedNeighbourhoods(db);
    await insertChallenge(db, {
      ...challenge,
      template: 'friends_on_tap',
      name: 'Friends On Tap',
      metric: 'water',
      scope: 'teams',
      startsOn: '2026-03-01',
      endsOn: '2026-03-28',
      baselineFrom: '2026-02-01',
      baselineTo: '2026-02-28',
    });
    await inviteToChallenge(db, challenge, { householdIds: ['h1', 'h2', 'h3'] });
  });
  afterAll(async () => close?.());

  it('creates no team when its members cannot be put in it', async () => {
    await insertMemberships(db, challenge.id, ['h1', 'h2']);
    const team = { name: 'Kingfishers', mentorHouseholdId: 'h1', householdIds: ['h1', 'h2'] };
    await expect(createTeam(failingOn(db, { update: 'memberships' }), challenge.id, team)).rejects.toThrow(InjectedFailure);
    expect(await teamsOf(db, challenge.id)).toStrictEqual([]);
    expect(await teamOfMember(db, challenge.id, 'h1')).toBeNull();
    // Nothing was left to get in the way: the same team is made in full.
    const made = await createTeam(db, challenge.id, team);
    expect(await teamsOf(db, challenge.id)).toStrictEqual([{ id: made.id, name: 'Kingfishers' }]);
    expect(await teamOfMember(db, challenge.id, 'h2')).toBe(made.id);
  });

  it('neither joins nor raises consent when the consent change cannot be recorded', async () => {
    await setConsent(db, ['h3'], 'private');
    const before = await consentChangesOf(db, ['h3']);
    const joining = joinChallenge(failingOn(db, { insertInto: 'consent_changes' }), challenge.id, {
      householdId: 'h3',
      accountId: null,
    });
    await expect(joining).rejects.toThrow(InjectedFailure);
    expect(await isMember(db, challenge.id, 'h3')).toBe(false);
    expect((await householdProfile(db, 'h3'))?.consent).toBe('private');
    expect(await consentChangesOf(db, ['h3'])).toStrictEqual(before);
    await joinChallenge(db, challenge.id, { householdId: 'h3', accountId: null });
    expect(await isMember(db, challenge.id, 'h3')).toBe(true);
    expect((await householdProfile(db, 'h3'))?.consent).toBe('challenge');
    expect(await consentChangesOf(db, ['h3'])).toHaveLength(before.length + 1);
  });
});
