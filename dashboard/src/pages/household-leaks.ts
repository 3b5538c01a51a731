// <ontap-household-leaks>: a household's leak history (docs/leaks.md). Each episode with when it
// started and stopped (or that it is still going), the litres lost and what they cost, and the
// household's word on it: fixed, or expected (watering). Marking says so in a toast and tells the
// page (`leak-marked`), whose warning follows the mark.
import { html } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import type { Column } from '../design/data-table.ts';
import { selectField } from '../design/field.ts';
import { FormPage } from '../design/form-page.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { toast } from '../design/toasts.ts';
import { base, tokens } from '../design/tokens.ts';
import type { MessageKey } from '../i18n/en.ts';
import { wordError } from '../i18n/errors.ts';
import { addDays, amount, localDate, whenText } from '../i18n/format.ts';
import { t, tn } from '../i18n/i18n.ts';
import '../design/data-table.ts';

type Leaks = paths['/api/households/{householdId}/leaks']['get']['responses'][200]['content']['application/json'];
type Episode = Leaks['episodes'][number];
type Mark = 'fixed' | 'expected';
const MARKS: readonly Mark[] = ['fixed', 'expected'];
/** How far back the list looks: the API's default, or a year. */
const PERIODS = [90, 365] as const;

const money = (value: number, currency: string) =>
  new Intl.NumberFormat(document.documentElement.lang || 'en', { style: 'currency', currency }).format(value);

export class HouseholdLeaks extends FormPage {
  static override properties = {
    ...FormPage.properties,
    householdId: { type: String },
    timeZone: { type: String },
    days: { state: true },
    leaks: { state: true },
  };
  declare householdId: string;
  declare timeZone: string;
  declare days: (typeof PERIODS)[number];
  declare leaks: Load<Leaks>;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.householdId = '';
    this.timeZone = 'Europe/London';
    this.days = PERIODS[0];
    this.leaks = { state: 'loading' };
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  async load() {
    const to = localDate(Date.now(), this.timeZone);
    const query = { from: addDays(to, -(this.days - 1)), to };
    try {
      const leaks = await unwrap(
        api.GET('/api/households/{householdId}/leaks', { params: { path: { householdId: this.householdId }, query } }),
      );
      this.leaks = { state: 'ready', data: leaks };
    } catch (error) {
      this.leaks = { state: 'error', message: wordError(error).summary };
    }
  }

  #mark(episode: Episode, chosen: Mark) {
    const mark = episode.mark === chosen ? null : chosen;
    return this.attempt(async () => {
      await unwrap(
        api.PUT('/api/households/{householdId}/leaks/{start}/mark', {
          params: { path: { householdId: this.householdId, start: episode.start } },
          body: { mark },
        }),
      );
      toast(
        t(mark === null ? 'leaks.unmarked' : (`leaks.marked.${mark}` as MessageKey), {
          start: whenText(episode.start, this.timeZone),
        }),
      );
      await this.load();
      this.dispatchEvent(new CustomEvent('leak-marked', { bubbles: true, composed: true }));
    });
  }

  #columns(): Column<Episode>[] {
    const when = (instant: string) => whenText(instant, this.timeZone);
    return [
      { header: t('leaks.started'), cell: (episode) => when(episode.start), rowHeader: true },
      {
        header: t('leaks.ended'),
        cell: (episode) =>
          episode.end === null
            ? html`<strong>${t('leaks.stillGoing')}</strong>`
            : episode.endedBy === 'no_data'
              ? t('leaks.endedNoData', { when: when(episode.end) })
              : when(episode.end),
      },
      {
        header: t('leaks.hours'),
        // Past two days, whole days read better than a count of hours.
        cell: (episode) =>
          episode.hours < 48 ? tn('leaks.hoursCount', episode.hours) : tn('leaks.daysCount', Math.round(episode.hours / 24)),
        numeric: true,
      },
      { header: t('leaks.lost'), cell: (episode) => amount(episode.litresLost, 'water'), numeric: true },
      { header: t('leaks.cost'), cell: (episode) => money(episode.cost.amount, episode.cost.currency), numeric: true },
      {
        header: t('leaks.yourWord'),
        cell: (episode) =>
          html`<div role="group" aria-label=${t('leaks.markGroup', { start: when(episode.start) })}>
            ${MARKS.map(
              // Cells are drawn in the table's own shadow root: the design system's classes style them.
              (mark) => html`<button
                type="button"
                class=${episode.mark === mark ? '' : 'secondary'}
                aria-pressed=${episode.mark === mark ? 'true' : 'false'}
                ?disabled=${this.busy}
                @click=${() => this.#mark(episode, mark)}
              >
                ${t(`leaks.mark.${mark}` as MessageKey)}
              </button>`,
            )}
          </div>`,
      },
    ];
  }

  override render() {
    return html`<section class="card" aria-labelledby="leaks-title">
      <h2 id="leaks-title">${t('leaks.title')}</h2>
      <p class="muted">${t('leaks.about')}</p>
      ${selectField({
        name: 'leak-period',
        label: t('leaks.period'),
        value: String(this.days),
        choices: PERIODS.map((days) => ({ value: String(days), label: t('leaks.lastDays', { days }) })),
        onChange: (event) => {
          this.days = Number((event.target as HTMLSelectElement).value) as (typeof PERIODS)[number];
          this.leaks = { state: 'loading' };
          void this.load();
        },
      })}
      ${this.summary()}
      ${loadState(
        this.leaks,
        (leaks) =>
          leaks.episodes.length === 0
            ? html`<p>${t('leaks.none', { days: this.days })}</p>`
            : html`<ontap-data-table
                  .columns=${this.#columns()}
                  .rows=${leaks.episodes}
                  caption=${t('leaks.caption', { days: this.days })}
                ></ontap-data-table>
                <p class="muted">
                  ${t('leaks.tariff', {
                    price: money(leaks.tariff.perM3, leaks.tariff.currency),
                    total: amount(
                      leaks.episodes.reduce((sum, episode) => sum + episode.litresLost, 0),
                      'water',
                    ),
                  })}
                </p>`,
        () => void this.load(),
      )}
    </section>`;
  }
}
customElements.define('ontap-household-leaks', HouseholdLeaks);
