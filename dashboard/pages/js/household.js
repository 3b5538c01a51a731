import { api, me, showError, wireHeader } from './api.js';
import { barChart, fillTable } from './charts.js';
import { addDays, amount, dateLabel, percent, toDisplay, today, unitOf } from './format.js';

wireHeader();
const error = document.querySelector('#error');
const state = { kind: 'water', period: 'today' };
let household;

async function start() {
  const who = await me();
  household = await api(`/api/households/${who.householdId}`);
  document.querySelector('#alias').textContent = household.alias;
  document.querySelector('#export-json').href = `/api/households/${household.id}/export`;
  document.querySelector('#export-csv').href = `/api/households/${household.id}/export?format=csv`;
  const kinds = [...new Set(household.meters.map((m) => m.kind))].sort(
    (a, b) => ['water', 'electricity', 'gas'].indexOf(a) - ['water', 'electricity', 'gas'].indexOf(b),
  );
  state.kind = kinds[0] ?? 'water';
  const kindTabs = document.querySelector('#kinds');
  for (const kind of kinds) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.kind = kind;
    button.textContent = kind[0].toUpperCase() + kind.slice(1);
    button.setAttribute('aria-pressed', String(kind === state.kind));
    kindTabs.append(button);
  }
  kindTabs.addEventListener('click', (event) => select(event, 'kind'));
  document.querySelector('#periods').addEventListener('click', (event) => select(event, 'period'));
  document.querySelector(`input[name=consent][value=${household.consent}]`).checked = true;
  showMeters();
  document.querySelector('#add-meter').addEventListener('submit', (event) => {
    event.preventDefault();
    addMeter(event.target).catch((failure) => showError(document.querySelector('#meter-error'), failure));
  });
  await Promise.all([showUse(), showChallenges(), showLeak()]);
}

function showMeters() {
  const list = document.querySelector('#meter-list');
  list.replaceChildren(
    ...household.meters.map((meter) => {
      const item = document.createElement('li');
      item.textContent = `${meter.id} (${meter.kind})`;
      return item;
    }),
  );
  if (household.meters.length === 0) {
    const none = document.createElement('li');
    none.className = 'muted';
    none.textContent = 'No meter yet.';
    list.append(none);
  }
}

async function addMeter(form) {
  document.querySelector('#meter-error').hidden = true;
  const data = new FormData(form);
  const created = await api(`/api/households/${household.id}/meters`, {
    method: 'POST',
    body: {
      meterId: data.get('meterId'),
      kind: data.get('kind'),
      ...(data.get('clientId') ? { clientId: data.get('clientId') } : {}),
    },
  });
  document.querySelector('#meter-username').textContent = created.mqtt.username;
  document.querySelector('#meter-client-id').textContent = created.mqtt.clientId;
  document.querySelector('#meter-password').textContent = created.mqtt.password;
  document.querySelector('#meter-topic').textContent = created.mqtt.topic;
  document.querySelector('#meter-credentials').hidden = false;
  household.meters.push({ id: created.meterId, kind: created.kind });
  showMeters();
  form.reset();
}

function select(event, key) {
  const button = event.target.closest('button');
  if (!button) return;
  state[key] = button.dataset[key];
  for (const other of button.parentElement.querySelectorAll('button'))
    other.setAttribute('aria-pressed', String(other === button));
  showUse().catch((failure) => showError(error, failure));
}

