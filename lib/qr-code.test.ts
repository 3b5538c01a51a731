import { create } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrDrawing, qrPath } from './qr-code.ts';

describe('QR codes as runs', () => {
  const text = 'https://ontap.example.org/signup.html?code=K7QM-3XRT-9ABC-DEFG';

  it('cover exactly the dark modules of the symbol, row by row', () => {
    const { size, runs } = qrDrawing(text);
    const { modules } = create(text, { errorCorrectionLevel: 'M' });
    expect(size).toBe(modules.size);
    const drawn = new Uint8Array(size * size);
    for (const { row, column, length } of runs) for (let i = 0; i < length; i++) drawn[row * size + column + i] = 1;
    expect([...drawn]).toStrictEqual([...modules.data].map((bit) => (bit ? 1 : 0)));
  });

  it('start with the finder patterns: seven dark, then a light gap, in the first row', () => {
    const { size, runs } = qrDrawing(text);
    expect(runs[0]).toStrictEqual({ row: 0, column: 0, length: 7 });
    expect(runs.find((run) => run.row === 0 && run.column === size - 7)).toStrictEqual({ row: 0, column: size - 7, length: 7 });
    // The finder's second row: dark, five light, dark.
    expect(runs.filter((run) => run.row === 1 && run.column < 7)).toStrictEqual([
      { row: 1, column: 0, length: 1 },
      { row: 1, column: 6, length: 1 },
    ]);
  });

  it('make one SVG path in module units', () => {
    expect(
      qrPath({
        size: 21,
        runs: [
          { row: 0, column: 0, length: 7 },
          { row: 1, column: 6, length: 1 },
        ],
      }),
    ).toBe('M0 0h7v1h-7zM6 1h1v1h-1z');
  });
});
