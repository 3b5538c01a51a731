/// <reference lib="dom" />
// Browser-test support shared by the browser tests: pages in fresh contexts that report
// Content-Security-Policy violations, signing in once per account (later pages reuse its session),
// axe-core with no WCAG 2.2 A/AA violation, and `lookAt` (fits the width, passes axe, photographed
// into artifacts/screenshots/).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AllInOne } from './all-in-one.ts';

export const screenshots = join(import.meta.dirname, '..', '..', 'artifacts', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const homes: Record<string, string> = {
  household: '/household.html',
  champion: '/champion.html',
  utility: '/utility.html',
  admin: '/admin.html',
};

export interface PageTools {
  newPage(options?: Parameters<Browser['newContext']>[0]): Promise<Page>;
  /** A page signed in as the `index`th account of `role`, at its home page. */
  signIn(role: string, index?: number, width?: number): Promise<Page>;
  expectAccessible(page: Page): Promise<void>;
  lookAt(page: Page, name: string): Promise<void>;
  /** The policy violations reported since the last call (each test expects none). */
  takeCspViolations(): string[];
}

export function pageTools(browser: Browser, ontap: AllInOne): PageTools {
  mkdirSync(screenshots, { recursive: true });
  const cspViolations: string[] = [];
  // Signing in is limited to 10 a minute from one address: each account signs in through the page once.
  const sessions = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();

  async function newPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
    const context = await browser.newContext(options);
    await context.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`),
      ),
    );
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|CSP violation/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  }

  async function signIn(role: string, index = 0, width = 390): Promise<Page> {
    const key = `${role}/${index}`;
    const saved = sessions.get(key);
    if (saved) {
      const page = await newPage({ viewport: { width, height: 900 }, storageState: saved, acceptDownloads: true });
      await page.goto(`${ontap.url}${homes[role] ?? '/'}`);
      return page;
    }
    const who = ontap.logins.filter((login) => login.role === role)[index];
    if (!who) throw new Error(`no ${role} sign-in number ${index}`);
    const page = await newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
    await page.goto(`${ontap.url}/`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\.html/);
    sessions.set(key, await page.context().storageState());
    return page;
  }

  async function expectAccessible(page: Page): Promise<void> {
    // Evaluated, not added as an inline <script>: the page's policy rightly refuses those.
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await (
        window as unknown as {
          axe: { run: (options: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
        }
      ).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] } });
      return result.violations.map((v) => `${v.id} ${v.impact} (${v.nodes.length})`);
    });
    expect(violations).toStrictEqual([]);
  }

  async function lookAt(page: Page, name: string): Promise<void> {
    const width = page.viewportSize()?.width ?? 0;
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${name} at ${width} px`).toBe(true);
    await expectAccessible(page);
    await page.screenshot({ path: join(screenshots, `${name}-${width}.png`), fullPage: true });
  }

  return { newPage, signIn, expectAccessible, lookAt, takeCspViolations: () => cspViolations.splice(0) };
}
