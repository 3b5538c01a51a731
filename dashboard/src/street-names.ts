// Street names from a CSV file a champion or operator already has (a council list, a spreadsheet):
// its "street" or "name" column, else its first. Quoted cells may hold commas and doubled quotes.

/** One CSV line's cells. */
function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

/** The street names of a CSV file: its "street" or "name" column, else its first. */
export function streetNamesFromCsv(text: string): string[] {
  const rows = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map(cellsOf);
  const header = (rows[0] ?? []).map((cell) => cell.toLowerCase());
  const column = header.findIndex((cell) => cell === 'street' || cell === 'name');
  const body = column >= 0 ? rows.slice(1) : rows;
  return body.map((row) => row[Math.max(column, 0)] ?? '').filter(Boolean);
}
