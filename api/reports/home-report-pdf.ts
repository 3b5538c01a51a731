// The monthly water report as one A4 page of PDF (pdfkit), worded from the dashboard's catalog by
// the same sentences as the report page (dashboard/src/report-text.ts): title, home and month, the
// big figure, the bars against similar homes (drawn as rectangles), the cue with its face, pledges
// and tips. Text stays text (standard fonts), so it can be searched, copied and read aloud.
import PDFDocument from 'pdfkit';
import { en, type MessageKey } from '../../dashboard/src/i18n/en.ts';
import { type ReportText, reportText } from '../../dashboard/src/report-text.ts';
import type { HomeReportBody } from '../schemas/reports.ts';

/** The catalog's language; the pages' English is the only one so far. */
const LANGUAGE = 'en-GB';

const t = (key: MessageKey, values: Record<string, string | number> = {}): string =>
  en[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

// The design system's colours (dashboard/src/design/tokens.ts).
const COLOUR = {
  ink: '#15202b',
  muted: '#4a5560',
  line: '#c5d0d8',
  brand: '#0b5ea8',
  good: '#1b6e3a',
  bad: '#8f1d1d',
  typical: '#4a5560',
} as const;
const BAR_COLOUR = { you: COLOUR.brand, typical: COLOUR.typical, efficient: COLOUR.good } as const;

const MARGIN = 56;
const A4 = { width: 595.28, height: 841.89 };
const WIDTH = A4.width - 2 * MARGIN;

export async function homeReportPdf(report: HomeReportBody): Promise<Buffer> {
  const text = reportText(report, t, LANGUAGE);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: LANGUAGE,
    displayTitle: true,
    info: { Title: `${text.heading} – ${report.alias}`, Author: t('app.name'), Subject: t('report.title') },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  draw(doc, text);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

function draw(doc: PDFKit.PDFDocument, text: ReportText): void {
  const paragraph = (words: string, size = 11, colour: string = COLOUR.ink, font = 'Helvetica') =>
    doc.font(font).fontSize(size).fillColor(colour).text(words, MARGIN, doc.y, { width: WIDTH });
  const heading = (words: string) => {
    doc.moveDown(0.9);
    paragraph(words, 14, COLOUR.brand, 'Helvetica-Bold');
    doc.moveDown(0.3);
  };

  doc.rect(0, 0, A4.width, 8).fill(COLOUR.brand);
  doc.y = MARGIN - 16;
  paragraph(t('app.name'), 11, COLOUR.brand, 'Helvetica-Bold');
  paragraph(text.heading, 22, COLOUR.ink, 'Helvetica-Bold');
  paragraph(text.home, 12, COLOUR.muted);

  doc.moveDown(1);
  paragraph(text.figureAbout, 11, COLOUR.muted);
  if (text.figure) paragraph(text.figure, 34, COLOUR.brand, 'Helvetica-Bold');
  for (const line of [text.perPerson, text.days, text.usual]) if (line) paragraph(line);
  if (text.usualPeriod) paragraph(text.usualPeriod, 10, COLOUR.muted);

  heading(t('report.similar.title'));
  if (text.bars.length > 0) drawBars(doc, text.bars);
  paragraph(text.similar, 9.5, COLOUR.muted);
  if (text.cue) drawCue(doc, text.cue);

  heading(t('report.pledges.title'));
  if (text.pledges.length === 0) paragraph(t('report.pledges.none'));
  for (const pledge of text.pledges) paragraph(pledge);

  heading(t('report.tips.title'));
  text.tips.forEach((tip, index) => {
    paragraph(`${index + 1}. ${tip}`);
    doc.moveDown(0.3);
  });

  // At the foot of the page, whatever came before.
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor(COLOUR.muted)
    .text(text.about, MARGIN, A4.height - MARGIN - 12, { width: WIDTH, lineBreak: true, height: 24 });
}

/** One row per figure: its label, a rectangle as long as its litres (the longest filling the width), the litres. */
function drawBars(doc: PDFKit.PDFDocument, bars: ReportText['bars']): void {
  const label = 150;
  const figure = 50;
  const room = WIDTH - label - figure - 8;
  const longest = Math.max(...bars.map((bar) => bar.litres), 1);
  doc
    .font('Helvetica')
    .fontSize(9.5)
    .fillColor(COLOUR.muted)
    .text(t('report.similar.figures'), MARGIN, doc.y, { width: WIDTH, align: 'right' });
  doc.moveDown(0.2);
  for (const bar of bars) {
    const y = doc.y;
    doc
      .font(bar.kind === 'you' ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(11)
      .fillColor(COLOUR.ink)
      .text(bar.label, MARGIN, y + 3, { width: label - 8 });
    doc.rect(MARGIN + label, y, Math.max(2, (room * bar.litres) / longest), 18).fill(BAR_COLOUR[bar.kind]);
    doc
      .font('Helvetica-Bold')
      .fillColor(COLOUR.ink)
      .text(bar.text, MARGIN + label + room + 8, y + 3, { width: figure, align: 'right' });
    doc.y = y + 26;
  }
  doc.moveDown(0.2);
}

/** The cue: a face (smiling when approving, frowning when concerned), its word and its sentence. */
function drawCue(doc: PDFKit.PDFDocument, cue: NonNullable<ReportText['cue']>): void {
  doc.moveDown(0.6);
  const top = doc.y;
  const colour = cue.kind === 'above' ? COLOUR.bad : COLOUR.good;
  const [x, y, r] = [MARGIN + 16, top + 16, 15];
  doc.lineWidth(2).circle(x, y, r).stroke(colour);
  doc.circle(x - 5, y - 4, 1.8).fill(colour);
  doc.circle(x + 5, y - 4, 1.8).fill(colour);
  if (cue.kind === 'above') doc.moveTo(x - 7, y + 8).quadraticCurveTo(x, y + 2, x + 7, y + 8);
  else doc.moveTo(x - 7, y + 4).quadraticCurveTo(x, y + 11, x + 7, y + 4);
  doc.stroke(colour);
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .fillColor(colour)
    .text(cue.title, MARGIN + 44, top + 2, { width: WIDTH - 44 });
  doc
    .font('Helvetica')
    .fontSize(11)
    .fillColor(COLOUR.ink)
    .text(cue.body, MARGIN + 44, doc.y, { width: WIDTH - 44 });
  doc.y = Math.max(doc.y, top + 36);
}
