// An invitation pack as paper: a cover page for the champion's doorstep round, then one A4 letter
// per home with its code in large type and a QR code that opens the sign-up page with the code
// filled in. PDFKit's standard fonts are used, so nothing is read from the machine; they hold the
// Windows-1252 characters only, so a name outside them is printed without its accents (or "?").
import PDFDocument from 'pdfkit';
import { type PledgeId, pledgeIds } from '../../domain/pledges.ts';
import { qrDrawing } from '../../lib/qr-code.ts';
import type { InvitationPack } from './invitation-pack.ts';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const WIDTH = A4.width - 2 * MARGIN;
const BRAND = '#0b5ea8';
const MUTED = '#4a5560';
const QR_SIZE = 132;
/** Light modules around the symbol, as ISO/IEC 18004 asks. */
const QUIET_MODULES = 4;

// The letter in plain words (a reading age of about nine), as short as it can be.
const PLEDGE_WORDS: Record<PledgeId, string> = {
  shorter_showers: 'Shorter showers (5 minutes)',
  tap_off_brushing: 'Tap off while brushing teeth',
  full_loads: 'Only full loads in the washing machine',
  fix_drips: 'Fix a dripping tap or toilet',
  water_butt: 'Water the garden from a water butt',
  garden_evening: 'Water the garden in the evening',
  shower_timer: 'Use a shower timer',
  no_prerinse: 'No rinsing dishes before the dishwasher',
};

const words = {
  brand: (neighbourhood: string) => `OnTap · ${neighbourhood}`,
  greeting: (street: string) => `Dear neighbour on ${street},`,
  what: (neighbourhood: string) =>
    `OnTap is how ${neighbourhood} saves water together. Your water meter's readings show you how much your home uses each day, next to what is usual for you. Neighbours run friendly challenges to use a little less.`,
  gets: 'You get your own page: today’s use, how much you have saved, and a warning when a tap or toilet may be leaking. Less water means a smaller bill on a meter, and less energy spent heating it.',
  privacy:
    'Your readings are yours: neighbours only ever see the name you choose for the leaderboard, never your address or your use, and you can download or delete everything at any time.',
  challenge: (name: string, from: string, to: string) => `Join "${name}", from ${from} to ${to}.`,
  pledges: 'When you join, you can promise one or more small changes:',
  codeTitle: 'Your invitation code',
  pledgeLine: 'We will:',
  how: (site: string, until: string) =>
    `To join, scan the square with your phone’s camera, or go to ${site} and type the code. The code is for your home only. It works once, until ${until}.`,
  signOff: 'Questions? Ask the neighbour who brought you this letter.',
  coverTitle: (street: string) => `Invitation letters for ${street}`,
  coverCount: (letters: number, until: string) =>
    `${letters} ${letters === 1 ? 'letter' : 'letters'}, each with its own code for one home. The codes work once, until ${until}. They are printed only here: keep the pack safe, and print a new one if letters go missing.`,
  whyTitle: 'Why knock on doors',
  why: 'In Affinity Water’s Bidwell trial, homes that talked with a neighbour and made a pledge saved 51.1 litres a day; homes that were only given information saved 17. The conversation is what makes the difference.',
  tipsTitle: 'On the doorstep',
  tips: [
    'Say who you are: a neighbour, not a salesperson. Say why you care.',
    'Ask one question: what uses the most water in your home? Then listen.',
    'Show the pledges on the letter. Ask them to choose one now, and to write it down.',
    'Say what neighbours see: only the name they choose, never their address or their use.',
    'Leave the letter with them. If nobody is in, post it through the door.',
    'Note which doors you knocked on, never what people said.',
  ],
  coverChallenge: (name: string) =>
    `The letters invite to "${name}": the street is invited, so every home that joins with a code can take part.`,
};

const longDate = (date: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );

// Windows-1252 beyond Latin-1: what the standard fonts can print besides U+0020–U+007E and U+00A0–U+00FF.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const printable = (character: string) => {
  const code = character.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(character);
};

/** Text the standard fonts can print: accents dropped where the letter has no glyph with them, else "?". */
export function paperText(text: string): string {
  return [...text]
    .map((character) => {
      if (printable(character)) return character;
      const bare = character.normalize('NFKD').replace(/\p{M}/gu, '');
      return [...bare].every(printable) && bare.length > 0 ? bare : '?';
    })
    .join('');
}

type Doc = InstanceType<typeof PDFDocument>;

/** Each page's first line: whose letter this is. */
const brandLine = (doc: Doc, pack: InvitationPack) =>
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor(BRAND)
    .text(paperText(words.brand(pack.neighbourhood)), MARGIN, MARGIN);

