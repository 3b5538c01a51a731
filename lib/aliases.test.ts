// The alias rule by itself: what it keeps, what it refuses, and which aliases count as the same.
// The attacks through sign-up and seeding are in api/routes/auth/hardening.test.ts.
import { describe, expect, it } from 'vitest';
import { aliasKey, checkAlias } from './aliases.ts';

describe('household aliases', () => {
  it.each([
    ['Café Ñandú', 'Café Ñandú'],
    ['Ёлка', 'Ёлка'],
    ['Οδυσσέας', 'Οδυσσέας'],
    ['水の友', '水の友'],
    ['Team  42 ', 'Team 42'],
    ['Rain 🌧️', 'Rain 🌧️'],
    ['Family 👩‍👧', 'Family 👩‍👧'],
    ['Ｋｅｓｔｒｅｌ', 'Kestrel'],
    ['ﬁnch', 'finch'],
  ])('keeps %j as %j', (raw, kept) => {
    expect(checkAlias(raw)).toStrictEqual({ alias: kept });
  });

  it.each([
    'Swift\u200b',
    'Swift\ufeff',
    '\u202aSwift',
    '\u2066Swift\u2069',
    'Swift\u00ad',
    'Swift\ufe0f',
    'Swift\u{e0041}',
    'Swift\u2028',
    'Swift\ue000',
    '\u2800\u2800',
    'S',
    'x'.repeat(41),
    'Sw\u0456ft',
    'Η\u0435ron',
  ])('refuses %j', (raw) => {
    expect(checkAlias(raw)).toHaveProperty('problem');
  });

  it('counts case, compatibility forms and emoji selectors as the same alias', () => {
    expect(aliasKey('Straße')).toBe(aliasKey('STRASSE'));
    expect(aliasKey('Ｓｗｉｆｔ')).toBe(aliasKey('swift'));
    expect(aliasKey('Rain 🌧️')).toBe(aliasKey('Rain 🌧'));
    expect(aliasKey('Swift')).not.toBe(aliasKey('Swifts'));
  });
});
