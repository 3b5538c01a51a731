import { api, me, showError, wireHeader } from './api.js';
import { fillBoard } from './board.js';
import { addDays, today } from './format.js';

wireHeader();
const error = document.querySelector('#error');
let who;
let streets = [];
let stream;

async function start() {
  who = await me();
  streets = await api(`/api/neighbourhoods/${who.neighbourhoodId}/streets`);
  const streetSelect = document.querySelector('#street');
  const boxes = document.querySelector('#street-boxes');
  for (const street of streets) {
    streetSelect.append(new Option(street.name, street.id));
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'streets';
    box.value = street.id;
    label.append(box, ` ${street.name} (${street.households} homes)`);
    boxes.append(label);
  }
  // Next Monday, a sensible default.
  const now = today('Europe/London');
  const weekday = (new Date(`${now}T00:00:00Z`).getUTCDay() + 6) % 7;
  document.querySelector('#startsOn').value = addDays(now, 7 - weekday);
  await listChallenges();
}

async function listChallenges(select) {
  const list = await api(`/api/neighbourhoods/${who.neighbourhoodId}/challenges`);
  const picker = document.querySelector('#challenge');
  picker.replaceChildren(new Option('Choose a challenge…', ''));
  for (const challenge of list)
    picker.append(new Option(`${challenge.name} (${challenge.startsOn} – ${challenge.endsOn})`, challenge.id));
  if (select) {
    picker.value = select;
    await showChallenge(select);
  }
}

async function showChallenge(id) {
  stream?.close();
  const detail = document.querySelector('#detail');
  detail.hidden = !id;
  if (!id) return;
  const [challenge, members] = await Promise.all([api(`/api/challenges/${id}`), api(`/api/challenges/${id}/members`)]);
  document.querySelector('#participation').textContent =
    `${members.members.length} of ${members.invited} invited homes have joined.`;
  document.querySelector('#poster').href = `/poster.html?challenge=${id}`;
  document.querySelector('#public-link').href = `/board.html?challenge=${id}`;
  document.querySelector('#public').checked = challenge.public;
  document.querySelector('#teams-box').hidden = challenge.scope !== 'teams';
  const memberBoxes = document.querySelector('#member-boxes');
  const mentor = document.querySelector('#mentor');
  memberBoxes.replaceChildren();
  mentor.replaceChildren();
  for (const member of members.members.filter((m) => !m.team)) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'members';
    box.value = member.householdId;
    label.append(box, ` ${member.alias} (${member.street})`);
    memberBoxes.append(label);
    mentor.append(new Option(member.alias, member.householdId));
  }
  const table = document.querySelector('#board');
  fillBoard(table, await api(`/api/challenges/${id}/leaderboard`), challenge.metric);
  // Live: the server sends the board again whenever it changes.
  stream = new EventSource(`/api/challenges/${id}/stream`);
  stream.addEventListener('leaderboard', (event) => fillBoard(table, JSON.parse(event.data), challenge.metric));
  // The server ends the stream when the sign-in ends: back to the sign-in page.
  stream.addEventListener('signed-out', () => {
    stream.close();
    me().catch(() => {});
  });
}

document
  .querySelector('#challenge')
  .addEventListener('change', (event) => showChallenge(event.target.value).catch((f) => showError(error, f)));

document.querySelector('#create').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = { template: form.template.value, startsOn: form.startsOn.value, public: form.public.checked };
  if (form.name.value.trim()) body.name = form.name.value.trim();
  if (form.target.value) body.targetSaving = Number(form.target.value) / 100;
  try {
    const created = await api(`/api/neighbourhoods/${who.neighbourhoodId}/challenges`, { method: 'POST', body });
    await listChallenges(created.id);
  } catch (failure) {
    showError(document.querySelector('#create-error'), failure);
  }
});

document.querySelector('#invite').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const invitation = await api(`/api/neighbourhoods/${who.neighbourhoodId}/invitations`, {
      method: 'POST',
      body: { role: 'household', streetId: event.target.street.value },
    });
    const link = `${location.origin}/signup.html?code=${encodeURIComponent(invitation.code)}`;
    const result = document.querySelector('#invite-result');
    result.replaceChildren('Code: ');
    const code = document.createElement('span');
    code.className = 'code';
    code.textContent = invitation.code;
    const anchor = document.createElement('a');
    anchor.href = link;
    anchor.textContent = 'sign-up link to share';
    result.append(code, ' · ', anchor, ` · valid until ${new Date(invitation.expiresAt).toLocaleDateString('en-GB')}`);
  } catch (failure) {
    showError(error, failure);
  }
});

document.querySelector('#invite-streets').addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = document.querySelector('#challenge').value;
  const streetIds = [...event.target.querySelectorAll('input[name=streets]:checked')].map((box) => box.value);
  try {
    const result = await api(`/api/challenges/${id}/invitations`, { method: 'POST', body: { streetIds } });
    document.querySelector('#invited').textContent = `${result.invited} more homes invited.`;
  } catch (failure) {
    showError(error, failure);
  }
});

document.querySelector('#team').addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = document.querySelector('#challenge').value;
  const householdIds = [...event.target.querySelectorAll('input[name=members]:checked')].map((box) => box.value);
  try {
    await api(`/api/challenges/${id}/teams`, {
      method: 'POST',
      body: { name: event.target.name.value, mentorHouseholdId: event.target.mentor.value, householdIds },
    });
    document.querySelector('#team-result').textContent = 'Team formed.';
    await showChallenge(id);
  } catch (failure) {
    showError(document.querySelector('#team-error'), failure);
  }
});

document.querySelector('#public').addEventListener('change', async (event) => {
  const id = document.querySelector('#challenge').value;
  await api(`/api/challenges/${id}/visibility`, { method: 'PUT', body: { public: event.target.checked } }).catch((f) =>
    showError(error, f),
  );
});

start().catch((failure) => showError(error, failure));
