// The operator's page: invite a neighbourhood's champion or utility partner, and see what ingest
// refused (by reason, then the latest messages) so a broken device is found.
import '../page.css';
import '../design/app-shell.ts';
import '../design/data-table.ts';
import { html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import type { Column } from '../design/data-table.ts';
import { field, formValues, selectField } from '../design/field.ts';
import { FormPage } from '../design/form-page.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { SignedInPage } from '../design/signed-in-page.ts';
import { base, tokens } from '../design/tokens.ts';
import { wordError } from '../i18n/errors.ts';
import { longDate } from '../i18n/format.ts';
import { t } from '../i18n/i18n.ts';

type DeadLetters = paths['/api/admin/dead-letters']['get']['responses'][200]['content']['application/json'];
type Letter = DeadLetters['letters'][number];

export class AdminPage extends SignedInPage {
  protected readonly roles = ['admin'] as const;
  static override properties = { ...SignedInPage.properties, dead: { state: true } };
  declare dead: Load<DeadLetters>;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.dead = { state: 'loading' };
  }

  protected async start() {
    document.title = `${t('admin.title')} – ${t('app.name')}`;
    try {
      this.dead = {
        state: 'ready',
        data: await unwrap(api.GET('/api/admin/dead-letters', { params: { query: { limit: 50 } } })),
      };
    } catch (error) {
      this.dead = { state: 'error', message: wordError(error).summary };
    }
  }

  protected page() {
    const counts: Column<[string, number]>[] = [
      { header: t('admin.reason'), cell: ([reason]) => reason, rowHeader: true },
      { header: t('admin.messages'), cell: ([, count]) => count, numeric: true },
    ];
    const letters: Column<Letter>[] = [
      {
        header: t('admin.received'),
        cell: (letter) => new Date(letter.receivedAt).toLocaleString(document.documentElement.lang || 'en'),
      },
      { header: t('admin.topic'), cell: (letter) => letter.topic, rowHeader: true },
      { header: t('admin.reason'), cell: (letter) => letter.reason },
      { header: t('admin.detail'), cell: (letter) => letter.detail },
    ];
    return html`<h1>${t('admin.title')}</h1>
      <ontap-admin-invite-form></ontap-admin-invite-form>
      <section class="card" aria-labelledby="dead-title">
        <h2 id="dead-title">${t('admin.dead')}</h2>
        <p class="muted">${t('admin.deadAbout')}</p>
        ${loadState(
          this.dead,
          (dead) =>
            dead.letters.length === 0
              ? html`<p>${t('admin.none')}</p>`
              : html`<ontap-data-table .columns=${counts} .rows=${Object.entries(dead.counts)}></ontap-data-table>
                <h3>${t('admin.latest')}</h3>
                <ontap-data-table .columns=${letters} .rows=${dead.letters}></ontap-data-table>`,
          () => void this.start(),
        )}
      </section>`;
  }
}
customElements.define('ontap-admin-page', AdminPage);

export class AdminInviteForm extends FormPage {
  static override properties = { ...FormPage.properties, invitation: { state: true } };
  declare invitation: { code: string; expiresAt: string } | undefined;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.invitation = undefined;
  }

  override render() {
    return html`<section class="card" aria-labelledby="invite-title">
      <h2 id="invite-title">${t('admin.invite')}</h2>
      ${this.summary()}
      <form @submit=${this.#submit} novalidate>
        ${field({ name: 'neighbourhood', label: t('admin.neighbourhood'), hint: t('admin.neighbourhoodHint'), required: true, autocomplete: 'off', problem: this.fieldProblem('neighbourhoodId') })}
        ${selectField({
          name: 'role',
          label: t('admin.role'),
          choices: [
            { value: 'champion', label: t('admin.role.champion') },
            { value: 'utility', label: t('admin.role.utility') },
          ],
        })}
        <button type="submit" ?disabled=${this.busy}>${t('invite.submit')}</button>
      </form>
      ${
        this.invitation
          ? html`<div class="success" role="status">
            <p>${t('invite.code')} <code>${this.invitation.code}</code></p>
            <p>
              <a href=${`${location.origin}/signup.html?code=${encodeURIComponent(this.invitation.code)}`}>${t('invite.link')}</a>
              · ${t('invite.until', { date: longDate(this.invitation.expiresAt.slice(0, 10)) })}
            </p>
          </div>`
          : nothing
      }
    </section>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const values = formValues(event.target as HTMLFormElement);
    return this.attempt(async () => {
      this.invitation = await unwrap(
        api.POST('/api/neighbourhoods/{neighbourhoodId}/invitations', {
          params: { path: { neighbourhoodId: values.neighbourhood ?? '' } },
          body: { role: values.role === 'utility' ? 'utility' : 'champion' },
        }),
      );
    });
  }
}
customElements.define('ontap-admin-invite-form', AdminInviteForm);
