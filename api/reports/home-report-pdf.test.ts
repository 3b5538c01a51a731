// The report's one A4 page: real text with the figures, the bars as rectangles of hand-worked
// widths, the cue, pledges and tips; nothing but the words when there is no comparison.
import { describe, expect, it } from 'vitest';
import { contentRects, contentText, pdfContentStreams, pdfPageCount, pdfText } from '../testing/pdf.ts';
import { swiftFebruary } from '../testing/reports.ts';
import { homeReportPdf } from './home-report-pdf.ts';

const report = swiftFebruary;

const lines = (pdf: Buffer) => pdfContentStreams(pdf).flatMap(contentText);
const rectangles = (pdf: Buffer) =>
  pdfContentStreams(pdf)
    .flatMap(contentRects)
    .map(({ x, y, width, height }) => [x, y, width, height]);

describe('homeReportPdf', () => {
  it('is one A4 page of real text holding the figures', async () => {
    const pdf = await homeReportPdf(report);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfPageCount(pdf)).toBe(1);
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
    const shown = lines(pdf);
    for (const line of [
      'Your water report for February 2026',
      'For Swift',
      '300 litres a day',
      '150 litres per person a day: the aim is 110 or less.',
      'The mean over 28 days with readings, 1 February to 28 February.',
      '25% more than your usual 240 litres a day.',
      'Your usual: the 4 weeks from 29 December to 25 January.',
      'Your home',
      '300',
      'Typical similar home',
      '240',
      'Efficient similar home',
      '190',
      'More than typical',
      'You used more water than a typical home like yours. The tips below can help.',
      'In Spring: Shorter showers (5 minutes); Water the garden from a water butt.',
    ])
      expect(shown).toContain(line);
    // Tips are numbered, each as its sentence (wrapped over lines); punctuation as it is printed.
    const text = pdfText(pdf);
    expect(text).toContain('Your home’s water use in February 2026');
    expect(text).toContain('1. Check for a leak: 16.7% of your water ran between 1 and 5 at night');
    expect(text).toContain('2. You used 150 litres per person a day, above the aim of 110.');
  });

  it('draws the bars as rectangles as long as their litres, the longest filling the room', async () => {
    // Room for a bar: 595.28 − 2 × 56 (margins) − 150 (label) − 50 (figure) − 8 = 275.28 points;
    // 240 / 300 of it = 220.224, 190 / 300 = 174.344. Below the page's top band (the full width).
    const [band, ...bars] = rectangles(await homeReportPdf(report));
    expect(band).toStrictEqual([0, 0, 595.28, 8]);
    expect(bars.map(([x, , width, height]) => [x, width, height])).toStrictEqual([
      [206, 275.28, 18],
      [206, 220.224, 18],
      [206, 174.344, 18],
    ]);
  });

  it('says why there is no comparison, with no bars and no cue', async () => {
    const alone = {
      ...report,
      similarHomes: { ...report.similarHomes, shown: false, typical: null, efficient: null },
      cue: null,
      pledges: [],
    };
    const pdf = await homeReportPdf(alone);
    expect(rectangles(pdf)).toHaveLength(1);
    const text = pdfText(pdf);
    expect(text).toContain(
      'No comparison this month: fewer than 5 homes of 2 people in your neighbourhood share their figures for research',
    );
    expect(text).not.toContain('More than typical');
    expect(text).toContain('You made no pledges in a challenge this month.');
  });

  it('compresses its page, whose text still reads back', async () => {
    const pdf = await homeReportPdf(report);
    expect(pdf.toString('latin1')).toContain('/FlateDecode');
    expect(pdf.toString('latin1')).not.toContain('TJ');
    expect(lines(pdf)).toContain('300 litres a day');
  });
});
