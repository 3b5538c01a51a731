import { api, showError } from './api.js';
import { fillBoard } from './board.js';
import { longDate } from './format.js';

const id = new URLSearchParams(location.search).get('challenge') ?? '';
const error = document.querySelector('#error');

async function show() {
  const board = await api(`/api/public/challenges/${encodeURIComponent(id)}/leaderboard`);
  document.querySelector('#title').textContent = board.name;
  document.title = `${board.name} – OnTap`;
  document.querySelector('#dates').textContent = `${longDate(board.startsOn)} to ${longDate(board.endsOn)}`;
  fillBoard(document.querySelector('#board'), board);
}

show().catch((failure) => showError(error, failure));
setInterval(() => show().catch(() => {}), 60_000);
