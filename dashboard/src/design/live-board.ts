// <ontap-live-board>: a challenge's leaderboard as organisers and members see it, kept current by
// the API's event stream. A changed cell is highlighted; a change is said once, politely, and only
// when what the board shows changed (the stream's keep-alives say nothing).
import { html, LitElement, nothing } from 'lit';
import type { paths } from '../api/openapi.ts';
import { amount, type Kind, longDate, savingText } from '../i18n/format.ts';
import { t } from '../i18n/i18n.ts';
import type { Column } from './data-table.ts';
import { announce, listen } from './live.ts';
import { base, tokens } from './tokens.ts';
import './data-table.ts';

export type Leaderboard =
  paths['/api/challenges/{challengeId}/leaderboard']['get']['responses'][200]['content']['application/json'];
type Entry = Leaderboard['entries'][number];

const standing = (entry: Entry, figure: number | null | undefined) =>
  entry.status === 'ranked' && figure !== null && figure !== undefined
    ? savingText(figure)
    : t(`board.status.${entry.status}` as const);

type RankedHome = Pick<Entry, 'rank' | 'name' | 'status'>;

/**
 * A teams or streets challenge's households, by rank, with a word on why no saving is shown (the
 * API leaves them out): for the live board and the public one alike. Nothing when there are none.
 */
export function householdsByRank(households: readonly RankedHome[] | null | undefined) {
  if (!households || households.length === 0) return nothing;
  const columns: Column<RankedHome>[] = [
    { header: t('board.rank'), cell: (entry) => entry.rank ?? t('board.noRank'), numeric: true },
    { header: t('board.home'), cell: (entry) => entry.name, rowHeader: true },
    { header: t('board.standing'), cell: (entry) => t(`board.status.${entry.status}` as const) },
  ];
  // Folded: on a phone a neighbourhood's homes are a long scroll between the board and what follows.
  return html`<details class="households">
    <summary>${t('board.householdsShow', { count: households.length })}</summary>
    <ontap-data-table
      .columns=${columns}
      .rows=${households}
      .rowKey=${(entry: RankedHome) => entry.name}
      caption=${t('board.households')}
    ></ontap-data-table>
    <p class="muted">${t('board.householdsAbout')}</p>
  </details>`;
}

export class LiveBoard extends LitElement {
  static override properties = {
    challengeId: { type: String },
    metric: { type: String },
    board: { state: true },
  };
  declare challengeId: string;
  declare metric: Kind;
  declare board: Leaderboard | undefined;
  #stop: (() => void) | undefined;

  constructor() {
    super();
    this.challengeId = '';
    this.metric = 'water';
    this.board = undefined;
  }

  static override styles = [tokens, base];

  override connectedCallback() {
    super.connectedCallback();
    this.#listen();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#stop?.();
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('challengeId') && changed.get('challengeId') !== undefined) this.#listen();
  }

  #listen() {
    this.#stop?.();
    this.board = undefined;
    if (!this.challengeId) return;
    this.#stop = listen(`/api/challenges/${encodeURIComponent(this.challengeId)}/stream`, {
      leaderboard: (data) => this.#show(data as Leaderboard),
    });
  }

  #show(board: Leaderboard) {
    const before = this.board;
    this.board = board;
    // Said only when the standings move (ranks, complete-day savings): "today so far" moves with
    // every reading, and is highlighted, not read out each time.
    const standings = (one: Leaderboard) => JSON.stringify(one.entries.map((entry) => [entry.name, entry.rank, entry.saving]));
    if (!before || standings(before) === standings(board)) return;
    const leader = board.entries.find((entry) => entry.rank === 1);
    const leaderBefore = before.entries.find((entry) => entry.rank === 1);
    announce(leader && leader.name !== leaderBefore?.name ? t('live.newLeader', { name: leader.name }) : t('live.updated'));
  }

  #columns(board: Leaderboard): Column<Entry>[] {
    const nameHeader = board.scope === 'teams' ? 'board.team' : board.scope === 'streets' ? 'board.street' : 'board.home';
    const columns: Column<Entry>[] = [
      { header: t('board.rank'), cell: (entry) => entry.rank ?? t('board.noRank'), numeric: true },
      { header: t(nameHeader), cell: (entry) => entry.name, rowHeader: true },
      { header: t('board.saving'), cell: (entry) => standing(entry, entry.saving), numeric: true },
    ];
    const entries = board.entries;
    // Today so far: for teams and streets with enough homes reading today (the API leaves the rest out).
    if (entries.some((entry) => entry.today !== null && entry.today !== undefined))
      columns.push({
        header: t('board.today'),
        cell: (entry) => (entry.today === null || entry.today === undefined ? t('board.noRank') : savingText(entry.today)),
        numeric: true,
      });
    // Litres saved: for teams and streets large enough (the API leaves the rest out).
    if (entries.some((entry) => entry.saved !== null))
      columns.push({
        header: t('board.saved'),
        cell: (entry) => (entry.saved === null ? t('board.noRank') : amount(entry.saved, this.metric)),
        numeric: true,
      });
    if (board.scope === 'teams') columns.push({ header: t('board.mentor'), cell: (entry) => entry.mentor ?? '' });
    return columns;
  }

  override render() {
    const board = this.board;
    if (!board) return html`<p class="muted" role="status">${t('state.loading')}</p>`;
    if (board.entries.length === 0) return html`<p>${t('board.empty')}</p>`;
    return html`<ontap-data-table
        .columns=${this.#columns(board)}
        .rows=${board.entries}
        .rowKey=${(entry: Entry) => entry.name}
        caption=${board.lastCompleteDay ? t('board.after', { days: board.completeDays, date: longDate(board.lastCompleteDay) }) : t('board.startsSoon')}
      ></ontap-data-table>
      ${
        board.target
          ? html`<p>${t(board.target.reached === null ? 'board.target' : 'board.targetReached', {
              saving: savingText(board.target.saving),
              reached: board.target.reached === null ? '' : savingText(board.target.reached),
            })}</p>`
          : nothing
      }
      ${householdsByRank(board.households)}
      <p class="muted">${t('board.liveAbout')}</p>`;
  }
}
customElements.define('ontap-live-board', LiveBoard);
