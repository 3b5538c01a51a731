// The utility partner's page: the neighbourhood's daily use per person, for homes that agreed to
// research only, with every figure the privacy rule withholds marked and its reason given. The
// first screen is the whole neighbourhood's last four weeks of water: a figure, not a blank.
import '../page.css';
import '../design/app-shell.ts';
import '../design/chart.ts';
import '../design/data-table.ts';
import { css, html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import type { Column } from '../design/data-table.ts';
import { field, formValues, selectField } from '../design/field.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { type Me, SignedInPage } from '../design/signed-in-page.ts';
import { base, tokens } from '../design/tokens.ts';
import type { MessageKey } from '../i18n/en.ts';
import { wordError } from '../i18n/errors.ts';
import { addDays, amount, type Kind, localDate, longDate, shortDate, toDisplay, unitOf } from '../i18n/format.ts';
import { formatNumber, t } from '../i18n/i18n.ts';

type Aggregates =
  paths['/api/neighbourhoods/{neighbourhoodId}/aggregates']['get']['responses'][200]['content']['application/json'];
type Query = { kind: Kind; by: 'street' | 'neighbourhood'; from: string; to: string };
interface Row {
  group: string;
  day: Aggregates['groups'][number]['days'][number];
}

const PALETTE = ['#0b5ea8', '#8a4b00', '#1b6e3a', '#6b2c91', '#15202b', '#9c2f5e'];

export class UtilityPage extends SignedInPage {
  protected readonly roles = ['utility'] as const;
  static override properties = { ...SignedInPage.properties, query: { state: true }, result: { state: true } };
  declare query: Query;
  declare result: Load<Aggregates>;
  #neighbourhood = '';

  constructor() {
    super();
    const to = addDays(localDate(Date.now(), Intl.DateTimeFormat().resolvedOptions().timeZone), -1);
    this.query = { kind: 'water', by: 'neighbourhood', from: addDays(to, -27), to };
    this.result = { state: 'loading' };
  }

  static override styles = [
    tokens,
    base,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
        gap: 0 1rem;
        align-items: end;
      }
      form button {
        margin-bottom: 0.9rem;
      }
      .withheld {
        color: var(--muted);
        font-style: italic;
      }
    `,
  ];

  protected start(who: Me) {
    this.#neighbourhood = who.neighbourhoodId ?? '';
    document.title = `${t('utility.title')} – ${t('app.name')}`;
    return this.#load();
  }

  async #load() {
    this.result = { state: 'loading' };
    try {
      const result = await unwrap(
        api.GET('/api/neighbourhoods/{neighbourhoodId}/aggregates', {
          params: { path: { neighbourhoodId: this.#neighbourhood }, query: this.query },
        }),
      );
      this.result = { state: 'ready', data: result };
    } catch (error) {
      this.result = { state: 'error', message: wordError(error).summary };
    }
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const values = formValues(event.target as HTMLFormElement);
    this.query = {
      kind: (values.kind ?? 'water') as Kind,
      by: values.by === 'street' ? 'street' : 'neighbourhood',
      from: values.from ?? this.query.from,
      to: values.to ?? this.query.to,
    };
    void this.#load();
  }

  protected page() {
    return html`<h1>${t('utility.title')}</h1>
      <section class="card" aria-labelledby="filter-title">
        <h2 id="filter-title">${t('utility.choose')}</h2>
        <form @submit=${this.#submit}>
          ${selectField({
            name: 'kind',
            label: t('use.kind'),
            value: this.query.kind,
            choices: (['water', 'electricity', 'gas'] as const).map((kind) => ({ value: kind, label: t(`kind.${kind}`) })),
          })}
          ${selectField({
            name: 'by',
            label: t('utility.by'),
            value: this.query.by,
            choices: [
              { value: 'neighbourhood', label: t('utility.byNeighbourhood') },
              { value: 'street', label: t('utility.byStreet') },
            ],
          })}
          ${field({ name: 'from', label: t('utility.from'), type: 'date', value: this.query.from, required: true })}
          ${field({ name: 'to', label: t('utility.to'), type: 'date', value: this.query.to, required: true })}
          <button type="submit">${t('utility.show')}</button>
        </form>
      </section>
      ${loadState(
        this.result,
        (result) => this.#result(result),
        () => void this.#load(),
      )}`;
  }

  #result(result: Aggregates) {
    const kind = result.kind as Kind;
    const dates = [...new Set(result.groups.flatMap((group) => group.days.map((day) => day.date)))].sort();
    const shown = result.groups.some((group) => group.days.some((day) => day.perPersonPerDay !== null));
    // The API names the neighbourhood-wide group "neighbourhood"; a reader gets words.
    const groupName = (group: string) => (this.query.by === 'neighbourhood' ? t('utility.byNeighbourhood') : group);
    const rows: Row[] = result.groups.flatMap((group) => group.days.map((day) => ({ group: groupName(group.group), day })));
    const withheld = (row: Row) =>
      html`<span class="withheld">${t(`utility.withheld.${row.day.withheldReason ?? 'looser_rule'}` as MessageKey, {
        min: result.rule.minHouseholds,
        share: formatNumber(result.rule.maxShare * 100),
      })}</span>`;
    const columns: Column<Row>[] = [
      { header: t(this.query.by === 'street' ? 'board.street' : 'utility.area'), cell: (row) => row.group },
      { header: t('utility.day'), cell: (row) => shortDate(row.day.date), rowHeader: true },
      { header: t('utility.homes'), cell: (row) => row.day.households ?? '–', numeric: true },
      {
        header: t('utility.total'),
        cell: (row) => (row.day.withheld ? withheld(row) : amount(row.day.total ?? 0, kind)),
        numeric: true,
      },
      {
        header: t('utility.perPerson'),
        cell: (row) => (row.day.withheld || row.day.perPersonPerDay === null ? '–' : amount(row.day.perPersonPerDay, kind)),
        numeric: true,
      },
    ];
    return html`<section class="card" aria-labelledby="trend-title">
        <h2 id="trend-title">${t('utility.trend', { kind: t(`kind.${kind}` as MessageKey).toLowerCase() })}</h2>
        <p class="muted">${t('utility.period', { from: longDate(this.query.from), to: longDate(this.query.to) })}</p>
        ${
          shown
            ? html`<ontap-chart
              type="line"
              name=${t('utility.trend', { kind: t(`kind.${kind}` as MessageKey).toLowerCase() })}
              unit=${unitOf(kind)}
              .digits=${kind === 'water' ? 0 : 2}
              .labels=${dates.map(shortDate)}
              .series=${result.groups.map((group, index) => ({
                label: groupName(group.group),
                values: dates.map((date) => {
                  const value = group.days.find((day) => day.date === date)?.perPersonPerDay;
                  return value === null || value === undefined ? null : toDisplay(value, kind);
                }),
                colour: PALETTE[index % PALETTE.length] ?? '#15202b',
              }))}
              .references=${
                result.litresPerPersonPerDayTarget === null
                  ? []
                  : [
                      {
                        label: t('use.targetLine', { litres: result.litresPerPersonPerDayTarget }),
                        value: result.litresPerPersonPerDayTarget,
                        colour: '#1b6e3a',
                      },
                    ]
              }
            ></ontap-chart>`
            : html`<p>${t('utility.nothingShown', { min: result.rule.minHouseholds })}</p>`
        }
      </section>
      <section class="card" aria-labelledby="figures-title">
        <h2 id="figures-title">${t('utility.figures')}</h2>
        <p class="muted">
          ${t('utility.rule', { min: result.rule.minHouseholds, share: formatNumber(result.rule.maxShare * 100) })}
        </p>
        ${rows.length === 0 ? html`<p>${t('utility.noRows')}</p>` : html`<ontap-data-table .columns=${columns} .rows=${rows}></ontap-data-table>`}
        ${rows.length === 0 ? nothing : html`<p><button type="button" class="secondary" @click=${() => this.#csv(result)}>${t('utility.csv')}</button></p>`}
      </section>`;
  }

  /** The figures shown, as a CSV file (withheld ones empty, with their reason). */
  #csv(result: Aggregates) {
    const cell = (value: unknown) => {
      let text = value === null || value === undefined ? '' : String(value);
      // A street name a spreadsheet would run as a formula (=, +, -, @) is kept as text.
      if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const lines = ['group,date,households,total,per_person_per_day,withheld'];
    for (const group of result.groups)
      for (const day of group.days)
        lines.push([group.group, day.date, day.households, day.total, day.perPersonPerDay, day.withheld].map(cell).join(','));
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }));
    link.download = `ontap-${result.kind}-${this.query.from}-${this.query.to}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  }
}
customElements.define('ontap-utility-page', UtilityPage);
