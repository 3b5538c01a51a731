import { describe, expect, it } from 'vitest';
import { streetNamesFromCsv } from './street-names.ts';

describe('streetNamesFromCsv', () => {
  it('reads the "street" column of a council list, quoted commas and quotes included', () => {
    const csv =
      '\uFEFFward,Street,homes\r\nNorth,"Mill Road, Upper",12\r\nNorth,"The ""Old"" Lane",8\r\n\r\nSouth,Brook Street,30\r\n';
    expect(streetNamesFromCsv(csv)).toStrictEqual(['Mill Road, Upper', 'The "Old" Lane', 'Brook Street']);
  });

  it('takes the first column of a file without a header it knows, and skips empty cells', () => {
    expect(streetNamesFromCsv('Willow Lane\n ,x\nAsh Grove,1\n')).toStrictEqual(['Willow Lane', 'Ash Grove']);
  });

  it('gives nothing for an empty file', () => {
    expect(streetNamesFromCsv('')).toStrictEqual([]);
  });
});
