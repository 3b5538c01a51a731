// The operator's page: set up neighbourhoods and their streets (typed or from a CSV file), invite
// each neighbourhood's champion or utility partner, and see what ingest refused (by reason, then
// the latest messages) so a broken device is found.
import '../page.css';
import '../design/app-shell.ts';
import '../design/data-table.ts';
import './streets-form.ts';
import './neighbourhood-settings.ts';
import { html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import type { Column } from '../design/data-table.ts';
import { field, formValues, selectField } from '../design/field.ts';
import { FormPage } from '../design/form-page.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { SignedInPage } from '../design/signed-in-page.ts';
import { toast } from '../design/toasts.ts';
import { base, tokens } from '../design/tokens.ts';
import { wordError } from '../i18n/errors.ts';
import { longDate } from '../i18n/format.ts';
import { t } from '../i18n/i18n.ts';
import { timeZones } from './neighbourhood-settings.ts';

type DeadLetters = paths['/api/admin/dead-letters']['get']['responses'][200]['content']['application/json'];
type Letter = DeadLetters['letters'][number];
type Neighbourhoods = paths['/api/neighbourhoods']['get']['responses'][200]['content']['application/json'];
type Neighbourhood = Neighbourhoods[number];

export class AdminPage extends SignedInPage {
  protected readonly roles = ['admin'] as const;
  static override properties = {
    ...SignedInPage.properties,
    dead: { state: true },
    neighbourhoods: { state: true },
    chosen: { state: true },
  };
  declare dead: Load<DeadLetters>;
  declare neighbourhoods: Load<Neighbourhoods>;
  /** The neighbourhood whose streets and invitations the forms below are for. */
  declare chosen: string;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.dead = { state: 'loading' };
    this.neighbourhoods = { state: 'loading' };
    this.chosen = '';
  }

  protected async start() {
    document.title = `${t('admin.title')} – ${t('app.name')}`;
    await Promise.all([this.#loadNeighbourhoods(), this.#loadDeadLetters()]);
  }

  async #loadNeighbourhoods(choose?: string) {
    try {
      const list = await unwrap(api.GET('/api/neighbourhoods'));
      this.neighbourhoods = { state: 'ready', data: list };
      this.chosen = list.find((one) => one.id === (choose ?? this.chosen))?.id ?? list[0]?.id ?? '';
    } catch (error) {
      this.neighbourhoods = { state: 'error', message: wordError(error).summary };
    }
  }

  async #loadDeadLetters() {
    try {
      this.dead = {
        state: 'ready',
        data: await unwrap(api.GET('/api/admin/dead-letters', { params: { query: { limit: 50 } } })),
      };
    } catch (error) {
      this.dead = { state: 'error', message: wordError(error).summary };
    }
  }

  /** Streets and invitations, for the neighbourhood chosen here. */
  #forNeighbourhood(list: Neighbourhoods) {
    return html`<section class="card" aria-labelledby="one-title">
      <h2 id="one-title">${t('admin.oneNeighbourhood')}</h2>
      ${selectField({
        name: 'neighbourhood',
        label: t('admin.neighbourhood'),
        value: this.chosen,
        choices: list.map((one) => ({ value: one.id, label: one.name })),
        onChange: (event) => {
          this.chosen = (event.target as HTMLSelectElement).value;
        },
      })}
      <h3>${t('admin.addStreets')}</h3>
      <ontap-streets-form .neighbourhoodId=${this.chosen} @streets-added=${() => void this.#loadNeighbourhoods()}></ontap-streets-form>
      <h3>${t('admin.invite')}</h3>
      <ontap-admin-invite-form .neighbourhoodId=${this.chosen}></ontap-admin-invite-form>
      <h3>${t('neighbourhoodSettings.title')}</h3>
      <ontap-neighbourhood-settings
        .neighbourhood=${list.find((one) => one.id === this.chosen)}
        @neighbourhood-changed=${() => void this.#loadNeighbourhoods()}
      ></ontap-neighbourhood-settings>
    </section>`;
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
    const neighbourhoods: Column<Neighbourhood>[] = [
      { header: t('admin.name'), cell: (one) => one.name, rowHeader: true },
      { header: t('admin.idColumn'), cell: (one) => one.id },
      { header: t('admin.timeZone'), cell: (one) => one.timeZone },
      { header: t('admin.streets'), cell: (one) => one.streets, numeric: true },
      { header: t('admin.households'), cell: (one) => one.households, numeric: true },
    ];
    return html`<h1>${t('admin.title')}</h1>
      <section class="card" aria-labelledby="neighbourhoods-title">
        <h2 id="neighbourhoods-title">${t('admin.neighbourhoods')}</h2>
        ${loadState(
          this.neighbourhoods,
          (list) =>
            list.length === 0
              ? html`<p>${t('admin.noNeighbourhood')}</p>`
              : html`<ontap-data-table .columns=${neighbourhoods} .rows=${list} caption=${t('admin.neighbourhoodsCaption')}></ontap-data-table>`,
          () => void this.#loadNeighbourhoods(),
        )}
        <h3>${t('admin.setUp')}</h3>
        <ontap-neighbourhood-form
          @neighbourhood-created=${(event: CustomEvent<string>) => void this.#loadNeighbourhoods(event.detail)}
        ></ontap-neighbourhood-form>
      </section>
      ${this.neighbourhoods.state === 'ready' && this.neighbourhoods.data.length > 0 ? this.#forNeighbourhood(this.neighbourhoods.data) : nothing}
      <section class="card" aria-labelledby="dead-title">
        <h2 id="dead-title">${t('admin.dead')}</h2>
        <p class="muted">${t('admin.deadAbout')}</p>
        ${loadState(
          this.dead,
          (dead) =>
            dead.letters.length === 0
              ? html`<p>${t('admin.none')}</p>`
              : html`<ontap-data-table .columns=${counts} .rows=${Object.entries(dead.counts)} caption=${t('admin.byReason')}></ontap-data-table>
                <h3>${t('admin.latest')}</h3>
                <ontap-data-table .columns=${letters} .rows=${dead.letters} caption=${t('admin.latestCaption')}></ontap-data-table>`,
          () => void this.#loadDeadLetters(),
        )}
      </section>`;
  }
}
customElements.define('ontap-admin-page', AdminPage);

