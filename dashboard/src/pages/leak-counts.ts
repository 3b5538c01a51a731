// <ontap-leak-counts>: how many homes have a possible leak nobody has dealt with, in the
// neighbourhood and per street (docs/leaks.md). Never which homes; a street with too few homes to
// count, or one that would give such a street away, says so instead of a number.
import { html, LitElement } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import type { Column } from '../design/data-table.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { base, tokens } from '../design/tokens.ts';
import { wordError } from '../i18n/errors.ts';
import { t, tn } from '../i18n/i18n.ts';
import '../design/data-table.ts';

type Counts = paths['/api/neighbourhoods/{neighbourhoodId}/leaks']['get']['responses'][200]['content']['application/json'];
type Street = Counts['streets'][number];

export class LeakCounts extends LitElement {
  static override properties = { neighbourhoodId: { type: String }, counts: { state: true } };
  declare neighbourhoodId: string;
  declare counts: Load<Counts>;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.neighbourhoodId = '';
    this.counts = { state: 'loading' };
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  async load() {
    try {
      const counts = await unwrap(
        api.GET('/api/neighbourhoods/{neighbourhoodId}/leaks', { params: { path: { neighbourhoodId: this.neighbourhoodId } } }),
      );
      this.counts = { state: 'ready', data: counts };
    } catch (error) {
      this.counts = { state: 'error', message: wordError(error).summary };
    }
  }

  #columns(min: number): Column<Street>[] {
    return [
      { header: t('leakCounts.street'), cell: (street) => street.street, rowHeader: true },
      {
        header: t('leakCounts.homes'),
        cell: (street) =>
          street.households === null
            ? t(street.withheldReason === 'complementary' ? 'leakCounts.withheld.complementary' : 'leakCounts.withheld.tooFew', {
                min,
              })
            : street.households,
        numeric: true,
      },
    ];
  }

  override render() {
    return html`<section class="card" aria-labelledby="leak-counts-title">
      <h2 id="leak-counts-title">${t('leakCounts.title')}</h2>
      ${loadState(
        this.counts,
        (counts) => html`<p>${tn('leakCounts.total', counts.households)}</p>
          <ontap-data-table
            .columns=${this.#columns(counts.minHouseholds)}
            .rows=${counts.streets}
            caption=${t('leakCounts.caption')}
          ></ontap-data-table>
          <p class="muted">${t('leakCounts.about', { min: counts.minHouseholds })}</p>`,
        () => void this.load(),
      )}
    </section>`;
  }
}
customElements.define('ontap-leak-counts', LeakCounts);
