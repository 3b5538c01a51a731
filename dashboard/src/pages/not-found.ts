// The page for an address that is not one of ours (the server answers 404 with it).
import '../page.css';
import '../design/app-shell.ts';
import { html, LitElement } from 'lit';
import { base, tokens } from '../design/tokens.ts';
import { t } from '../i18n/i18n.ts';

export class NotFoundPage extends LitElement {
  static override styles = [tokens, base];

  override connectedCallback() {
    super.connectedCallback();
    document.title = `${t('notFound.title')} – ${t('app.name')}`;
  }

  override render() {
    return html`<ontap-app-shell>
      <section class="card">
        <h1>${t('notFound.title')}</h1>
        <p>${t('notFound.body')}</p>
        <p><a class="button" href="/">${t('notFound.home')}</a></p>
      </section>
    </ontap-app-shell>`;
  }
}
customElements.define('ontap-not-found-page', NotFoundPage);
