// What a page shows before its data is there, when there is none yet, and when it could not be
// loaded (with a way to try again): never a blank box, never an error in the API's words.
import { html, nothing, type TemplateResult } from 'lit';
import { t } from '../i18n/i18n.ts';

export type Load<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; data: T };

export function loadState<T>(
  load: Load<T>,
  ready: (data: T) => TemplateResult | typeof nothing,
  retry?: () => void,
): TemplateResult | typeof nothing {
  switch (load.state) {
    case 'loading':
      return html`<p class="muted" role="status">${t('state.loading')}</p>`;
    case 'error':
      return html`<div class="alert" role="alert">
        <p>${load.message}</p>
        ${retry ? html`<button type="button" class="secondary" @click=${retry}>${t('state.retry')}</button>` : nothing}
      </div>`;
    case 'ready':
      return ready(load.data);
  }
}
