import { api, me } from './api.js';
import { longDate, percent } from './format.js';

const id = new URLSearchParams(location.search).get('challenge') ?? '';

async function start() {
  await me();
  const [challenge, board] = await Promise.all([api(`/api/challenges/${id}`), api(`/api/challenges/${id}/leaderboard`)]);
  document.querySelector('#title').textContent = challenge.name;
  document.querySelector('#dates').textContent = `${longDate(challenge.startsOn)} – ${longDate(challenge.endsOn)}`;
  document.querySelector('#top-title').textContent =
    challenge.scope === 'teams'
      ? 'Leading teams so far'
      : challenge.scope === 'streets'
        ? 'Leading streets so far'
        : 'Leading homes so far';
  const list = document.querySelector('#top');
  for (const entry of board.entries.filter((e) => e.rank !== null).slice(0, 8)) {
    const item = document.createElement('li');
    item.textContent = `${entry.name} — ${percent(entry.saving)} saved${entry.mentor ? ` (mentor: ${entry.mentor})` : ''}`;
    list.append(item);
  }
  if (list.children.length === 0)
    list.replaceWith(
      Object.assign(document.createElement('p'), { textContent: 'The first results appear after the first full day.' }),
    );
  document.querySelector('#site').textContent = location.host;
}

document.querySelector('#print').addEventListener('click', () => window.print());
start().catch((failure) => {
  const error = document.querySelector('#error');
  error.textContent = failure.message;
  error.hidden = false;
});
