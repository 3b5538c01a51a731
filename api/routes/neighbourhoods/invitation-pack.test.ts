// A champion's invitation pack: a PDF of one letter a home, read back here page by page (its text
// and the QR code's rectangles, compared module by module with the symbol of the sign-up link the
// page's code makes), each code signing up one home on the street once; and what is refused.

import { create } from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../../lib/time.ts';
import { insertChallenge, updateChallenge } from '../../../storage/metadata/repositories/challenges.ts';
import { invitationCount, streetOfHousehold } from '../../../storage/metadata/testing/inspect.ts';
import {
  bearer,
  type Caller,
  callerWithToken,
  databaseKinds,
  personalBest,
  seedNeighbourhoods,
  testApp,
} from '../../testing/fixtures.ts';
import { contentRects, contentText, pdfContentStreams, pdfPageCount } from '../../testing/pdf.ts';

type Fixture = Awaited<ReturnType<typeof testApp>>;

// Codes expire by the database's clock, so the app's is the real one here and challenges lie around today.
const NOW = Date.now();
const today = localDate(NOW, 'Europe/London');
const day = (offset: number) => addDays(today, offset);
const longDate = (date: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

/** The QR code drawn on a page: its modules read back from the rectangles inside its light square. */
function qrOnPage(content: string): { size: number; bits: number[] } {
  const rects = contentRects(content);
  const square = rects.find((rect) => rect.width === rect.height && rect.width > 100);
  if (!square) throw new Error('no QR code on this page');
  const within = (value: number, from: number, length: number) => value >= from - 1e-3 && value <= from + length + 1e-3;
  const modules = rects.filter(
    (rect) =>
      rect !== square &&
      within(rect.x, square.x, square.width) &&
      within(rect.x + rect.width, square.x, square.width) &&
      within(rect.y, square.y, square.height) &&
      within(rect.y + rect.height, square.y, square.height),
  );
  const module = modules[0]?.height ?? 1;
  const size = Math.round(square.width / module) - 8;
  const bits = new Array<number>(size * size).fill(0);
  for (const rect of modules) {
    const row = Math.round((rect.y - square.y) / module) - 4;
    const column = Math.round((rect.x - square.x) / module) - 4;
    for (let i = 0; i < Math.round(rect.width / module); i++) bits[row * size + column + i] = 1;
  }
  return { size, bits };
}

const symbolOf = (text: string) => {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, bits: [...modules.data].map((bit) => (bit ? 1 : 0)) };
};

