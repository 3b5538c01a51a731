// QR codes as horizontal runs of dark modules, drawn the same way on paper (rectangles in the
// invitation letters' PDF) and on screen (one SVG path on the poster), from the `qrcode` package's
// module matrix (ISO/IEC 18004).
import { create } from 'qrcode';

export interface QrRun {
  row: number;
  column: number;
  length: number;
}

/** A symbol `size` modules square, without its quiet zone (4 modules each side: the drawer's to leave). */
export interface QrDrawing {
  size: number;
  runs: QrRun[];
}

/** Level M recovers about 15% of the symbol: enough for a letter creased in a letterbox or a smudged poster. */
export function qrDrawing(text: string): QrDrawing {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const runs: QrRun[] = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let column = 0; column <= modules.size; column++) {
      const dark = column < modules.size && Boolean(modules.get(row, column));
      if (dark && start < 0) start = column;
      if (!dark && start >= 0) {
        runs.push({ row, column: start, length: column - start });
        start = -1;
      }
    }
  }
  return { size: modules.size, runs };
}

/** The runs as one SVG path in module units. */
export function qrPath({ runs }: QrDrawing): string {
  return runs.map(({ row, column, length }) => `M${column} ${row}h${length}v1h-${length}z`).join('');
}
