// <ontap-roster>: the neighbourhood's homes as a champion may see them (alias, street, challenges,
// whether their meters read; homes that chose privacy only counted per street), and one-step
// invitations of a single home to the challenge chosen on the page.
import { html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import type { Column } from '../design/data-table.ts';
import { FormPage } from '../design/form-page.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { toast } from '../design/toasts.ts';
import { base, tokens } from '../design/tokens.ts';
import { wordError } from '../i18n/errors.ts';
import { t, tn } from '../i18n/i18n.ts';
import '../design/data-table.ts';

type Roster = paths['/api/neighbourhoods/{neighbourhoodId}/households']['get']['responses'][200]['content']['application/json'];
type Home = Roster['households'][number];

export class HouseholdRoster extends FormPage {
  static override properties = {
    ...FormPage.properties,
    neighbourhoodId: { type: String },
    challengeId: { type: String },
    challengeName: { type: String },
    roster: { state: true },
  };
  declare neighbourhoodId: string;
  /** The challenge a home can be invited to from here ('' for none). */
  declare challengeId: string;
  declare challengeName: string;
  declare roster: Load<Roster>;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.neighbourhoodId = '';
    this.challengeId = '';
    this.challengeName = '';
    this.roster = { state: 'loading' };
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  async load() {
    try {
      const roster = await unwrap(
        api.GET('/api/neighbourhoods/{neighbourhoodId}/households', {
          params: { path: { neighbourhoodId: this.neighbourhoodId } },
        }),
      );
      this.roster = { state: 'ready', data: roster };
    } catch (error) {
      this.roster = { state: 'error', message: wordError(error).summary };
    }
  }

  #invite(home: Home) {
    return this.attempt(async () => {
      await unwrap(
        api.POST('/api/challenges/{challengeId}/invitations', {
          params: { path: { challengeId: this.challengeId } },
          body: { householdIds: [home.householdId] },
        }),
      );
      toast(t('roster.invited', { alias: home.alias, challenge: this.challengeName }));
      await this.load();
      this.dispatchEvent(new CustomEvent('invited', { bubbles: true, composed: true }));
    });
  }

  #columns(): Column<Home>[] {
    const names = (list: { name: string }[]) => (list.length === 0 ? t('board.noRank') : list.map((one) => one.name).join(', '));
    const columns: Column<Home>[] = [
      { header: t('roster.home'), cell: (home) => home.alias, rowHeader: true },
      { header: t('roster.street'), cell: (home) => home.street },
      { header: t('roster.challenges'), cell: (home) => names(home.challenges) },
      {
        header: t('roster.meters'),
        cell: (home) =>
          home.meters === 0 ? t('roster.noMeter') : t('roster.reading', { reading: home.metersReading, meters: home.meters }),
      },
    ];
    if (this.challengeId)
      columns.push({
        header: t('roster.invite'),
        cell: (home) =>
          home.challenges.some((one) => one.challengeId === this.challengeId)
            ? t('roster.joined')
            : home.invitedTo.some((one) => one.challengeId === this.challengeId)
              ? t('roster.alreadyInvited')
              : html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.#invite(home)}>
                  ${t('roster.inviteOne', { alias: home.alias })}
                </button>`,
      });
    return columns;
  }

  override render() {
    return html`${this.summary()}
      ${loadState(
        this.roster,
        (roster) => html`${
          roster.households.length === 0
            ? html`<p>${t('roster.none')}</p>`
            : html`<ontap-data-table
                .columns=${this.#columns()}
                .rows=${roster.households}
                caption=${this.challengeId ? t('roster.captionFor', { challenge: this.challengeName }) : t('roster.caption')}
              ></ontap-data-table>`
        }
        ${
          roster.privateByStreet.length === 0
            ? nothing
            : html`<p class="muted">
                ${t('roster.private', {
                  streets: roster.privateByStreet
                    .map((one) => tn('roster.privateStreet', one.households, { street: one.street }))
                    .join('; '),
                })}
              </p>`
        }`,
        () => void this.load(),
      )}`;
  }
}
customElements.define('ontap-roster', HouseholdRoster);
