// <ontap-chart>: bars or lines with the unit on the y axis (which starts at 0), optional reference
// lines (your usual, 110 L a person), and the same figures as a table for anyone who cannot see
// the chart. The canvas is a picture with a name; the table carries the data.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { formatNumber, t } from '../i18n/i18n.ts';
import { base, tokens } from './tokens.ts';
import './data-table.ts';
import type { Column } from './data-table.ts';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface Series {
  label: string;
  /** One value per label, in the unit shown; null where there is no figure. */
  values: (number | null)[];
  colour: string;
}

export interface ReferenceLine {
  label: string;
  value: number;
  colour: string;
}

export class OntapChart extends LitElement {
  static override properties = {
    type: { type: String },
    name: { type: String },
    unit: { type: String },
    labels: { attribute: false },
    series: { attribute: false },
    references: { attribute: false },
    digits: { type: Number },
  };
  declare type: 'bar' | 'line';
  /** What the chart shows, e.g. "Your water use by day". */
  declare name: string;
  /** The y axis's unit, e.g. "L" or "kWh". */
  declare unit: string;
  declare labels: string[];
  declare series: Series[];
  declare references: ReferenceLine[];
  declare digits: number;
  #chart: Chart | undefined;

  constructor() {
    super();
    this.type = 'bar';
    this.name = '';
    this.unit = '';
    this.labels = [];
    this.series = [];
    this.references = [];
    this.digits = 0;
  }

  static override styles = [
    tokens,
    base,
    css`
      .canvas {
        position: relative;
        height: 16rem;
      }
      details {
        margin-top: 0.75rem;
      }
    `,
  ];

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#chart?.destroy();
    this.#chart = undefined;
  }

  protected override updated(changed: PropertyValues) {
    super.updated(changed);
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const datasets = [
      ...this.series.map((one) => ({
        type: this.type,
        label: one.label,
        data: one.values,
        backgroundColor: one.colour,
        borderColor: one.colour,
        spanGaps: false,
      })),
      ...this.references.map((line) => ({
        type: 'line' as const,
        label: line.label,
        data: this.labels.map(() => line.value),
        borderColor: line.colour,
        backgroundColor: line.colour,
        borderDash: [6, 4],
        pointRadius: 0,
        pointStyle: 'line' as const,
      })),
    ];
    const options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false as const,
      scales: {
        y: { beginAtZero: true, title: { display: true, text: this.unit } },
      },
      plugins: { legend: { position: 'bottom' as const, labels: { usePointStyle: true } } },
    };
    if (this.#chart) {
      this.#chart.data = { labels: this.labels, datasets } as never;
      this.#chart.options = options as never;
      this.#chart.update();
    } else {
      this.#chart = new Chart(canvas, { type: this.type, data: { labels: this.labels, datasets }, options } as never);
    }
  }

  #columns(): Column<number>[] {
    const figure = (value: number | null | undefined) =>
      value === null || value === undefined ? t('chart.noFigure') : `${formatNumber(value, this.digits)} ${this.unit}`;
    return [
      { header: t('chart.when'), cell: (index) => this.labels[index] ?? '', rowHeader: true },
      ...this.series.map((one) => ({ header: one.label, cell: (index: number) => figure(one.values[index]), numeric: true })),
      ...this.references.map((line) => ({ header: line.label, cell: () => figure(line.value), numeric: true })),
    ];
  }

  override render() {
    const empty = this.labels.length === 0;
    return html`<div class="canvas"><canvas role="img" aria-label=${t('chart.picture', { name: this.name })}></canvas></div>
      ${
        empty
          ? nothing
          : html`<details>
            <summary>${t('chart.asTable')}</summary>
            <ontap-data-table .columns=${this.#columns()} .rows=${this.labels.map((_, index) => index)} caption=${this.name}></ontap-data-table>
          </details>`
      }`;
  }
}
customElements.define('ontap-chart', OntapChart);
