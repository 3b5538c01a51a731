// Attack: an open redirect through the sign-in page's `?next=`. Only paths of this site may be
// followed; the browser test mounts the same attack through the real page.
import { describe, expect, it } from 'vitest';
import { safeNext } from './src/next.ts';

const origin = 'http://127.0.0.1:3000';

describe('the sign-in page’s next parameter', () => {
  it.each([
    '/\\evil.example',
    '/\\/evil.example',
    '//evil.example',
    '///evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\\\t\\evil.example/x',
    'https://evil.example/',
    'javascript:alert(1)',
    'evil.example',
    '',
  ])('refuses %j, which would leave the site', (next) => {
    expect(safeNext(next, origin)).toBeUndefined();
  });

  it.each([
    ['/household.html', '/household.html'],
    ['/poster.html?challenge=c1', '/poster.html?challenge=c1'],
    ['/champion.html#board', '/champion.html#board'],
  ])('follows %j, a page of this site', (next, path) => {
    expect(safeNext(next, origin)).toBe(path);
  });

  it('refuses no next at all', () => {
    expect(safeNext(null, origin)).toBeUndefined();
  });
});
