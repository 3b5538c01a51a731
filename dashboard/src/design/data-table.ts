// <ontap-data-table>: a table from column definitions. Each column holds its header and how to
// draw its cell together, so a header can never stand over another column's cells. On a narrow
// screen the table scrolls inside its own box, never the page.
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { base, tokens } from './tokens.ts';

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
  };
  declare columns: Column<Row>[];
  declare rows: Row[];
  declare caption: string | undefined;

  constructor() {
    super();
    this.columns = [];
    this.rows = [];
    this.caption = undefined;
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
      caption {
        text-align: left;
        color: var(--muted);
        padding: 0.25rem 0 0.5rem;
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
    return html`<div class="scroll" tabindex="0" role="region" aria-label=${this.caption ?? this.columns.map((c) => c.header).join(', ')}>
      <table>
        ${this.caption ? html`<caption>${this.caption}</caption>` : nothing}
        <thead>
          <tr>
            ${columns.map((column) => html`<th scope="col" class=${column.numeric ? 'num' : ''}>${column.header}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${this.rows.map(
            (row) =>
              html`<tr>
                ${columns.map((column) =>
                  column.rowHeader
                    ? html`<th scope="row" class=${column.numeric ? 'num' : ''}>${column.cell(row)}</th>`
                    : html`<td class=${column.numeric ? 'num' : ''}>${column.cell(row)}</td>`,
                )}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}
customElements.define('ontap-data-table', DataTable);
