import { describe, expect, it } from 'vitest';
import { letterCodeAsMade, newLetterCode } from './letter-codes.ts';

describe('letter codes', () => {
  it('are four groups of four characters that cannot be misread', () => {
    const codes = Array.from({ length: 200 }, newLetterCode);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('read a code back as typed: any case, with spaces or without dashes, look-alikes as Crockford reads them', () => {
    expect(letterCodeAsMade('K7QM-3XRT-9ABC-DEFG')).toBe('K7QM-3XRT-9ABC-DEFG');
    expect(letterCodeAsMade(' k7qm 3xrt 9abc defg ')).toBe('K7QM-3XRT-9ABC-DEFG');
    expect(letterCodeAsMade('k7qm3xrt9abcdefg')).toBe('K7QM-3XRT-9ABC-DEFG');
    expect(letterCodeAsMade('KIQM-3XRT-9ABC-DEFO')).toBe('K1QM-3XRT-9ABC-DEF0');
    expect(letterCodeAsMade('k7qm-3xrt-9abc-defl')).toBe('K7QM-3XRT-9ABC-DEF1');
  });

  it('are not what other codes are', () => {
    expect(letterCodeAsMade('K7QM-3XRT-9ABC-DEF')).toBeUndefined();
    expect(letterCodeAsMade('K7QM-3XRT-9ABC-DEFGH')).toBeUndefined();
    expect(letterCodeAsMade('K7QM-3XRT-9ABC-DEFU')).toBeUndefined();
    expect(letterCodeAsMade('aZ0-_xYqK3mN8pQr')).toBeUndefined();
  });
});
