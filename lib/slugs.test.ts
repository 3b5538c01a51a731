import { describe, expect, it } from 'vitest';
import { firstFreeId, slugOf } from './slugs.ts';

describe('slugOf', () => {
  it('keeps Latin letters and digits, lower-cased and joined by single hyphens', () => {
    expect(slugOf('Riverside Gardens', 40)).toBe('riverside-gardens');
    expect(slugOf('  St. Ann’s -- Estate (North) 2 ', 40)).toBe('st-ann-s-estate-north-2');
  });

  it('takes accents off and spells out letters that have none to take off', () => {
    expect(slugOf('Ōkubo Straße', 40)).toBe('okubo-strasse');
    expect(slugOf('Ærø Łódź', 40)).toBe('aero-lodz');
    expect(slugOf('ｆｕｌｌ　ｗｉｄｔｈ', 40)).toBe('full-width');
  });

  it('is empty when nothing Latin is left, and never ends on a hyphen when cut', () => {
    expect(slugOf('Ύδρα', 40)).toBe('');
    expect(slugOf('🌧️🌧️', 40)).toBe('');
    expect(slugOf('abc def', 4)).toBe('abc');
    expect(slugOf('a'.repeat(100), 40)).toHaveLength(40);
  });
});

describe('firstFreeId', () => {
  it('numbers the base from 2 on, cutting it to stay within the limit', () => {
    expect(firstFreeId('elm', new Set(), 10)).toBe('elm');
    expect(firstFreeId('elm', new Set(['elm', 'elm-2']), 10)).toBe('elm-3');
    expect(firstFreeId('abcdefghij', new Set(['abcdefghij']), 10)).toBe('abcdefgh-2');
    expect(firstFreeId('abcdefg-ij', new Set(['abcdefg-ij']), 10)).toBe('abcdefg-2');
  });
});
