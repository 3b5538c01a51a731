// The noticeboard poster of a challenge (?challenge=ID): large type on A4, the target and litres
// saved so far, the leaders so far and how to join, with a QR code. Printed from the champion's
// page; the print button is not printed.
import '../design/app-shell.ts';
import { css, html, nothing } from 'lit';
import { qrDrawing, qrPath } from '../../../lib/qr-code.ts';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { SignedInPage } from '../design/signed-in-page.ts';
import { tokens } from '../design/tokens.ts';
import type { MessageKey } from '../i18n/en.ts';
import { wordError } from '../i18n/errors.ts';
import { amount, longDate, savingText } from '../i18n/format.ts';
import { formatNumber, t } from '../i18n/i18n.ts';

type Challenge = paths['/api/challenges/{challengeId}']['get']['responses'][200]['content']['application/json'];
type PublicBoard =
  paths['/api/public/challenges/{challengeId}/leaderboard']['get']['responses'][200]['content']['application/json'];
type Board = paths['/api/challenges/{challengeId}/leaderboard']['get']['responses'][200]['content']['application/json'];

/**
 * Where the poster's QR code leads. A passer-by has no code: codes are personal, one a home, given
 * by a champion on the doorstep or in a letter, so a poster cannot carry one and its QR code signs
 * no one up. For a public challenge it opens the public board, which shows the standings and says
 * how to join; for a private one, the sign-up page, which says where a code comes from. A resident
 * who has a code joins from either.
 */
export const posterLink = (challenge: { id: string; public: boolean }, origin: string) =>
  challenge.public ? `${origin}/board.html?challenge=${encodeURIComponent(challenge.id)}` : `${origin}/signup.html`;

/**
 * Litres (or watt-hours) saved so far: the sum of the figures the board shows. The API gives a
 * group's only from enough rated members (LITRES_SHOWN_FROM) and never a household's, so the sum
 * says nothing about fewer homes than each figure already does; homes in no shown group are not
 * counted. Null when the board shows none (a households challenge, or groups still too small).
 */
export function savedSoFar(board: Pick<Board, 'entries'>): number | null {
  const shown = board.entries.flatMap((entry) => (entry.saved === null ? [] : [entry.saved]));
  return shown.length === 0 ? null : shown.reduce((sum, saved) => sum + saved, 0);
}

export class PosterPage extends SignedInPage {
  protected readonly roles = ['champion', 'admin'] as const;
  static override properties = { ...SignedInPage.properties, poster: { state: true } };
  /**
   * A poster is paper on a noticeboard: it names leaders only when the board is public
   * (`publicBoard`); the target and the litres saved, which name no one, come from the board
   * (null when it has none: a cancelled challenge).
   */
  declare poster: Load<{ challenge: Challenge; publicBoard: PublicBoard | null; board: Board | null }>;
  readonly #challengeId = new URLSearchParams(location.search).get('challenge') ?? '';

  constructor() {
    super();
    this.poster = { state: 'loading' };
  }

  static override styles = [
    tokens,
    css`
      .poster {
        max-width: 180mm;
        margin: 0 auto;
        background: #fff;
        padding: 1rem;
      }
      h1 {
        font-size: 2.6rem;
        margin: 0 0 0.5rem;
        color: var(--brand);
        line-height: 1.15;
      }
      .dates {
        font-size: 1.3rem;
      }
      ol {
        font-size: 1.6rem;
        padding-left: 2.2rem;
      }
      li {
        margin: 0.4rem 0;
      }
      .figures {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        margin: 1.25rem 0;
      }
      .figure {
        flex: 1 1 14rem;
        margin: 0;
        border: 3px solid var(--brand);
        border-radius: var(--radius);
        padding: 0.75rem 1rem;
        display: flex;
        flex-direction: column;
        gap: 0.2rem;
      }
      .figure .label {
        font-weight: 700;
        font-size: 1.15rem;
      }
      .figure .value {
        font-size: 2.4rem;
        font-weight: 800;
        color: var(--brand);
        line-height: 1.1;
      }
      .figure .note {
        font-size: 1.05rem;
      }
      .join {
        font-size: 1.15rem;
        border-top: 3px solid var(--brand);
        margin-top: 2rem;
        padding-top: 0.75rem;
        display: flex;
        flex-wrap: wrap;
        gap: 1rem 1.5rem;
        align-items: center;
      }
      .join > div {
        flex: 1 1 16rem;
      }
      .join p {
        margin: 0 0 0.5rem;
      }
      .scan {
        font-weight: 700;
        font-size: 1.3rem;
      }
      .qr {
        width: 42mm;
        height: 42mm;
        flex: none;
      }
      .print {
        display: flex;
        gap: 1rem;
        align-items: center;
        flex-wrap: wrap;
      }
      button {
        font: inherit;
        font-weight: 600;
        min-height: 2.75rem;
        padding: 0.5rem 1.1rem;
        border-radius: var(--radius);
        border: 2px solid var(--brand);
        background: var(--brand);
        color: #fff;
      }
      a {
        color: var(--brand);
      }
      :focus-visible {
        outline: 3px solid var(--focus);
        outline-offset: 2px;
      }
      @media print {
        .print {
          display: none;
        }
        .poster {
          padding: 0;
        }
      }
    `,
  ];

