import { describe, expect, it } from 'vitest';
import { csvField, csvText } from './csv.ts';

describe('CSV', () => {
  it('quotes a field with a comma, a quote or a line break, doubling its quotes; null is empty', () => {
    expect([null, 12.5, 'Elm Street', 'Mill Lane, North', 'The "Old" Yard', 'a\nb', 'a\rb'].map(csvField)).toStrictEqual([
      '',
      '12.5',
      'Elm Street',
      '"Mill Lane, North"',
      '"The ""Old"" Yard"',
      '"a\nb"',
      '"a\rb"',
    ]);
  });

  it('ends every line, the last too', () => {
    expect(
      csvText(
        ['a', 'b'],
        [
          [1, null],
          ['x,y', 2],
        ],
      ),
    ).toBe('a,b\r\n1,\r\n"x,y",2\r\n');
    expect(csvText(['a'], [[1]], '\n')).toBe('a\n1\n');
  });
});
