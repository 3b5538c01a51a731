// The API's public /metrics page: every route's requests counted, and nothing about the process
// beyond its memory (Node's version, file descriptors and heap are not for anyone to read).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../testing/fixtures.ts';

type TestApp = Awaited<ReturnType<typeof testApp>>;

describe('API metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  const page = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const count = (text: string, status: string) =>
    Number(new RegExp(`^ontap_api_requests_total\\{status="${status}"\\} (\\d+)$`, 'm').exec(text)?.[1]);

  it('counts requests to every route by status class, from 0', async () => {
    const before = await page();
    expect(count(before, '4xx')).toBe(0);
    expect(count(before, '5xx')).toBe(0);
    const twoXx = count(before, '2xx');
    await t.app.inject({ method: 'GET', url: '/api/neighbourhoods' });
    await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    const after = await page();
    expect(count(after, '4xx')).toBe(2);
    expect(count(after, '2xx')).toBe(twoXx + 1);
  });

  it('shows the process’s memory and none of its other details', async () => {
    const text = await page();
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).not.toMatch(/nodejs_version_info|process_open_fds|nodejs_heap|nodejs_gc/);
  });
});
