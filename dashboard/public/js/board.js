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
  const headers = ['Rank', groups ? (board.scope === 'teams' ? 'Team' : 'Street') : 'Home', 'Saving', 'Saved'];
  // While a challenge runs, a provisional figure for today moves with the live readings.
  const live = board.entries.some((entry) => entry.today !== null && entry.today !== undefined);
  if (live) headers.push('Today so far');
  if (board.scope === 'teams') headers.push('Mentor');
  fillTable(
    table,
    headers,
    board.entries.map((entry) => {
      const row = [
        entry.rank ?? '–',
        entry.name,
        entry.status === 'ranked' ? percent(entry.saving) : statusText[entry.status],
        entry.saved === null ? '' : amount(entry.saved, kind),
      ];
      if (board.scope === 'teams') row.push(entry.mentor ?? '');
      return row;
    }),
    live ? [2, 3, 4] : [2, 3],
  );
  const caption = table.createCaption();
  caption.textContent = board.lastCompleteDay
    ? `After ${board.completeDays} complete days (to ${board.lastCompleteDay})`
    : 'Starts soon: no complete days yet';
}