  protected async start() {
    try {
      const path = { challengeId: this.#challengeId };
      const challenge = await unwrap(api.GET('/api/challenges/{challengeId}', { params: { path } }));
      const [publicBoard, board] = await Promise.all([
        challenge.public
          ? unwrap(api.GET('/api/public/challenges/{challengeId}/leaderboard', { params: { path } })).catch(() => null)
          : null,
        unwrap(api.GET('/api/challenges/{challengeId}/leaderboard', { params: { path } })).catch(() => null),
      ]);
      document.title = `${challenge.name} – ${t('app.name')}`;
      this.poster = { state: 'ready', data: { challenge, publicBoard, board } };
    } catch (error) {
      this.poster = { state: 'error', message: wordError(error).summary };
    }
  }

  // The poster is paper: no header or navigation around it.
  override render() {
    return this.who.state === 'ready' && this.roles.includes(this.who.data.role as 'champion')
      ? html`<main class="poster">${this.page()}</main>`
      : super.render();
  }

  #figures(challenge: Challenge, board: Board | null) {
    const target = board?.target ?? null;
    const saved = board ? savedSoFar(board) : null;
    if (!target && saved === null) return nothing;
    return html`<div class="figures">
      ${
        target
          ? html`<p class="figure">
            <span class="label">${t('poster.target')}</span>
            <span class="value">${savingText(target.saving)}</span>
            <span class="note">${target.reached === null ? t('poster.targetNotYet') : t('poster.targetSoFar', { reached: savingText(target.reached) })}</span>
          </p>`
          : nothing
      }
      ${
        saved === null
          ? nothing
          : html`<p class="figure">
            <span class="label">${t('poster.saved')}</span>
            <span class="value">${challenge.metric === 'water' ? t('poster.litres', { litres: formatNumber(saved) }) : amount(saved, challenge.metric)}</span>
            <span class="note">${t(`poster.savedBy.${challenge.scope === 'teams' ? 'teams' : 'streets'}`)}</span>
          </p>`
      }
    </div>`;
  }

  #join(challenge: Challenge) {
    const link = posterLink(challenge, location.origin);
    const drawing = qrDrawing(link);
    const extent = drawing.size + 8;
    return html`<div class="join">
      <svg class="qr" viewBox="-4 -4 ${extent} ${extent}" role="img" aria-labelledby="qr-says">
        <rect x="-4" y="-4" width=${extent} height=${extent} fill="#fff"></rect>
        <path d=${qrPath(drawing)} fill="#000"></path>
      </svg>
      <div>
        <p class="scan" id="qr-says">${t(challenge.public ? 'poster.scanBoard' : 'poster.scanJoin')}</p>
        <p>${t('poster.join', { site: location.host })}</p>
      </div>
    </div>`;
  }

  protected page() {
    return loadState(this.poster, ({ challenge, publicBoard: board, board: fullBoard }) => {
      const leaders = (board?.entries ?? []).filter((entry) => entry.rank !== null && entry.saving !== null).slice(0, 8);
      return html`<p class="print">
          <button type="button" @click=${() => window.print()}>${t('poster.print')}</button>
          <a href=${`/champion.html?challenge=${encodeURIComponent(challenge.id)}`}>${t('poster.back')}</a>
        </p>
        <h1>${challenge.name}</h1>
        <p class="dates">${t('board.dates', { from: longDate(challenge.startsOn), to: longDate(challenge.endsOn) })}</p>
        ${this.#figures(challenge, fullBoard)}
        ${board ? html`<h2>${t(`poster.leading.${challenge.scope}` as MessageKey)}</h2>` : nothing}
        ${
          board === null
            ? html`<p class="print">${t('poster.notPublic')}</p>`
            : leaders.length === 0
              ? html`<p>${t('poster.none')}</p>`
              : html`<ol>
              ${leaders.map(
                (entry) =>
                  html`<li>
                    ${t('poster.entry', { name: entry.name, saving: savingText(entry.saving ?? 0) })}${
                      entry.mentor ? html` (${t('poster.mentor', { mentor: entry.mentor })})` : nothing
                    }
                  </li>`,
              )}
            </ol>`
        }
        ${this.#join(challenge)}`;
    });
  }
}
customElements.define('ontap-poster-page', PosterPage);
