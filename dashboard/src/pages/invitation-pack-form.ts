// A champion's invitation letters to print: a street, how many homes, and a challenge to invite them
// to if they like. The API makes the PDF (a cover page for the doorstep round, then one letter a
// home with its own code and QR code); this form downloads it and keeps a link to it on the page,
// because the codes are in that file only.
import { html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import { field, formValues, selectField } from '../design/field.ts';
import { FormPage, FormProblem } from '../design/form-page.ts';
import { base, tokens } from '../design/tokens.ts';
import { shortDate } from '../i18n/format.ts';
import { t, tn } from '../i18n/i18n.ts';
import type { Streets } from './champion.ts';

type Listing = paths['/api/neighbourhoods/{neighbourhoodId}/challenges']['get']['responses'][200]['content']['application/json'];

const MAX_LETTERS = 200;

export class InvitationPackForm extends FormPage {
  static override properties = {
    ...FormPage.properties,
    neighbourhoodId: { type: String },
    streets: { attribute: false },
    challenges: { attribute: false },
    made: { state: true },
  };
  declare neighbourhoodId: string;
  declare streets: Streets;
  declare challenges: Listing;
  /** The last PDF made: its address in this tab, its file name and what it holds. */
  declare made: { url: string; file: string; letters: number; street: string } | undefined;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.neighbourhoodId = '';
    this.streets = [];
    this.challenges = [];
    this.made = undefined;
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    if (this.made) URL.revokeObjectURL(this.made.url);
  }

  override render() {
    // Letters invite to a challenge still to come or running.
    const open = this.challenges.filter((one) => one.status === 'upcoming' || one.status === 'running');
    return html`<section class="card" aria-labelledby="letters-title">
      <h2 id="letters-title">${t('letters.title')}</h2>
      <p>${t('letters.body')}</p>
      ${this.summary()}
      <form @submit=${this.#submit} novalidate>
        ${selectField({
          name: 'streetId',
          label: t('letters.street'),
          choices: this.streets.map((street) => ({
            value: street.id,
            label: tn('invite.streetChoice', street.households, { name: street.name }),
          })),
          problem: this.fieldProblem('streetId'),
        })}
        ${field({
          name: 'letters',
          label: t('letters.count'),
          hint: t('letters.countHint', { max: MAX_LETTERS }),
          type: 'number',
          value: '20',
          min: 1,
          max: MAX_LETTERS,
          required: true,
          problem: this.fieldProblem('letters'),
        })}
        ${selectField({
          name: 'challengeId',
          label: t('letters.challenge'),
          hint: t('letters.challengeHint'),
          choices: [
            { value: '', label: t('letters.noChallenge') },
            ...open.map((one) => ({
              value: one.id,
              label: t('champion.listing', { name: one.name, from: shortDate(one.startsOn), to: shortDate(one.endsOn) }),
            })),
          ],
          problem: this.fieldProblem('challengeId'),
        })}
        <button type="submit" ?disabled=${this.busy}>${t(this.busy ? 'letters.making' : 'letters.submit')}</button>
      </form>
      ${
        this.made
          ? html`<div class="success" role="status">
            <p>${tn('letters.made', this.made.letters, { street: this.made.street })}</p>
            <p><a href=${this.made.url} download=${this.made.file}>${t('letters.again')}</a></p>
          </div>`
          : nothing
      }
    </section>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const values = formValues(event.target as HTMLFormElement);
    return this.attempt(
      async () => {
        const street = this.streets.find((one) => one.id === values.streetId);
        if (!street) throw new FormProblem(t('letters.noStreet'));
        const letters = Number(values.letters);
        const pdf = (await unwrap(
          api.POST('/api/neighbourhoods/{neighbourhoodId}/invitation-pack', {
            params: { path: { neighbourhoodId: this.neighbourhoodId } },
            body: { streetId: street.id, letters, ...(values.challengeId ? { challengeId: values.challengeId } : {}) },
            parseAs: 'blob',
          }),
        )) as unknown as Blob;
        if (this.made) URL.revokeObjectURL(this.made.url);
        this.made = { url: URL.createObjectURL(pdf), file: `invitations-${street.id}.pdf`, letters, street: street.name };
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLAnchorElement>('.success a')?.click();
      },
      new Set(['letters']),
    );
  }
}
customElements.define('ontap-invitation-pack-form', InvitationPackForm);
