// An invitation pack: a champion's letters for one street, each with its own sign-up code, minted
// together, for the doorstep conversations that make the difference. The letters themselves are
// drawn by invitation-letters.ts.
import { challengePhase } from '../../domain/challenge.ts';
import { newLetterCode } from '../../lib/letter-codes.ts';
import { sha256 } from '../../lib/passwords.ts';
import { addDays, localDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { inviteToChallenge } from '../../storage/metadata/repositories/challenges.ts';
import { insertStreetInvitations } from '../../storage/metadata/repositories/invitations.ts';
import { challengeRecord } from '../../storage/metadata/repositories/leaderboard-inputs.ts';
import { neighbourhoodState, streetsOf } from '../../storage/metadata/repositories/neighbourhoods.ts';
import { badRequest, conflict, notFound } from '../http-errors.ts';
import type { Principal } from '../principal.ts';
import type { InvitationPackRequest } from '../schemas/neighbourhoods.ts';
import { openNeighbourhood } from './neighbourhoods.ts';

export interface InvitationPack {
  neighbourhood: string;
  street: string;
  challenge: { name: string; startsOn: string; endsOn: string } | null;
  /** The last local date the codes work on all day (they expire the day after, at the time they were made). */
  validUntil: string;
  /** The sign-up page, where a code is typed. */
  signUpUrl: string;
  letters: { code: string; url: string }[];
}

/** The sign-up page with a code filled in: what a letter's QR code holds. */
export const signUpLink = (signUpUrl: string, code: string) => `${signUpUrl}?code=${encodeURIComponent(code)}`;

/**
 * Mints one code a letter for a street of the neighbourhood, and, with a challenge, invites the
 * street to it (a street stays invited, so the homes that sign up with these codes are invited
 * too): all of it in one transaction, or nothing. Refused for an archived neighbourhood (409), a
 * street of another one (400 `street_unknown`), a challenge of another one or none (404), and a
 * challenge that is cancelled, archived or over (409).
 */
export async function mintInvitationPack(
  db: Database,
  by: Principal | null,
  request: InvitationPackRequest & { neighbourhoodId: string },
  now: number,
  publicUrl: string,
): Promise<InvitationPack> {
  const { neighbourhoodId, streetId, letters, challengeId, validDays } = request;
  return db.transaction(async (tx) => {
    const timeZone = await openNeighbourhood(tx, neighbourhoodId);
    const street = (await streetsOf(tx, neighbourhoodId)).find((one) => one.id === streetId);
    if (!street)
      throw badRequest('body.streetId: no such street in this neighbourhood', { reason: 'street_unknown', field: 'streetId' });
    let challenge: InvitationPack['challenge'] = null;
    if (challengeId !== undefined) {
      const record = await challengeRecord(tx, challengeId);
      if (record?.neighbourhoodId !== neighbourhoodId)
        throw notFound(`no challenge ${challengeId} in ${neighbourhoodId}`, {
          reason: 'challenge_unknown',
          field: 'challengeId',
        });
      if (record.lifecycle === 'cancelled')
        throw conflict(`challenge ${challengeId} was cancelled`, { reason: 'challenge_cancelled', field: 'challengeId' });
      if (record.lifecycle === 'archived')
        throw conflict(`challenge ${challengeId} is archived`, { reason: 'challenge_archived', field: 'challengeId' });
      if (challengePhase(record, localDate(now, timeZone)) === 'finished')
        throw conflict(`challenge ${challengeId} is over: invite to one that is still to come or running`, {
          reason: 'challenge_over',
          field: 'challengeId',
        });
      await inviteToChallenge(tx, record, { streetIds: [streetId] });
      challenge = { name: record.name, startsOn: record.startsOn, endsOn: record.endsOn };
    }
    const codes = Array.from({ length: letters }, newLetterCode);
    const expiresAt = new Date(now + validDays * 86_400_000);
    await insertStreetInvitations(tx, {
      codeHashes: codes.map(sha256),
      neighbourhoodId,
      streetId,
      createdBy: by?.accountId ?? null,
      expiresAt,
    });
    const signUpUrl = `${publicUrl.replace(/\/+$/, '')}/signup.html`;
    return {
      neighbourhood: (await neighbourhoodState(tx, neighbourhoodId))?.name ?? neighbourhoodId,
      street: street.name,
      challenge,
      validUntil: addDays(localDate(expiresAt.getTime(), timeZone), -1),
      signUpUrl,
      letters: codes.map((code) => ({ code, url: signUpLink(signUpUrl, code) })),
    };
  });
}