export class AdminInviteForm extends FormPage {
  static override properties = { ...FormPage.properties, neighbourhoodId: { type: String }, invitation: { state: true } };
  declare neighbourhoodId: string;
  declare invitation: { code: string; expiresAt: string } | undefined;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.neighbourhoodId = '';
    this.invitation = undefined;
  }

  override render() {
    return html`<div>
      ${this.summary()}
      <form @submit=${this.#submit} novalidate>
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
    </div>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const values = formValues(event.target as HTMLFormElement);
    return this.attempt(async () => {
      this.invitation = await unwrap(
        api.POST('/api/neighbourhoods/{neighbourhoodId}/invitations', {
          params: { path: { neighbourhoodId: this.neighbourhoodId } },
          body: { role: values.role === 'utility' ? 'utility' : 'champion' },
        }),
      );
    });
  }
}
customElements.define('ontap-admin-invite-form', AdminInviteForm);

export class NeighbourhoodForm extends FormPage {
  static override styles = [tokens, base];

  override render() {
    return html`${this.summary()}
      <form @submit=${this.#submit} novalidate>
        ${field({ name: 'name', label: t('admin.name'), hint: t('admin.nameHint'), required: true, maxlength: 80, autocomplete: 'off', problem: this.fieldProblem('name') })}
        ${selectField({
          name: 'timeZone',
          label: t('admin.timeZone'),
          hint: t('admin.timeZoneHint'),
          choices: timeZones().map((zone) => ({ value: zone, label: zone })),
          problem: this.fieldProblem('timeZone'),
        })}
        ${field({ name: 'id', label: t('admin.id'), hint: t('admin.idHint'), maxlength: 40, autocomplete: 'off', problem: this.fieldProblem('id') })}
        <button type="submit" ?disabled=${this.busy}>${t('admin.create')}</button>
      </form>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = formValues(form);
    return this.attempt(async () => {
      const created = await unwrap(
        api.POST('/api/neighbourhoods', {
          body: { name: values.name ?? '', timeZone: values.timeZone ?? '', ...(values.id ? { id: values.id } : {}) },
        }),
      );
      form.reset();
      toast(t('admin.created', { name: created.name }));
      this.dispatchEvent(new CustomEvent('neighbourhood-created', { detail: created.id, bubbles: true, composed: true }));
    });
  }
}
customElements.define('ontap-neighbourhood-form', NeighbourhoodForm);
