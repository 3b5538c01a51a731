// <ontap-teams-editor>: a Friends On Tap challenge's teams as its champion runs them: each team with
// its homes and mentor, changed or dissolved in place (until the challenge is archived), and a new
// team formed from the homes in none.
import { css, html } from 'lit';
import { api, unwrap } from '../api/client.ts';
import { FormPage } from '../design/form-page.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { toast } from '../design/toasts.ts';
import { base, tokens } from '../design/tokens.ts';
import { wordError } from '../i18n/errors.ts';
import { t } from '../i18n/i18n.ts';
import type { TeamForm, TeamListing } from './champion-forms.ts';

type Member = TeamForm['members'][number];

export class TeamsEditor extends FormPage {
  static override properties = {
    ...FormPage.properties,
    challengeId: { type: String },
    unteamed: { attribute: false },
    teams: { state: true },
    dissolving: { state: true },
  };
  declare challengeId: string;
  /** The challenge's homes in no team, that a team may take. */
  declare unteamed: Member[];
  declare teams: Load<TeamListing[]>;
  /** The team whose dissolving waits for a second click. */
  declare dissolving: string | null;
  static override styles = [
    tokens,
    base,
    css`
      ul.teams {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ul.teams > li {
        border-top: 1px solid var(--line);
        padding-block: calc(var(--space) / 2);
      }
      ul.teams > li:last-child {
        border-bottom: 1px solid var(--line);
      }
      .team-name {
        font-weight: 700;
      }
    `,
  ];

  constructor() {
    super();
    this.challengeId = '';
    this.unteamed = [];
    this.teams = { state: 'loading' };
    this.dissolving = null;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  async load() {
    try {
      const teams = await unwrap(
        api.GET('/api/challenges/{challengeId}/teams', { params: { path: { challengeId: this.challengeId } } }),
      );
      this.teams = { state: 'ready', data: teams };
    } catch (error) {
      this.teams = { state: 'error', message: wordError(error).summary };
    }
  }

  /** After a team is formed or changed: the list here, and the page's own figures (who is in no team). */
  #changed = () => void this.load();

  #dissolve(team: TeamListing) {
    if (this.dissolving !== team.id) {
      this.dissolving = team.id;
      return;
    }
    return this.attempt(async () => {
      await unwrap(
        api.DELETE('/api/challenges/{challengeId}/teams/{teamId}', {
          params: { path: { challengeId: this.challengeId, teamId: team.id } },
        }),
      );
      this.dissolving = null;
      toast(t('team.dissolved', { name: team.name }));
      await this.load();
      this.dispatchEvent(new CustomEvent('team-formed', { bubbles: true, composed: true }));
    });
  }

  #team(team: TeamListing) {
    const members = team.members.map((member) => member.alias).join(', ');
    return html`<li>
      <p><span class="team-name">${team.name}</span>: ${t('team.row', { members, mentor: team.mentor?.alias ?? t('team.noMentor') })}</p>
      <details>
        <summary>${t('team.changeOne', { name: team.name })}</summary>
        <ontap-team-form
          .challengeId=${this.challengeId}
          .team=${team}
          .members=${this.unteamed}
          @team-formed=${this.#changed}
        ></ontap-team-form>
      </details>
      <button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.#dissolve(team)}>
        ${t(this.dissolving === team.id ? 'team.dissolveConfirm' : 'team.dissolve', { name: team.name })}
      </button>
    </li>`;
  }

  override render() {
    return html`${this.summary()}
      ${loadState(
        this.teams,
        (teams) =>
          teams.length === 0
            ? html`<p>${t('team.none')}</p>`
            : html`<ul class="teams">${teams.map((team) => this.#team(team))}</ul>`,
        () => void this.load(),
      )}
      <h4>${t('champion.formTeam')}</h4>
      <ontap-team-form .challengeId=${this.challengeId} .members=${this.unteamed} @team-formed=${this.#changed}></ontap-team-form>`;
  }
}
customElements.define('ontap-teams-editor', TeamsEditor);
