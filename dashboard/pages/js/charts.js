// Bar charts (Chart.js 4, loaded as /vendor/chart.js/chart.umd.min.js) with a table beside each as
// the text alternative: the chart is decoration for sighted users, the table carries the data.
const charts = new Map();

export function barChart(canvas, { labels, values, baseline, label, colour = '#0b5ea8' }) {
  charts.get(canvas)?.destroy();
  const datasets = [{ type: 'bar', label, data: values, backgroundColor: colour }];
  if (baseline !== null && baseline !== undefined) {
    datasets.push({
      type: 'line',
      label: 'Your usual (baseline)',
      data: values.map(() => baseline),
      borderColor: '#15202b',
      borderDash: [6, 4],
      pointRadius: 0,
    });
  }
  const chart = new window.Chart(canvas, {
    data: { labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
  charts.set(canvas, chart);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${label}: chart; the same figures are in the table below it.`);
}

/** Fills a <table> with a header row and data rows (all text, never HTML). */
export function fillTable(table, headers, rows, numeric = []) {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  headers.forEach((text, i) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    if (numeric.includes(i)) th.className = 'num';
    head.append(th);
  });
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => {
      const td = tr.insertCell();
      if (cell && typeof cell === 'object') {
        td.textContent = cell.text;
        if (cell.className) td.className = cell.className;
        if (cell.title) td.title = cell.title;
      } else td.textContent = cell;
      if (numeric.includes(i)) td.classList.add('num');
    });
  }
}
