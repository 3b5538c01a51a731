// The public leaderboard (?challenge=ID), for anyone with the link and embeddable in other sites:
// aliases or group names, rank and saving over complete days only (no live figure, no litres).
// It reloads every minute, quietly: a board that changes once a day is not announced each time.
import '../page.css';
import '../design/app-shell.ts';
import '../design/data-table.ts';
import { html, LitElement } from 'lit';
import { ApiProblem, api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import type { Column } from '../design/data-table.ts';
import { householdsByRank } from '../design/live-board.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { base, tokens } from '../design/tokens.ts';
import { wordError } from '../i18n/errors.ts';
import { longDate, savingText } from '../i18n/format.ts';
import { t } from '../i18n/i18n.ts';

type PublicBoard =
  paths['/api/public/challenges/{challengeId}/leaderboard']['get']['responses'][200]['content']['application/json'];
type Entry = PublicBoard['entries'][number];

const RELOAD_MS = 60_000;

export class PublicBoardPage extends LitElement {
  static override properties = { load: { state: true } };
  declare load: Load<PublicBoard>;
  readonly #challengeId = new URLSearchParams(location.search).get('challenge') ?? '';
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.load = { state: 'loading' };
  }

  static override styles = [tokens, base];

  override connectedCallback() {
    super.connectedCallback();
    document.title = `${t('board.title')} – ${t('app.name')}`;
    void this.#fetch();
    this.#timer = setInterval(() => void this.#fetch(true), RELOAD_MS);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.#timer);
  }

  async #fetch(quietly = false) {
    try {
      const board = await unwrap(
        api.GET('/api/public/challenges/{challengeId}/leaderboard', { params: { path: { challengeId: this.#challengeId } } }),
      );
      document.title = `${board.name} – ${t('app.name')}`;
      this.load = { state: 'ready', data: board };
    } catch (error) {
      // A reload that fails keeps the board shown; only the first load says so.
      if (quietly && this.load.state === 'ready') return;
      const unknown = error instanceof ApiProblem && (error.status === 404 || error.status === 400);
      this.load = { state: 'error', message: unknown ? t('board.unknown') : wordError(error).summary };
    }
  }

  #columns(board: PublicBoard): Column<Entry>[] {
    const nameHeader = board.scope === 'teams' ? 'board.team' : board.scope === 'streets' ? 'board.street' : 'board.home';
    const columns: Column<Entry>[] = [
      { header: t('board.rank'), cell: (entry) => entry.rank ?? t('board.noRank'), numeric: true },
      { header: t(nameHeader), cell: (entry) => entry.name, rowHeader: true },
      {
        header: t('board.saving'),
        cell: (entry) =>
          entry.status === 'ranked' && entry.saving !== null
            ? savingText(entry.saving)
            : t(`board.status.${entry.status}` as const),
        numeric: true,
      },
    ];
    if (board.scope === 'teams') columns.push({ header: t('board.mentor'), cell: (entry) => entry.mentor ?? '' });
    return columns;
  }

  override render() {
    return html`<ontap-app-shell>
      ${loadState(
        this.load,
        (board) => html`<section class="card">
          <h1>${board.name}</h1>
          <p class="muted">${t('board.dates', { from: longDate(board.startsOn), to: longDate(board.endsOn) })}</p>
          <p>${t('board.join')} <a href="/signup.html">${t('board.joinLink')}</a>.</p>
          ${
            board.entries.length === 0
              ? html`<p>${t('board.empty')}</p>`
              : html`<ontap-data-table
                .columns=${this.#columns(board)}
                .rows=${board.entries}
                caption=${
                  board.lastCompleteDay
                    ? t('board.after', { days: board.completeDays, date: longDate(board.lastCompleteDay) })
                    : t('board.startsSoon')
                }
              ></ontap-data-table>`
          }
          ${householdsByRank(board.households)}
          <p class="muted">${t('board.about')}</p>
        </section>`,
        () => void this.#fetch(),
      )}
    </ontap-app-shell>`;
  }
}
customElements.define('ontap-public-board-page', PublicBoardPage);