describe.each(databaseKinds)('invitation packs on %s', (kind) => {
  let fixture: Fixture;
  let champion: Caller;

  beforeAll(async () => {
    fixture = await testApp(kind, { rateLimits: false, now: () => NOW, settings: { publicUrl: 'https://ontap.example.org/' } });
    await seedNeighbourhoods(fixture.db);
    champion = await callerWithToken(fixture.db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    await insertChallenge(fixture.db, personalBest('running', 'n1', 'Running', day(-5), day(20)));
    await insertChallenge(fixture.db, personalBest('april', 'n1', 'April Best', day(17), day(44)));
    await insertChallenge(fixture.db, personalBest('early', 'n1', 'Early', day(-60), day(-33)));
    await insertChallenge(fixture.db, personalBest('called-off', 'n1', 'Called Off', day(17), day(44)));
    await insertChallenge(fixture.db, personalBest('kept', 'n1', 'Kept', day(-60), day(-33)));
    await insertChallenge(fixture.db, personalBest('far-one', 'n2', 'Far One', day(17), day(44)));
    const lifecycle = (id: string, name: string, status: 'cancelled' | 'archived') =>
      updateChallenge(fixture.db, id, {
        name,
        targetSaving: null,
        startsOn: status === 'cancelled' ? day(17) : day(-60),
        endsOn: status === 'cancelled' ? day(44) : day(-33),
        baselineFrom: '2026-01-01',
        baselineTo: '2026-01-28',
        lifecycle: status,
      });
    await lifecycle('called-off', 'Called Off', 'cancelled');
    await lifecycle('kept', 'Kept', 'archived');
  });
  afterAll(async () => fixture?.close());

  const pack = (body: object, caller: Caller = champion, headers: Record<string, string> = {}) =>
    fixture.app.inject({
      method: 'POST',
      url: '/api/neighbourhoods/n1/invitation-pack',
      headers: { ...bearer(caller), ...headers },
      payload: body,
    });
  const invitations = () => invitationCount(fixture.db);

  it('prints a cover page and one letter a home, each code signing one home up on the street, once', async () => {
    const before = await invitations();
    const response = await pack({ streetId: 'elm', letters: 3, challengeId: 'april' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('attachment; filename="invitations-elm.pdf"');
    const pdf = response.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfPageCount(pdf)).toBe(4);
    expect(await invitations()).toBe((before ?? 0) + 3);

    const [cover, ...letters] = pdfContentStreams(pdf).map((content) => ({ content, text: contentText(content) }));
    expect(cover?.text).toContain('Invitation letters for Elm Street');
    expect(cover?.text.join(' ')).toContain('51.1 litres a day');
    expect(letters).toHaveLength(3);
    const codes: string[] = [];
    for (const letter of letters) {
      const text = letter.text.join('\n');
      expect(letter.text).toContain('Dear neighbour on Elm Street,');
      expect(text).toContain('OnTap is how Riverside saves water together.');
      expect(text).toContain(`Join "April Best", from ${longDate(day(17))} to ${longDate(day(44))}.`);
      expect(letter.text.some((line) => line.includes('Shorter showers (5 minutes)'))).toBe(true);
      expect(text).toContain('ontap.example.org/signup.html');
      const code = letter.text.find((line) => CODE.test(line));
      expect(code, text).toBeDefined();
      codes.push(code as string);
      // The QR code is the sign-up page with this letter's code filled in, module for module.
      expect(qrOnPage(letter.content)).toStrictEqual(symbolOf(`https://ontap.example.org/signup.html?code=${code}`));
    }
    expect(new Set(codes).size).toBe(3);

    for (const [index, code] of codes.entries()) {
      // As typed off paper: in lower case and without dashes too.
      const typed = index === 0 ? code.toLowerCase().replaceAll('-', ' ') : code;
      const signUp = (email: string) =>
        fixture.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { code: typed, email, password: 'kettle lantern orchard', alias: `Letter Home ${'ABC'[index]}` },
        });
      const first = await signUp(`letter-${index}@example.org`);
      expect(first.statusCode, first.body).toBe(201);
      const householdId = first.json().householdId as string;
      expect(await streetOfHousehold(fixture.db, householdId)).toBe('elm');
      const cookie = `ontap_session=${first.cookies.find((c) => c.name === 'ontap_session')?.value}`;
      const invited = await fixture.app.inject({
        method: 'GET',
        url: `/api/households/${householdId}/invitations`,
        headers: { cookie },
      });
      expect(invited.json().map((one: { challengeId: string }) => one.challengeId)).toContain('april');

      const again = await signUp(`again-${index}@example.org`);
      expect(again.statusCode).toBe(400);
      expect(again.json()).toMatchObject({ reason: 'invitation_invalid' });
    }
  });

  it('prints no challenge without one, and links to the address the request came to without ONTAP_PUBLIC_URL', async () => {
    const app = await (await import('../../app.ts')).buildApp({
      db: fixture.db,
      store: fixture.store,
      rateLimits: false,
      now: () => NOW,
    });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/api/neighbourhoods/n1/invitation-pack',
        headers: { ...bearer(champion), host: 'riverside.example:8080' },
        payload: { streetId: 'oak', letters: 1 },
      });
      expect(response.statusCode, response.body).toBe(200);
      const [, letter] = pdfContentStreams(response.rawPayload);
      const text = contentText(letter ?? '');
      expect(text).toContain('Dear neighbour on Oak Road,');
      expect(text.some((line) => line.startsWith('Join'))).toBe(false);
      const code = text.find((line) => CODE.test(line));
      expect(qrOnPage(letter ?? '')).toStrictEqual(symbolOf(`http://riverside.example:8080/signup.html?code=${code}`));
    } finally {
      await app.close();
    }
  });

  it('refuses what cannot be printed, with a clear reason, and mints nothing then', async () => {
    const before = await invitations();
    const refusals: [object, number, object][] = [
      [{ streetId: 'elm', letters: 0 }, 400, { fields: [{ field: 'letters', code: 'too_small', limit: 1 }] }],
      [{ streetId: 'elm', letters: 10_000 }, 400, { fields: [{ field: 'letters', code: 'too_big', limit: 200 }] }],
      [{ streetId: 'elm', letters: 2.5 }, 400, { fields: [{ field: 'letters' }] }],
      [{ streetId: 'elm' }, 400, { fields: [{ field: 'letters' }] }],
      [{ streetId: 'nowhere', letters: 2 }, 400, { reason: 'street_unknown', fields: [{ field: 'streetId' }] }],
      [{ streetId: 'far', letters: 2 }, 400, { reason: 'street_unknown' }],
      [{ streetId: 'elm', letters: 2, challengeId: 'no-such' }, 404, { reason: 'challenge_unknown' }],
      [{ streetId: 'elm', letters: 2, challengeId: 'far-one' }, 404, { reason: 'challenge_unknown' }],
      [{ streetId: 'elm', letters: 2, challengeId: 'called-off' }, 409, { reason: 'challenge_cancelled' }],
      [{ streetId: 'elm', letters: 2, challengeId: 'kept' }, 409, { reason: 'challenge_archived' }],
      [{ streetId: 'elm', letters: 2, challengeId: 'early' }, 409, { reason: 'challenge_over' }],
    ];
    for (const [body, status, problem] of refusals) {
      const refused = await pack(body);
      expect(refused.statusCode, `${JSON.stringify(body)}: ${refused.body}`).toBe(status);
      expect(refused.json()).toMatchObject(problem);
    }
    // A running challenge is fine to invite to.
    expect((await pack({ streetId: 'oak', letters: 1, challengeId: 'running' })).statusCode).toBe(200);
    expect(await invitations()).toBe((before ?? 0) + 1);
  });

  it("is for the neighbourhood's own champion and admins only", async () => {
    const far = await callerWithToken(fixture.db, 'far-champion', 'champion', { neighbourhoodId: 'n2' });
    const household = await callerWithToken(fixture.db, 'household', 'household', { householdId: 'h1' });
    const utility = await callerWithToken(fixture.db, 'utility', 'utility', { neighbourhoodId: 'n1' });
    const admin = await callerWithToken(fixture.db, 'admin', 'admin');
    for (const caller of [far, household, utility])
      expect((await pack({ streetId: 'elm', letters: 1 }, caller)).statusCode).toBe(403);
    expect((await pack({ streetId: 'elm', letters: 1 }, { name: 'anonymous', token: null, accountId: null })).statusCode).toBe(
      401,
    );
    expect((await pack({ streetId: 'elm', letters: 1 }, admin)).statusCode).toBe(200);
  });
});

describe('invitation packs under their rate limit', () => {
  let fixture: Fixture;
  afterAll(async () => fixture?.close());

  it('prints at most 10 packs a minute for one address', async () => {
    fixture = await testApp('pglite', { now: () => NOW });
    await seedNeighbourhoods(fixture.db);
    const champion = await callerWithToken(fixture.db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await fixture.app.inject({
        method: 'POST',
        url: '/api/neighbourhoods/n1/invitation-pack',
        headers: bearer(champion),
        payload: { streetId: 'elm', letters: 1 },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toStrictEqual([...new Array(10).fill(200), 429]);
  });
});
