// <ontap-mentor-view>: a Friends On Tap mentor's view of its team: how each home is getting on in
// words (the API gives no figures: beside the team's saving they would give baselines away), what
// it pledged, and who has had no readings for days, for the doorstep conversations that help.
import { html, LitElement } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import type { Column } from '../design/data-table.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { base, tokens } from '../design/tokens.ts';
import type { MessageKey } from '../i18n/en.ts';
import { wordError } from '../i18n/errors.ts';
import { longDate } from '../i18n/format.ts';
import { t } from '../i18n/i18n.ts';
import '../design/data-table.ts';

type MentorView =
  paths['/api/challenges/{challengeId}/teams/{teamId}/mentoring']['get']['responses'][200]['content']['application/json'];
type Member = MentorView['members'][number];

export class MentorViewCard extends LitElement {
  static override properties = { challengeId: { type: String }, teamId: { type: String }, view: { state: true } };
  declare challengeId: string;
  declare teamId: string;
  declare view: Load<MentorView>;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.challengeId = '';
    this.teamId = '';
    this.view = { state: 'loading' };
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  async load() {
    try {
      const view = await unwrap(
        api.GET('/api/challenges/{challengeId}/teams/{teamId}/mentoring', {
          params: { path: { challengeId: this.challengeId, teamId: this.teamId } },
        }),
      );
      this.view = { state: 'ready', data: view };
    } catch (error) {
      this.view = { state: 'error', message: wordError(error).summary };
    }
  }

  #columns(): Column<Member>[] {
    return [
      { header: t('mentor.member'), cell: (m) => (m.mentor ? t('mentor.you', { alias: m.alias }) : m.alias), rowHeader: true },
      {
        header: t('mentor.progress'),
        cell: (m) =>
          m.progress ? t(`mentor.progress.${m.progress}` as MessageKey) : t(`board.status.${m.status}` as MessageKey),
      },
      {
        header: t('mentor.pledges'),
        cell: (m) =>
          m.pledges.length === 0
            ? t('mentor.noPledges')
            : m.pledges.map((pledge) => t(`pledge.${pledge}` as MessageKey)).join('; '),
      },
      {
        header: t('mentor.lastData'),
        cell: (m) =>
          m.daysWithoutData === 0
            ? t('mentor.readingFine')
            : m.quiet
              ? html`<strong>${t('mentor.quietShort', { days: m.daysWithoutData })}</strong>`
              : t('mentor.quietShort', { days: m.daysWithoutData }),
      },
    ];
  }

  override render() {
    return loadState(
      this.view,
      (view) => html`<ontap-data-table
          .columns=${this.#columns()}
          .rows=${view.members}
          caption=${t('mentor.caption', { date: longDate(view.lastDay) })}
        ></ontap-data-table>
        <p class="muted">${t('mentor.about')}</p>`,
      () => void this.load(),
    );
  }
}
customElements.define('ontap-mentor-view', MentorViewCard);
