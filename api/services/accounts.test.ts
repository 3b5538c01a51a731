// Sign-up is one transaction, everything checked before anything is written: a sign-up that fails
// half-way leaves no household, no account, and the invitation code still unused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../storage/metadata/database.ts';
import { emailTaken } from '../../storage/metadata/repositories/accounts.ts';
import { invitationUsed } from '../../storage/metadata/repositories/invitations.ts';
import { failingOn, InjectedFailure } from '../../storage/metadata/testing/failing-database.ts';
import { householdIdsWithAlias } from '../../storage/metadata/testing/inspect.ts';
import { sha256 } from '../plugins/auth.ts';
import { databaseKinds, householdInvitationCode, openTestDatabase, seedNeighbourhoods } from '../testing/fixtures.ts';
import { signUp } from './accounts.ts';

describe.each(databaseKinds)('sign-up on %s', (kind) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(kind));
    await seedNeighbourhoods(db);
  });
  afterAll(async () => close?.());

  const householdInvitation = () => householdInvitationCode(db, { neighbourhoodId: 'n1', streetId: 'oak' });
  const password = 'kettle lantern orchard';

  it('writes nothing when the account cannot be written after the household was', async () => {
    const code = await householdInvitation();
    const failing = failingOn(db, { insertInto: 'accounts' });
    await expect(signUp(failing, { email: 'half@example.org', password, code, alias: 'Halfway' })).rejects.toThrow(
      InjectedFailure,
    );
    expect(await householdIdsWithAlias(db, 'Halfway')).toStrictEqual([]);
    expect(await emailTaken(db, 'half@example.org')).toBe(false);
    expect(await invitationUsed(db, sha256(code))).toBe(false);
    // The same code still works.
    await signUp(db, { email: 'half@example.org', password, code, alias: 'Halfway' });
    expect(await householdIdsWithAlias(db, 'Halfway')).toHaveLength(1);
    expect(await invitationUsed(db, sha256(code))).toBe(true);
  });

  it('writes nothing when the invitation cannot be marked used after the account was written', async () => {
    const code = await householdInvitation();
    const failing = failingOn(db, { update: 'invitations' });
    await expect(signUp(failing, { email: 'late@example.org', password, code, alias: 'Lately' })).rejects.toThrow(
      InjectedFailure,
    );
    expect(await householdIdsWithAlias(db, 'Lately')).toStrictEqual([]);
    expect(await emailTaken(db, 'late@example.org')).toBe(false);
    expect(await invitationUsed(db, sha256(code))).toBe(false);
  });

  it('keeps the code usable when the alias is taken: a typo does not burn it', async () => {
    const code = await householdInvitation();
    await expect(signUp(db, { email: 'typo@example.org', password, code, alias: 'Swift' })).rejects.toThrow(/already called/);
    expect(await invitationUsed(db, sha256(code))).toBe(false);
    expect(await emailTaken(db, 'typo@example.org')).toBe(false);
    await signUp(db, { email: 'typo@example.org', password, code, alias: 'Swallow' });
    expect(await invitationUsed(db, sha256(code))).toBe(true);
  });
});
