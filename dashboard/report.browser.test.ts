/// <reference lib="dom" />
// The monthly water report in a real browser against `ontap start` with its demo: reached from the
// household's page, its figures as the API gives them, at 1280 and 390 px (fits, axe, screenshots
// in artifacts/screenshots/), another month chosen, printed on one A4 page without the navigation,
// and the PDF downloaded. The demo has 36 homes: a comparison here needs 4 similar ones.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pdfPageCount, pdfText } from '../api/testing/pdf.ts';
import { type AllInOne, launchChromium, startAllInOne } from './testing/all-in-one.ts';
import { type PageTools, pageTools, screenshots } from './testing/pages.ts';

interface Report {
  month: string;
  firstMonth: string;
  currentMonth: string;
  litresPerDay: number | null;
  similarHomes: { shown: boolean; typical: number | null; efficient: number | null };
  cue: string | null;
  tips: { id: string }[];
}

describe('the monthly water report in Chromium', { timeout: 90_000 }, () => {
  let ontap: AllInOne;
  let browser: Browser;
  let tools: PageTools;

  beforeAll(async () => {
    [ontap, browser] = await Promise.all([startAllInOne({ ONTAP_AGGREGATE_MIN_HOUSEHOLDS: '4' }), launchChromium()]);
    tools = pageTools(browser, ontap);
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await ontap?.stop();
  });
  afterEach(() => {
    expect(tools.takeCspViolations()).toStrictEqual([]);
  });

  const apiGet = <T>(page: Page, path: string): Promise<T> =>
    page.evaluate(async (url) => (await fetch(url)).json(), path) as Promise<T>;
  const reportOf = async (page: Page, month: string) => {
    const { householdId } = await apiGet<{ householdId: string }>(page, '/api/auth/me');
    return apiGet<Report>(page, `/api/households/${householdId}/reports/${month}`);
  };
  const monthName = (month: string) =>
    new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      Date.parse(`${month}-15T12:00:00Z`),
    );
  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  it('opens from the household page on the last complete month, with the API’s figures, at both widths', async () => {
    for (const width of [1280, 390]) {
      const page = await tools.signIn('household', 0, width);
      await page.getByRole('link', { name: 'Your monthly water report, to print or download' }).click();
      await page.waitForURL(/\/report\.html$/);
      const { currentMonth } = await reportOf(page, new Date().toISOString().slice(0, 7));
      const previous = new Date(`${currentMonth}-15T12:00:00Z`);
      previous.setUTCMonth(previous.getUTCMonth() - 1);
      const report = await reportOf(page, previous.toISOString().slice(0, 7));
      await expect.poll(() => heading(page), { timeout: 20_000 }).toBe(`Your water report for ${monthName(report.month)}`);
      // Eight weeks of demo history: last month is over and has a figure, and (4 similar homes
      // needed) a comparison with its cue.
      expect(report.litresPerDay).not.toBeNull();
      expect(report.similarHomes.shown).toBe(true);
      expect(await page.locator('.figure').textContent()).toBe(`${report.litresPerDay?.toLocaleString('en')} litres a day`);
      const amounts = await page.locator('tbody td.amount').allTextContents();
      expect(amounts).toStrictEqual(
        [report.litresPerDay, report.similarHomes.typical, report.similarHomes.efficient].map((n) => n?.toLocaleString('en')),
      );
      const cue = { great: 'Great', good: 'Good', above: 'More than typical' }[report.cue ?? ''] ?? '';
      expect(await page.locator('.cue strong').textContent()).toBe(cue);
      expect(await page.locator('ol li').count()).toBe(report.tips.length);
      // The months offered: from the first with readings to this one.
      const offered = await page.getByLabel('Month').locator('option').allTextContents();
      expect(offered[0]).toBe(monthName(report.currentMonth));
      expect(offered.at(-1)).toBe(monthName(report.firstMonth));
      await tools.lookAt(page, 'report');
      await page.context().close();
    }
  });

  it('shows another month when one is chosen, and prints the report alone on one A4 page', async () => {
    const page = await tools.signIn('household', 0, 1280);
    await page.goto(`${ontap.url}/report.html`);
    await expect.poll(() => heading(page), { timeout: 20_000 }).toMatch(/^Your water report for /);
    const { currentMonth } = await reportOf(page, new Date().toISOString().slice(0, 7));
    await page.getByLabel('Month').focus();
    await page.getByLabel('Month').selectOption(currentMonth);
    await expect.poll(() => heading(page), { timeout: 20_000 }).toBe(`Your water report for ${monthName(currentMonth)}`);
    expect(new URL(page.url()).searchParams.get('month')).toBe(currentMonth);
    // Focus stays on the picker while the month loads (no change of context), and the change is said once.
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id)).toBe('month');
    await expect.poll(() => page.locator('.announcer').textContent()).toBe(`Your water report for ${monthName(currentMonth)}`);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    await page.screenshot({ path: join(screenshots, 'report-print.png'), fullPage: true });
    const printed = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(pdfPageCount(printed)).toBe(1);
    await page.context().close();
  });

  it('downloads the report as a PDF whose text holds the figures', async () => {
    const page = await tools.signIn('household', 0, 390);
    await page.goto(`${ontap.url}/report.html`);
    const link = page.getByRole('link', { name: 'Download as PDF' });
    await expect.poll(() => link.count(), { timeout: 20_000 }).toBe(1);
    const month = new URL(page.url()).searchParams.get('month') ?? (await page.getByLabel('Month').inputValue());
    const report = await reportOf(page, month);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`ontap-report-${month}.pdf`);
    const pdf = await readFile((await download.path()) as string);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain(`Your water report for ${monthName(month)}`);
    expect(text).toContain(`${report.litresPerDay?.toLocaleString('en')} litres a day`);
    await page.context().close();
  });
});
