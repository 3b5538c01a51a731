// The noticeboard poster of a challenge (?challenge=ID): large type on A4, the leaders so far and
// how to join. Printed from the champion's page; the print button is not printed.
import '../design/app-shell.ts';
import { css, html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { SignedInPage } from '../design/signed-in-page.ts';
import { tokens } from '../design/tokens.ts';
import type { MessageKey } from '../i18n/en.ts';
import { wordError } from '../i18n/errors.ts';
import { longDate, savingText } from '../i18n/format.ts';
import { t } from '../i18n/i18n.ts';

type Challenge = paths['/api/challenges/{challengeId}']['get']['responses'][200]['content']['application/json'];
type PublicBoard =
  paths['/api/public/challenges/{challengeId}/leaderboard']['get']['responses'][200]['content']['application/json'];

export class PosterPage extends SignedInPage {
  protected readonly roles = ['champion', 'admin'] as const;
  static override properties = { ...SignedInPage.properties, poster: { state: true } };
  /** A poster is paper on a noticeboard: it names leaders only when the board is public. */
  declare poster: Load<{ challenge: Challenge; board: PublicBoard | null }>;
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
      .join {
        font-size: 1.15rem;
        border-top: 3px solid var(--brand);
        margin-top: 2rem;
        padding-top: 0.75rem;
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
      const board = challenge.public
        ? await unwrap(api.GET('/api/public/challenges/{challengeId}/leaderboard', { params: { path } }))
        : null;
      document.title = `${challenge.name} – ${t('app.name')}`;
      this.poster = { state: 'ready', data: { challenge, board } };
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

  protected page() {
    return loadState(this.poster, ({ challenge, board }) => {
      const leaders = (board?.entries ?? []).filter((entry) => entry.rank !== null && entry.saving !== null).slice(0, 8);
      return html`<p class="print">
          <button type="button" @click=${() => window.print()}>${t('poster.print')}</button>
          <a href=${`/champion.html?challenge=${encodeURIComponent(challenge.id)}`}>${t('poster.back')}</a>
        </p>
        <h1>${challenge.name}</h1>
        <p class="dates">${t('board.dates', { from: longDate(challenge.startsOn), to: longDate(challenge.endsOn) })}</p>
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
        <p class="join">${t('poster.join', { site: location.host })}</p>`;
    });
  }
}
customElements.define('ontap-poster-page', PosterPage);
