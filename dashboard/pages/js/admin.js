import { api, me, showError, wireHeader } from './api.js';
import { fillTable } from './charts.js';

wireHeader();
const error = document.querySelector('#error');

async function start() {
  await me();
  const dead = await api('/api/admin/dead-letters?limit=50');
  fillTable(document.querySelector('#counts'), ['Reason', 'Messages'], Object.entries(dead.counts), [1]);
  fillTable(
    document.querySelector('#letters'),
    ['Received', 'Topic', 'Reason', 'Detail'],
    dead.letters.map((l) => [new Date(l.receivedAt).toLocaleString('en-GB'), l.topic, l.reason, l.detail]),
  );
}

document.querySelector('#invite').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const invitation = await api(`/api/neighbourhoods/${encodeURIComponent(event.target.neighbourhood.value)}/invitations`, {
      method: 'POST',
      body: { role: event.target.role.value },
    });
    document.querySelector('#invite-result').textContent =
      `Code: ${invitation.code} (sign up at ${location.origin}/signup.html?code=${invitation.code})`;
  } catch (failure) {
    showError(error, failure);
  }
});

start().catch((failure) => showError(error, failure));
