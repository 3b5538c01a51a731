// The champion's page: their neighbourhood's challenges (pick one: who joined, its live board,
// invite streets, form teams, poster and public link), start a new one, invite a household.
import '../page.css';
import '../design/app-shell.ts';
import '../design/live-board.ts';
import './champion-forms.ts';
import './invitation-pack-form.ts';
import './roster.ts';
import './streets-form.ts';
import './teams-editor.ts';
import './leak-counts.ts';
import { css, html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import { selectField } from '../design/field.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { type Me, SignedInPage } from '../design/signed-in-page.ts';
import { toast } from '../design/toasts.ts';
import { base, tokens } from '../design/tokens.ts';
import { wordError } from '../i18n/errors.ts';
import { shortDate } from '../i18n/format.ts';
import { t } from '../i18n/i18n.ts';

type Listing = paths['/api/neighbourhoods/{neighbourhoodId}/challenges']['get']['responses'][200]['content']['application/json'];
type Challenge = paths['/api/challenges/{challengeId}']['get']['responses'][200]['content']['application/json'];
type Participation = paths['/api/challenges/{challengeId}/members']['get']['responses'][200]['content']['application/json'];
export type Streets =
  paths['/api/neighbourhoods/{neighbourhoodId}/streets']['get']['responses'][200]['content']['application/json'];

export class ChampionPage extends SignedInPage {
  protected readonly roles = ['champion'] as const;
  static override properties = {
    ...SignedInPage.properties,
    challenges: { state: true },
    streets: { state: true },
    chosen: { state: true },
    detail: { state: true },
  };
  declare challenges: Load<Listing>;
  declare streets: Streets;
  declare chosen: string;
  declare detail: Load<{ challenge: Challenge; participation: Participation }> | undefined;
  #neighbourhood = '';

  constructor() {
    super();
    this.challenges = { state: 'loading' };
    this.streets = [];
    this.chosen = '';
    this.detail = undefined;
  }

  static override styles = [
    tokens,
    base,
    css`
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.25rem;
        align-items: center;
      }
      .toggle {
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      .toggle input {
        width: 1.4rem;
        min-height: 1.4rem;
      }
    `,
  ];

  protected async start(who: Me) {
    this.#neighbourhood = who.neighbourhoodId ?? '';
    document.title = `${t('champion.title')} – ${t('app.name')}`;
    void this.#loadStreets();
    const wanted = new URLSearchParams(location.search).get('challenge');
    await this.#list(wanted ?? undefined);
  }

  async #loadStreets() {
    try {
      this.streets = await unwrap(
        api.GET('/api/neighbourhoods/{neighbourhoodId}/streets', { params: { path: { neighbourhoodId: this.#neighbourhood } } }),
      );
    } catch {
      // The forms that need streets say so; the rest of the page stands.
    }
  }

  async #list(choose?: string) {
    try {
      const list = await unwrap(
        api.GET('/api/neighbourhoods/{neighbourhoodId}/challenges', {
          params: { path: { neighbourhoodId: this.#neighbourhood } },
        }),
      );
      this.challenges = { state: 'ready', data: list };
      const pick = list.find((one) => one.id === choose)?.id ?? list.at(-1)?.id ?? '';
      if (pick) await this.#choose(pick);
    } catch (error) {
      this.challenges = { state: 'error', message: wordError(error).summary };
    }
  }

  async #choose(id: string) {
    this.chosen = id;
    const url = new URL(location.href);
    url.searchParams.set('challenge', id);
    history.replaceState(null, '', url);
    this.detail = { state: 'loading' };
    try {
      const path = { challengeId: id };
      const [challenge, participation] = await Promise.all([
        unwrap(api.GET('/api/challenges/{challengeId}', { params: { path } })),
        unwrap(api.GET('/api/challenges/{challengeId}/members', { params: { path } })),
      ]);
      if (this.chosen === id) this.detail = { state: 'ready', data: { challenge, participation } };
    } catch (error) {
      this.detail = { state: 'error', message: wordError(error).summary };
    }
  }

  protected page() {
    return html`<h1>${t('champion.title')}</h1>
      <section class="card" aria-labelledby="challenges-title">
        <h2 id="challenges-title">${t('champion.challenges')}</h2>
        ${loadState(
          this.challenges,
          (list) =>
            list.length === 0
              ? html`<p>${t('champion.noChallenge')}</p>`
              : html`${selectField({
                  name: 'challenge',
                  label: t('champion.pick'),
                  value: this.chosen,
                  choices: list.map((one) => ({
                    value: one.id,
                    label:
                      t('champion.listing', { name: one.name, from: shortDate(one.startsOn), to: shortDate(one.endsOn) }) +
                      (one.status === 'cancelled' || one.status === 'finished' ? ` – ${t(`champion.status.${one.status}`)}` : ''),
                  })),
                  onChange: (event) => void this.#choose((event.target as HTMLSelectElement).value),
                })}
                ${this.detail ? loadState(this.detail, ({ challenge, participation }) => this.#detail(challenge, participation)) : nothing}`,
          () => void this.#list(),
        )}
      </section>
      <ontap-new-challenge-form
        .neighbourhoodId=${this.#neighbourhood}
        @challenge-created=${(event: CustomEvent<string>) => void this.#list(event.detail)}
      ></ontap-new-challenge-form>
      <ontap-invite-household-form .neighbourhoodId=${this.#neighbourhood} .streets=${this.streets}></ontap-invite-household-form>
      <ontap-invitation-pack-form .neighbourhoodId=${this.#neighbourhood} .streets=${this.streets} .challenges=${this.challenges.state === 'ready' ? this.challenges.data : []}></ontap-invitation-pack-form>
      <section class="card" aria-labelledby="streets-title">
        <h2 id="streets-title">${t('champion.streets')}</h2>
        <p>${this.streets.length === 0 ? t('champion.noStreets') : this.streets.map((street) => street.name).join(', ')}</p>
        <ontap-streets-form .neighbourhoodId=${this.#neighbourhood} @streets-added=${() => void this.#loadStreets()}></ontap-streets-form>
      </section>
      <ontap-leak-counts .neighbourhoodId=${this.#neighbourhood}></ontap-leak-counts>`;
  }

  #detail(challenge: Challenge, participation: Participation) {
    const unteamed = participation.members.filter((member) => member.team === null);
    return html`<p>${t('champion.participation', { joined: participation.members.length, invited: participation.invited })}</p>
      <div class="links">
        <a href=${`/poster.html?challenge=${encodeURIComponent(challenge.id)}`}>${t('champion.poster')}</a>
        ${challenge.public ? html`<a href=${`/board.html?challenge=${encodeURIComponent(challenge.id)}`}>${t('champion.publicLink')}</a>` : nothing}
        <span class="toggle">
          <input id="public" type="checkbox" .checked=${challenge.public} @change=${(event: Event) => this.#setPublic(challenge, event)} />
          <label for="public">${t('champion.public')}</label>
        </span>
      </div>
      <h3>${t('champion.board')}</h3>
      <ontap-live-board .challengeId=${challenge.id} .metric=${challenge.metric}></ontap-live-board>
      <h3>${t('champion.roster')}</h3>
      <ontap-roster
        .neighbourhoodId=${this.#neighbourhood}
        .challengeId=${challenge.id}
        .challengeName=${challenge.name}
        @invited=${() => void this.#choose(challenge.id)}
      ></ontap-roster>
      <h3>${t('champion.inviteStreets')}</h3>
      <ontap-invite-streets-form
        .challengeId=${challenge.id}
        .streets=${this.streets}
        @invited=${() => void this.#choose(challenge.id)}
      ></ontap-invite-streets-form>
      ${
        challenge.scope === 'teams'
          ? html`<h3>${t('team.list')}</h3>
            <ontap-teams-editor
              .challengeId=${challenge.id}
              .unteamed=${unteamed}
              @team-formed=${() => void this.#choose(challenge.id)}
            ></ontap-teams-editor>`
          : nothing
      }
      <h3>${t('champion.lifecycle')}</h3>
      <ontap-challenge-lifecycle
        .challenge=${challenge}
        @challenge-changed=${() => void this.#list(challenge.id)}
      ></ontap-challenge-lifecycle>`;
  }

  async #setPublic(challenge: Challenge, event: Event) {
    const box = event.target as HTMLInputElement;
    try {
      await unwrap(
        api.PUT('/api/challenges/{challengeId}/visibility', {
          params: { path: { challengeId: challenge.id } },
          body: { public: box.checked },
        }),
      );
      toast(t(box.checked ? 'champion.nowPublic' : 'champion.nowPrivate'));
      await this.#choose(challenge.id);
    } catch (error) {
      box.checked = !box.checked;
      toast(wordError(error).summary, 'error');
    }
  }
}
customElements.define('ontap-champion-page', ChampionPage);
