import { api, me, showError, wireHeader } from './api.js';
import { fillTable } from './charts.js';
import { addDays, amount, today } from './format.js';

wireHeader();
const error = document.querySelector('#error');
const form = document.querySelector('#filter');
let who;
let last;

async function start() {
  who = await me();
  const to = addDays(today('Europe/London'), -1);
  form.to.value = to;
  form.from.value = addDays(to, -13);
  await show();
}

async function show() {
  const query = new URLSearchParams({ kind: form.kind.value, by: form.by.value, from: form.from.value, to: form.to.value });
  last = await api(`/api/neighbourhoods/${who.neighbourhoodId}/aggregates?${query}`);
  document.querySelector('#min').textContent = last.rule.minHouseholds;
  document.querySelector('#share').textContent = `${Math.round(last.rule.maxShare * 100)}%`;
  const rows = [];
  for (const group of last.groups) {
    for (const day of group.days) {
      rows.push([
        group.group,
        day.date,
        // A withheld figure carries no numbers, not even its count of homes.
        day.households ?? '—',
        day.withheld ? { text: `withheld: ${day.withheld}`, className: 'withheld' } : amount(day.total, last.kind),
        day.withheld || day.perPersonPerDay === null
          ? { text: '—', className: 'withheld' }
          : amount(day.perPersonPerDay, last.kind),
      ]);
    }
  }
  fillTable(
    document.querySelector('#table'),
    [form.by.value === 'street' ? 'Street' : 'Area', 'Day', 'Homes', 'Total', 'Per person per day'],
    rows,
    [2, 3, 4],
  );
  drawChart();
}

function drawChart() {
  const canvas = document.querySelector('#chart');
  window.utilityChart?.destroy();
  const dates = [...new Set(last.groups.flatMap((g) => g.days.map((d) => d.date)))].sort();
  const palette = ['#0b5ea8', '#8a4b00', '#1b6e3a', '#6b2c91', '#15202b'];
  window.utilityChart = new window.Chart(canvas, {
    type: 'line',
    data: {
      labels: dates,
      datasets: last.groups.map((group, i) => ({
        label: group.group,
        data: dates.map((date) => group.days.find((d) => d.date === date)?.perPersonPerDay ?? null),
        borderColor: palette[i % palette.length],
        spanGaps: false,
      })),
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } } },
  });
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    'Per person per day by group: chart; the table below holds the figures, withheld ones marked.',
  );
}

document.querySelector('#csv').addEventListener('click', () => {
  const lines = ['group,date,households,total,per_person_per_day,withheld'];
  const field = (value) =>
    value === null || value === undefined
      ? ''
      : /[",\n]/.test(String(value))
        ? `"${String(value).replace(/"/g, '""')}"`
        : String(value);
  for (const group of last?.groups ?? []) {
    for (const day of group.days)
      lines.push([group.group, day.date, day.households, day.total, day.perPersonPerDay, day.withheld].map(field).join(','));
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }));
  link.download = `ontap-${last.kind}-${form.from.value}-${form.to.value}.csv`;
  link.click();
  URL.revokeObjectURL(link.href);
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  show().catch((failure) => showError(error, failure));
});

start().catch((failure) => showError(error, failure));
