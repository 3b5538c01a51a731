// Leaderboard tables, shared by the champion page and the public board.
import { fillTable } from './charts.js';
import { amount, percent } from './format.js';

const statusText = {
  ranked: '',
  not_rated_yet: 'not rated yet',
  not_enough_data: 'not enough data',
  too_few_rated: 'too few rated homes',
};

export function fillBoard(table, board, kind = 'water') {
  const groups = board.scope !== 'households';
  const headers = ['Rank', groups ? (board.scope === 'teams' ? 'Team' : 'Street') : 'Home', 'Saving'];
  // Litres saved come only for large enough teams and streets, and never on the public board.
  const litres = board.entries.some((entry) => entry.saved !== null && entry.saved !== undefined);
  if (litres) headers.push('Saved');
  // While a challenge runs, signed-in boards show a provisional figure for today that moves with
  // the live readings; the public board shows complete days only.
  const live = board.entries.some((entry) => entry.today !== null && entry.today !== undefined);
  if (live) headers.push('Today so far');
  if (board.scope === 'teams') headers.push('Mentor');
  fillTable(
    table,
    headers,
    board.entries.map((entry) => {
      const row = [entry.rank ?? '–', entry.name, entry.status === 'ranked' ? percent(entry.saving) : statusText[entry.status]];
      if (litres) row.push(entry.saved === null || entry.saved === undefined ? '' : amount(entry.saved, kind));
      if (live) row.push(entry.today === null || entry.today === undefined ? '' : percent(entry.today));
      if (board.scope === 'teams') row.push(entry.mentor ?? '');
      return row;
    }),
    headers.map((_, i) => i).filter((i) => i >= 2 && headers[i] !== 'Mentor'),
  );
  const caption = table.createCaption();
  caption.textContent = board.lastCompleteDay
    ? `After ${board.completeDays} complete days (to ${board.lastCompleteDay})`
    : 'Starts soon: no complete days yet';
}
