// Reading back the PDFs OnTap makes with PDFKit, for tests: pages, each page's text (PDFKit writes
// the standard fonts' text as hex strings in TJ arrays) and the rectangles it drew.
import { inflateSync } from 'node:zlib';

/** Page objects (`/Type /Page`, not `/Pages`). */
export const pdfPageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;

/** Each compressed stream, inflated; PDFKit's standard fonts are not embedded, so these are the pages' contents in order. */
export function pdfContentStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  return [...text.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)].flatMap((match) => {
    try {
      return [inflateSync(Buffer.from(match[1] ?? '', 'latin1')).toString('latin1')];
    } catch {
      return [];
    }
  });
}

/** The text of each TJ (one line as PDFKit lays it out), Windows-1252 read as Latin-1. */
export function contentText(content: string): string[] {
  return [...content.matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)*)\]\s*TJ/g)].map((match) =>
    [...(match[1] ?? '').matchAll(/<([0-9a-f]*)>/g)].map((hex) => Buffer.from(hex[1] ?? '', 'hex').toString('latin1')).join(''),
  );
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function contentRects(content: string): Rect[] {
  return [...content.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\b/g)].map((match) => ({
    x: Number(match[1]),
    y: Number(match[2]),
    width: Number(match[3]),
    height: Number(match[4]),
  }));
}

/** Windows-1252's characters where it differs from Latin-1 (the punctuation OnTap's words use). */
const WINDOWS_1252: Record<string, string> = {
  '\x85': '…',
  '\x91': '‘',
  '\x92': '’',
  '\x93': '“',
  '\x94': '”',
  '\x96': '–',
  '\x97': '—',
};

/** The text of every page, its lines trimmed and joined by one space (a wrapped sentence reads as one). */
export const pdfText = (pdf: Buffer): string =>
  pdfContentStreams(pdf)
    .flatMap(contentText)
    .map((line) => line.trim())
    .join(' ')
    .replace(/[\x80-\x9f]/g, (code) => WINDOWS_1252[code] ?? code);
