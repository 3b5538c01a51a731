// Add a neighbourhood's streets: typed one per line, or read from a CSV file (a column named
// "street" or "name", else the first column). Streets already there are skipped, not refused.
import { html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import { FormPage, FormProblem } from '../design/form-page.ts';
import { toast } from '../design/toasts.ts';
import { base, tokens } from '../design/tokens.ts';
import { t } from '../i18n/i18n.ts';
import { streetNamesFromCsv } from '../street-names.ts';

export class StreetsForm extends FormPage {
  static override properties = { ...FormPage.properties, neighbourhoodId: { type: String } };
  declare neighbourhoodId: string;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.neighbourhoodId = '';
  }

  override render() {
    return html`${this.summary()}
      <form @submit=${this.#submit} novalidate>
        <div class="field">
          <label for="street-names">${t('streets.names')}</label>
          <span class="hint" id="street-names-hint">${t('streets.namesHint')}</span>
          <textarea
            id="street-names"
            name="names"
            rows="4"
            aria-invalid=${this.fieldProblem('names') ? 'true' : 'false'}
            aria-describedby=${this.fieldProblem('names') ? 'street-names-hint street-names-problem' : 'street-names-hint'}
          ></textarea>
          ${this.fieldProblem('names') ? html`<span class="problem" id="street-names-problem">${this.fieldProblem('names')}</span>` : nothing}
        </div>
        <div class="field">
          <label for="street-file">${t('streets.file')}</label>
          <span class="hint" id="street-file-hint">${t('streets.fileHint')}</span>
          <input id="street-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="street-file-hint" />
        </div>
        <button type="submit" ?disabled=${this.busy}>${t('streets.submit')}</button>
      </form>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    return this.attempt(async () => {
      const typed = String(data.get('names') ?? '')
        .split(/\r?\n/)
        .map((name) => name.trim())
        .filter(Boolean);
      const file = data.get('file');
      const fromFile = file instanceof File && file.size > 0 ? streetNamesFromCsv(await file.text()) : [];
      const names = [...new Set([...typed, ...fromFile])];
      if (names.length === 0) throw new FormProblem(t('streets.none'));
      const result = await unwrap(
        api.POST('/api/neighbourhoods/{neighbourhoodId}/streets', {
          params: { path: { neighbourhoodId: this.neighbourhoodId } },
          body: { names },
        }),
      );
      form.reset();
      toast(t('streets.added', { created: result.created.length, existing: result.existing.length }));
      this.dispatchEvent(new CustomEvent('streets-added', { bubbles: true, composed: true }));
    });
  }
}
customElements.define('ontap-streets-form', StreetsForm);