function coverPage(doc: Doc, pack: InvitationPack, until: string) {
  brandLine(doc, pack);
  doc
    .moveDown(0.8)
    .font('Helvetica-Bold')
    .fontSize(22)
    .fillColor('black')
    .text(paperText(words.coverTitle(pack.street)));
  doc
    .moveDown(0.5)
    .font('Helvetica')
    .fontSize(12)
    .text(paperText(words.coverCount(pack.letters.length, until)), { lineGap: 3 });
  if (pack.challenge) doc.moveDown(0.5).text(paperText(words.coverChallenge(pack.challenge.name)), { lineGap: 3 });
  doc.moveDown(1.2).font('Helvetica-Bold').fontSize(15).fillColor(BRAND).text(words.whyTitle);
  doc.moveDown(0.3).font('Helvetica').fontSize(12).fillColor('black').text(words.why, { lineGap: 3 });
  doc.moveDown(1.2).font('Helvetica-Bold').fontSize(15).fillColor(BRAND).text(words.tipsTitle);
  doc.moveDown(0.3).font('Helvetica').fontSize(12).fillColor('black');
  for (const tip of words.tips) doc.moveDown(0.3).text(`•  ${tip}`, { lineGap: 3, indent: 0 });
}

/** The QR code's dark modules as rectangles, one per run of a row, inside its quiet zone. */
function drawQr(doc: Doc, text: string, x: number, y: number) {
  const { size, runs } = qrDrawing(text);
  const module = QR_SIZE / (size + 2 * QUIET_MODULES);
  const left = x + QUIET_MODULES * module;
  const top = y + QUIET_MODULES * module;
  doc.rect(x, y, QR_SIZE, QR_SIZE).fill('white');
  for (const run of runs) doc.rect(left + run.column * module, top + run.row * module, run.length * module, module);
  doc.fill('black');
}

function letterPage(doc: Doc, pack: InvitationPack, letter: InvitationPack['letters'][number], until: string) {
  doc.rect(0, 0, A4.width, 10).fill(BRAND);
  brandLine(doc, pack);
  doc
    .moveDown(1)
    .font('Helvetica-Bold')
    .fontSize(20)
    .fillColor('black')
    .text(paperText(words.greeting(pack.street)));
  doc.moveDown(0.6).font('Helvetica').fontSize(12);
  for (const paragraph of [words.what(pack.neighbourhood), words.gets, words.privacy])
    doc.text(paperText(paragraph), { lineGap: 3 }).moveDown(0.6);
  if (pack.challenge) {
    const { name, startsOn, endsOn } = pack.challenge;
    doc.moveDown(0.2).font('Helvetica-Bold').fontSize(13).fillColor(BRAND);
    doc.text(paperText(words.challenge(name, longDate(startsOn), longDate(endsOn))));
    doc.moveDown(0.3).font('Helvetica').fontSize(11).fillColor('black').text(words.pledges);
    doc.moveDown(0.3);
    const top = doc.y;
    const half = Math.ceil(pledgeIds.length / 2);
    pledgeIds.forEach((id, index) => {
      const column = index < half ? 0 : 1;
      const row = index % half;
      doc.text(`•  ${PLEDGE_WORDS[id]}`, MARGIN + column * (WIDTH / 2), top + row * 17, {
        width: WIDTH / 2 - 8,
        lineBreak: false,
      });
    });
  }
  // The code box sits at the foot of the page, where a letter folded in three still shows it;
  // above it, a line to write the pledge chosen on the doorstep on.
  const boxHeight = QR_SIZE + 28;
  const boxTop = A4.height - MARGIN - boxHeight - 24;
  const lineY = boxTop - 36;
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .fillColor('black')
    .text(words.pledgeLine, MARGIN, lineY - 14, { lineBreak: false });
  doc
    .moveTo(MARGIN + 60, lineY)
    .lineTo(MARGIN + WIDTH, lineY)
    .lineWidth(0.75)
    .strokeColor(MUTED)
    .stroke();
  doc.roundedRect(MARGIN, boxTop, WIDTH, boxHeight, 8).lineWidth(2).strokeColor(BRAND).stroke();
  const textWidth = WIDTH - QR_SIZE - 42;
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .fillColor(MUTED)
    .text(words.codeTitle, MARGIN + 16, boxTop + 16, { width: textWidth });
  doc.moveDown(0.3).font('Courier-Bold').fontSize(25).fillColor('black').text(letter.code, { width: textWidth });
  doc
    .moveDown(0.4)
    .font('Helvetica')
    .fontSize(10.5)
    .text(paperText(words.how(pack.signUpUrl.replace(/^https?:\/\//, ''), until)), { width: textWidth, lineGap: 2 });
  drawQr(doc, letter.url, MARGIN + WIDTH - QR_SIZE - 14, boxTop + 14);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(MUTED)
    .text(words.signOff, MARGIN, boxTop + boxHeight + 8, { width: WIDTH, lineBreak: false });
}

/** Letters drawn between two turns of the event loop: 200 take over a second, which other requests should not wait for. */
const LETTERS_PER_TURN = 10;

/** The pack as a PDF: the champion's cover page, then one page a letter. */
export async function invitationLettersPdf(pack: InvitationPack): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: paperText(words.coverTitle(pack.street)), Author: 'OnTap' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const until = longDate(pack.validUntil);
  coverPage(doc, pack, until);
  for (const [index, letter] of pack.letters.entries()) {
    if (index > 0 && index % LETTERS_PER_TURN === 0) await new Promise(setImmediate);
    doc.addPage();
    letterPage(doc, pack, letter, until);
  }
  doc.end();
  return done;
}
