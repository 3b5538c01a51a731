// The operator's changes to a neighbourhood once it is set up: its name and its time zone (the zone
// only until a challenge there starts: the API says so when it refuses), and archiving it, behind a
// disclosure and a second, confirming step, once it runs no more challenges.
import { html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import { field, formValues, selectField } from '../design/field.ts';
import { FormPage } from '../design/form-page.ts';
import { toast } from '../design/toasts.ts';
import { base, tokens } from '../design/tokens.ts';
import { t } from '../i18n/i18n.ts';

type Neighbourhood = paths['/api/neighbourhoods']['get']['responses'][200]['content']['application/json'][number];

/**
 * A common zone first, then every zone the browser knows, always in the same order (a select keeps
 * the place of the option chosen, not its value, when its options move); `kept` is added first
 * when the browser does not know it.
 */
export function timeZones(kept?: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = [...new Set([here, 'Europe/London', ...all])];
  return kept && !zones.includes(kept) ? [kept, ...zones] : zones;
}

export class NeighbourhoodSettings extends FormPage {
  static override properties = {
    ...FormPage.properties,
    neighbourhood: { attribute: false },
    confirming: { state: true },
  };
  declare neighbourhood: Neighbourhood | undefined;
  /** The archive button was pressed once: the second press archives. */
  declare confirming: boolean;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.neighbourhood = undefined;
    this.confirming = false;
  }

  override willUpdate(changed: Map<string, unknown>) {
    const before = changed.get('neighbourhood') as Neighbourhood | undefined;
    if (changed.has('neighbourhood') && before?.id !== this.neighbourhood?.id) {
      this.confirming = false;
      this.problem = undefined;
    }
  }

  // Fields the reader changed keep what they typed; another neighbourhood, or this one as saved,
  // shows its own name and zone again.
  override updated(changed: Map<string, unknown>) {
    const form = this.renderRoot.querySelector('form');
    if (!changed.has('neighbourhood') || !form || !this.neighbourhood) return;
    (form.elements.namedItem('name') as HTMLInputElement).value = this.neighbourhood.name;
    (form.elements.namedItem('timeZone') as HTMLSelectElement).value = this.neighbourhood.timeZone;
  }

  override render() {
    const one = this.neighbourhood;
    if (!one) return nothing;
    return html`${this.summary()}
      <form @submit=${this.#save} novalidate>
        ${field({ name: 'name', label: t('admin.name'), value: one.name, required: true, maxlength: 80, autocomplete: 'off', problem: this.fieldProblem('name') })}
        ${selectField({
          name: 'timeZone',
          label: t('admin.timeZone'),
          hint: t('neighbourhoodSettings.timeZoneHint'),
          value: one.timeZone,
          choices: timeZones(one.timeZone).map((zone) => ({ value: zone, label: zone })),
          problem: this.fieldProblem('timeZone'),
        })}
        <button type="submit" ?disabled=${this.busy}>${t('neighbourhoodSettings.save')}</button>
      </form>
      <details>
        <summary>${t('neighbourhoodSettings.archiveSummary')}</summary>
        <p>${t('neighbourhoodSettings.archiveBody')}</p>
        ${
          this.confirming
            ? html`<p><strong>${t('neighbourhoodSettings.confirm', { name: one.name })}</strong></p>
              <p>
                <button type="button" class="danger" ?disabled=${this.busy} @click=${this.#archive}>
                  ${t('neighbourhoodSettings.archiveNow', { name: one.name })}
                </button>
                <button type="button" class="secondary" @click=${() => {
                  this.confirming = false;
                }}>${t('neighbourhoodSettings.keep')}</button>
              </p>`
            : html`<button type="button" class="danger" @click=${() => {
                this.confirming = true;
              }}>${t('neighbourhoodSettings.archive', { name: one.name })}</button>`
        }
      </details>`;
  }

  #changed(id: string) {
    this.dispatchEvent(new CustomEvent('neighbourhood-changed', { detail: id, bubbles: true, composed: true }));
  }

  #save(event: SubmitEvent) {
    event.preventDefault();
    const one = this.neighbourhood;
    if (!one) return;
    const values = formValues(event.target as HTMLFormElement);
    return this.attempt(async () => {
      const body = {
        ...(values.name !== undefined && values.name !== one.name ? { name: values.name } : {}),
        ...(values.timeZone && values.timeZone !== one.timeZone ? { timeZone: values.timeZone } : {}),
      };
      const saved = await unwrap(
        api.PATCH('/api/neighbourhoods/{neighbourhoodId}', { params: { path: { neighbourhoodId: one.id } }, body }),
      );
      toast(t('neighbourhoodSettings.saved', { name: saved.name }));
      this.#changed(one.id);
    });
  }

  #archive() {
    const one = this.neighbourhood;
    if (!one) return;
    return this.attempt(async () => {
      try {
        await unwrap(
          api.POST('/api/neighbourhoods/{neighbourhoodId}/archive', { params: { path: { neighbourhoodId: one.id } } }),
        );
      } finally {
        this.confirming = false;
      }
      toast(t('neighbourhoodSettings.archived', { name: one.name }));
      this.#changed(one.id);
    });
  }
}
customElements.define('ontap-neighbourhood-settings', NeighbourhoodSettings);
