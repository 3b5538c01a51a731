// <ontap-data-table>: a table from column definitions. Each column holds its header and how to
// draw its cell together, so a header can never stand over another column's cells. On a narrow
// screen the table scrolls inside its own box, never the page. Given a row key, a cell whose text
// changed since the last rows is highlighted for a few seconds (live boards).
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { base, tokens } from './tokens.ts';

const HIGHLIGHT_MS = 4000;

export interface Column<Row> {
  header: string;
  cell: (row: Row) => string | number | TemplateResult;
  /** Figures: right-aligned, tabular digits. */
  numeric?: boolean;
  /** The cell that names the row (a <th scope="row">). */
  rowHeader?: boolean;
}

export class DataTable<Row = unknown> extends LitElement {
  static override properties = {
    columns: { attribute: false },
    rows: { attribute: false },
    caption: { type: String },
    rowKey: { attribute: false },
  };
  declare columns: Column<Row>[];
  declare rows: Row[];
  declare caption: string | undefined;
  /** Names a row across updates (e.g. its team); without it nothing is highlighted. */
  declare rowKey: ((row: Row) => string) | undefined;
  /** "row key|column index" of the cells that changed in the last update. */
  #changed = new Set<string>();
  #fade: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.columns = [];
    this.rows = [];
    this.caption = undefined;
    this.rowKey = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    const before = changed.get('rows') as Row[] | undefined;
    if (!this.rowKey || !before || before.length === 0) return;
    const text = (row: Row, column: Column<Row>) => {
      const cell = column.cell(row);
      return typeof cell === 'object' ? null : String(cell);
    };
    const previous = new Map(before.map((row) => [this.rowKey?.(row), row]));
    this.#changed = new Set();
    for (const row of this.rows) {
      const key = this.rowKey(row);
      const old = previous.get(key);
      this.columns.forEach((column, index) => {
        if (old === undefined || text(old, column) !== text(row, column)) this.#changed.add(`${key}|${index}`);
      });
    }
    // The highlight goes after a while, so the next change to the same cell shows again.
    clearTimeout(this.#fade);
    this.#fade = setTimeout(() => {
      this.#changed = new Set();
      this.requestUpdate();
    }, HIGHLIGHT_MS);
  }

  static override styles = [
    tokens,
    base,
    css`
      .scroll {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        background: var(--paper);
      }
      .caption {
        color: var(--muted);
        margin: 0.25rem 0 0.5rem;
      }
      th,
      td {
        text-align: left;
        padding: 0.5rem 0.6rem;
        border-bottom: 1px solid var(--line);
        vertical-align: top;
      }
      thead th {
        border-bottom: 2px solid var(--ink);
        white-space: nowrap;
      }
      tbody th {
        font-weight: 600;
      }
      .num {
        white-space: nowrap;
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      @media (max-width: 30rem) {
        th,
        td {
          padding: 0.45rem 0.3rem;
        }
      }
    `,
  ];

  override render() {
    const columns = this.columns;
    // A box that scrolls must be reachable by keyboard (and named) for those who cannot swipe.
    // The caption is shown above the box, where it wraps at any width; the table keeps it for assistive tech.
    return html`${this.caption ? html`<p class="caption" aria-hidden="true">${this.caption}</p>` : nothing}
    <div class="scroll" tabindex="0" role="region" aria-label=${this.caption ?? this.columns.map((c) => c.header).join(', ')}>
      <table>
        ${this.caption ? html`<caption class="visually-hidden">${this.caption}</caption>` : nothing}
        <thead>
          <tr>
            ${columns.map((column) => html`<th scope="col" class=${column.numeric ? 'num' : ''}>${column.header}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${this.rows.map(
            (row) =>
              html`<tr>
                ${columns.map((column, index) => {
                  const classes = `${column.numeric ? 'num' : ''} ${this.#changed.has(`${this.rowKey?.(row)}|${index}`) ? 'changed' : ''}`;
                  return column.rowHeader
                    ? html`<th scope="row" class=${classes.trim()}>${column.cell(row)}</th>`
                    : html`<td class=${classes.trim()}>${column.cell(row)}</td>`;
                })}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}
customElements.define('ontap-data-table', DataTable);
