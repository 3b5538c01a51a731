// The household's monthly water report (issue 15, docs/home-report.md), to read, print on A4 or
// download as the API's PDF: the month's litres a day, against its usual use and similar homes
// with the cue, its pledges and tips. Worded by the same sentences as the PDF (report-text.ts).
// Opens on the last complete month (the current one in a home's first month); ?month=YYYY-MM
// chooses another.
import '../page.css';
import './report.css';
import '../design/app-shell.ts';
import { css, html, nothing, svg } from 'lit';
import { ApiProblem, api, unwrap } from '../api/client.ts';
import { announce } from '../design/live.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { type Me, SignedInPage } from '../design/signed-in-page.ts';
import { base, tokens } from '../design/tokens.ts';
import { wordError } from '../i18n/errors.ts';
import { localDate } from '../i18n/format.ts';
import { t } from '../i18n/i18n.ts';
import { type HomeReport, type ReportText, reportText } from '../report-text.ts';

const language = () => document.documentElement.lang || 'en';

/** YYYY-MM one month before or after. */
function shiftMonth(month: string, by: number): string {
  const date = new Date(`${month}-15T12:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + by);
  return date.toISOString().slice(0, 7);
}

/** Every month from `first` to `last`, newest first. */
function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  for (let month = last; month >= first; month = shiftMonth(month, -1)) months.push(month);
  return months;
}

const monthName = (month: string) =>
  new Intl.DateTimeFormat(language(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.parse(`${month}-15T12:00:00Z`),
  );

/** The cue's face: smiling when approving, frowning when concerned (the words say the same). */
const face = (kind: NonNullable<ReportText['cue']>['kind']) =>
  svg`<svg class="face" viewBox="0 0 40 40" width="48" height="48" aria-hidden="true" focusable="false">
    <circle cx="20" cy="20" r="17" fill="none" stroke="currentColor" stroke-width="3"></circle>
    <circle cx="14" cy="15" r="2.4" fill="currentColor"></circle>
    <circle cx="26" cy="15" r="2.4" fill="currentColor"></circle>
    <path d=${kind === 'above' ? 'M11 29 Q20 21 29 29' : 'M11 24 Q20 33 29 24'} fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round"></path>
  </svg>`;

export class ReportPage extends SignedInPage {
  protected readonly roles = ['household'] as const;
  static override properties = {
    ...SignedInPage.properties,
    report: { state: true },
    month: { state: true },
    months: { state: true },
  };
  declare report: Load<HomeReport>;
  declare month: string;
  /** The months with a report, newest first: kept while another month loads, so the picker stays (and keeps the focus). */
  declare months: string[];

  constructor() {
    super();
    this.report = { state: 'loading' };
    this.month = '';
    this.months = [];
  }

  static override styles = [
    tokens,
    base,
    css`
      .controls {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.75rem 1rem;
      }
      .controls .field {
        margin: 0;
        flex: 0 1 16rem;
      }
      .controls p {
        flex-basis: 100%;
        margin: 0;
      }
      .report {
        max-width: 46rem;
      }
      /* On screen the header names OnTap; on paper the report does. */
      .brand {
        display: none;
        color: var(--brand);
        font-weight: 700;
        margin: 0;
      }
      .figure {
        font-size: clamp(2rem, 9vw, 3rem);
        font-weight: 700;
        line-height: 1.1;
        color: var(--brand);
        margin: 0.25rem 0 0.75rem;
        font-variant-numeric: tabular-nums;
      }
      h2 {
        color: var(--brand);
        margin-top: 1.5rem;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        margin-bottom: 0.75rem;
      }
      th,
      td {
        padding: 0.35rem 0;
        text-align: left;
        font-weight: normal;
        vertical-align: middle;
      }
      thead th {
        color: var(--muted);
        font-size: 0.9rem;
        white-space: nowrap;
      }
      th[scope='row'] {
        width: 12rem;
        padding-right: 0.75rem;
      }
      tr.you th {
        font-weight: 700;
      }
      .amount {
        text-align: right;
        font-weight: 700;
        width: 4rem;
        font-variant-numeric: tabular-nums;
      }
      .bar {
        display: block;
        width: 100%;
        height: 1.25rem;
      }
      .bar .you {
        fill: var(--brand);
      }
      .bar .typical {
        fill: var(--muted);
      }
      .bar .efficient {
        fill: var(--good);
      }
      .cue {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        padding: 0.6rem 0.8rem;
        border-left: 0.35rem solid var(--good);
        background: var(--good-wash);
        color: var(--good);
      }
      .cue.above {
        border-left-color: var(--bad);
        background: var(--bad-wash);
        color: var(--bad);
      }
      .cue .face {
        flex: none;
      }
      .cue p {
        margin: 0;
        color: var(--ink);
      }
      .cue strong {
        display: block;
        font-size: 1.2rem;
      }
      .great strong,
      .good strong {
        color: var(--good);
      }
      .above strong {
        color: var(--bad);
      }
      ol,
      ul {
        padding-left: 1.4rem;
      }
      li + li {
        margin-top: 0.4rem;
      }
      .about {
        font-size: 0.9rem;
        border-top: 1px solid var(--line);
        padding-top: 0.75rem;
        margin-top: 1.5rem;
      }
      @media (max-width: 30rem) {
        th[scope='row'] {
          width: 8rem;
        }
      }
      /* Paper: the report alone, on white, in print-sized type (report.css sets the A4 page). */
      @media print {
        .controls {
          display: none;
        }
        .brand {
          display: block;
        }
        .card {
          border: 0;
          padding: 0;
          margin: 0;
        }
        .report {
          max-width: none;
          font-size: 11pt;
        }
        .figure {
          font-size: 30pt;
        }
        h2 {
          break-after: avoid;
        }
        section {
          break-inside: avoid;
        }
        .cue {
          print-color-adjust: exact;
        }
        .bar {
          print-color-adjust: exact;
        }
      }
    `,
  ];

  protected async start(who: Me) {
    const asked = new URLSearchParams(location.search).get('month') ?? '';
    if (/^\d{4}-(0[1-9]|1[0-2])$/.test(asked)) return this.#load(asked);
    try {
      const household = await unwrap(
        api.GET('/api/households/{householdId}', { params: { path: { householdId: who.householdId ?? '' } } }),
      );
      // The last month that is over; in a home's first month, the current one.
      const current = localDate(Date.now(), household.timeZone).slice(0, 7);
      await this.#load(shiftMonth(current, -1), current);
    } catch (error) {
      this.report = { state: 'error', message: wordError(error).summary };
    }
  }

  get #householdId(): string {
    return this.who.state === 'ready' ? (this.who.data.householdId ?? '') : '';
  }

  /** Shows `month`'s report; `orElse` when the readings start after it. */
  async #load(month: string, orElse?: string): Promise<void> {
    this.month = month;
    this.report = { state: 'loading' };
    try {
      const report = await unwrap(
        api.GET('/api/households/{householdId}/reports/{month}', {
          params: { path: { householdId: this.#householdId, month } },
        }),
      );
      // A slower answer for a month no longer chosen must not replace the one asked for now.
      if (this.month !== month) return;
      this.report = { state: 'ready', data: report };
      this.months = monthsBetween(report.firstMonth, report.currentMonth);
      document.title = `${t('report.title')}, ${monthName(month)} – ${t('app.name')}`;
    } catch (error) {
      if (orElse && error instanceof ApiProblem && error.body.reason === 'before_first_reading') return this.#load(orElse);
      if (this.month === month) this.report = { state: 'error', message: wordError(error).summary };
    }
  }

  async #choose(event: Event) {
    const month = (event.target as HTMLSelectElement).value;
    history.replaceState(null, '', `?month=${month}`);
    await this.#load(month);
    if (this.report.state === 'ready') announce(t('report.heading', { month: monthName(month) }));
  }

  protected page() {
    return html`${this.#controls()}
      <article class="card report" aria-busy=${this.report.state === 'loading' ? 'true' : 'false'}>
        ${loadState(
          this.report,
          (report) => this.#report(report),
          () => void this.#load(this.month),
        )}
      </article>`;
  }

  #controls() {
    const pdf = `/api/households/${encodeURIComponent(this.#householdId)}/reports/${this.month}.pdf`;
    return html`<section class="card controls" aria-label=${t('report.title')}>
      <p><a href="/household.html">${t('report.back')}</a></p>
      ${
        this.months.length > 0
          ? html`<div class="field">
                <label for="month">${t('report.month')}</label>
                <select id="month" @change=${this.#choose}>
                  ${this.months.map(
                    (month) => html`<option value=${month} ?selected=${month === this.month}>${monthName(month)}</option>`,
                  )}
                </select>
              </div>
              <button type="button" @click=${() => window.print()}>${t('report.print')}</button>
              <a class="button" href=${pdf} download=${`ontap-report-${this.month}.pdf`}>${t('report.pdf')}</a>`
          : nothing
      }
    </section>`;
  }

  #report(report: HomeReport) {
    const text = reportText(report, t, language());
    const longest = Math.max(1, ...text.bars.map((bar) => bar.litres));
    return html`<p class="brand">${t('app.name')}</p>
      <h1>${text.heading}</h1>
      <p class="muted">${text.home}</p>
      <section aria-labelledby="figure-about">
        <p id="figure-about">${text.figureAbout}</p>
        ${text.figure ? html`<p class="figure">${text.figure}</p>` : nothing}
        ${[text.perPerson, text.days, text.usual].map((line) => (line ? html`<p>${line}</p>` : nothing))}
        ${text.usualPeriod ? html`<p class="muted">${text.usualPeriod}</p>` : nothing}
      </section>
      <section aria-labelledby="similar-title">
        <h2 id="similar-title">${t('report.similar.title')}</h2>
        ${
          text.bars.length > 0
            ? html`<table>
              <thead>
                <tr>
                  <th scope="col"><span class="visually-hidden">${t('report.similar.title')}</span></th>
                  <td></td>
                  <th scope="col" class="amount">${t('report.similar.figures')}</th>
                </tr>
              </thead>
              <tbody>
                ${text.bars.map(
                  (bar) => html`<tr class=${bar.kind}>
                    <th scope="row">${bar.label}</th>
                    <td>
                      <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                        ${svg`<rect class=${bar.kind} x="0" y="0" height="10" width=${Math.max(1, (100 * bar.litres) / longest)}></rect>`}
                      </svg>
                    </td>
                    <td class="amount">${bar.text}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
            : nothing
        }
        <p class="muted">${text.similar}</p>
        ${
          text.cue
            ? html`<div class="cue ${text.cue.kind}">
              ${face(text.cue.kind)}
              <p><strong>${text.cue.title}</strong> ${text.cue.body}</p>
            </div>`
            : nothing
        }
      </section>
      <section aria-labelledby="pledges-title">
        <h2 id="pledges-title">${t('report.pledges.title')}</h2>
        ${
          text.pledges.length === 0
            ? html`<p>${t('report.pledges.none')}</p>`
            : html`<ul>
              ${text.pledges.map((pledge) => html`<li>${pledge}</li>`)}
            </ul>`
        }
      </section>
      ${
        text.tips.length === 0
          ? nothing
          : html`<section aria-labelledby="tips-title">
            <h2 id="tips-title">${t('report.tips.title')}</h2>
            <ol>
              ${text.tips.map((tip) => html`<li>${tip}</li>`)}
            </ol>
          </section>`
      }
      <p class="about muted">${text.about}</p>`;
  }
}
customElements.define('ontap-report-page', ReportPage);