async function showUse() {
  const zone = household.timeZone;
  const to = today(zone);
  const from = state.period === 'today' ? to : addDays(to, state.period === 'week' ? -6 : -29);
  const granularity = state.period === 'today' ? 'hour' : 'day';
  const usage = await api(
    `/api/households/${household.id}/usage?kind=${state.kind}&granularity=${granularity}&from=${from}&to=${to}`,
  );
  const now = Date.now();
  const points = usage.points.filter((p) => Date.parse(p.start) <= now);
  const total = points.reduce((sum, p) => sum + p.use, 0);
  document.querySelector('#total').textContent = amount(total, state.kind);
  document.querySelector('#total-label').textContent = {
    today: 'so far today',
    week: 'in the last 7 days',
    month: 'in the last 30 days',
  }[state.period];
  // The API's figure: water only, over the days that are over (none yet when showing today).
  const perPerson = document.querySelector('#per-person');
  const lppd = usage.litresPerPersonPerDay;
  if (lppd !== null) {
    perPerson.textContent = `${Math.round(lppd)} litres per person per day — the aim is ${usage.litresPerPersonPerDayTarget} or less.`;
    perPerson.className = lppd <= usage.litresPerPersonPerDayTarget ? 'good' : '';
  } else perPerson.textContent = '';
  const labels = points.map((p) => (granularity === 'hour' ? dateLabel(p.start, zone, true) : dateLabel(p.start, zone)));
  const baseline =
    usage.baselinePerDay === null ? null : granularity === 'hour' ? usage.baselinePerDay / 24 : usage.baselinePerDay;
  barChart(document.querySelector('#chart'), {
    labels,
    values: points.map((p) => toDisplay(p.use, state.kind)),
    baseline: baseline === null ? null : toDisplay(baseline, state.kind),
    label: `Your ${state.kind} use (${unitOf(state.kind)})`,
    colour: state.kind === 'water' ? '#0b5ea8' : '#8a4b00',
  });
  fillTable(
    document.querySelector('#table'),
    [granularity === 'hour' ? 'Hour' : 'Day', 'Use', 'Your usual'],
    points.map((p, i) => [
      labels[i],
      amount(p.use, state.kind),
      baseline === null ? 'not known yet' : amount(baseline, state.kind),
    ]),
    [1, 2],
  );
}

async function showChallenges() {
  const list = await api(`/api/households/${household.id}/challenges`);
  const box = document.querySelector('#challenges');
  box.replaceChildren();
  if (list.length === 0) {
    box.textContent = 'You are not in a challenge yet. Your street champion can invite you.';
    return;
  }
  for (const challenge of list) {
    const item = document.createElement('div');
    const title = document.createElement('h3');
    title.textContent = challenge.name;
    const detail = document.createElement('p');
    const standing = {
      ranked: `saving ${percent(challenge.saving)} (${amount(challenge.saved, 'water')} saved)`,
      not_rated_yet: 'not rated yet: we need more days of readings before the challenge to know your usual use',
      not_enough_data: 'not enough readings during the challenge yet to rank you',
      too_few_rated: 'not ranked yet',
    }[challenge.status];
    const rank =
      challenge.rank === null
        ? ''
        : ` · ${challenge.scope === 'households' ? 'you are' : challenge.scope === 'teams' ? 'your team is' : 'your street is'} number ${challenge.rank} of ${challenge.of}`;
    detail.textContent = `You: ${standing}${rank}.`;
    item.append(title, detail);
    if (challenge.team) {
      const team = document.createElement('p');
      team.textContent = `Team ${challenge.team}${challenge.mentor ? `, with ${challenge.mentor} as mentor` : ''}.`;
      item.append(team);
    }
    box.append(item);
  }
}

async function showLeak() {
  const leak = await api(`/api/households/${household.id}/leak`);
  document.querySelector('#leak').hidden = !leak.possibleLeak;
}

document.querySelector('#consent').addEventListener('submit', async (event) => {
  event.preventDefault();
  const consent = new FormData(event.target).get('consent');
  try {
    await api(`/api/households/${household.id}/consent`, { method: 'PUT', body: { consent } });
    document.querySelector('#consent-saved').textContent = 'Saved.';
  } catch (failure) {
    showError(error, failure);
  }
});

document.querySelector('#erase').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api(`/api/households/${household.id}`, { method: 'DELETE', body: { confirm: event.target.confirm.value } });
    sessionStorage.clear();
    location.assign('/?erased=1');
  } catch (failure) {
    showError(document.querySelector('#erase-error'), failure);
  }
});

start().catch((failure) => showError(error, failure));
