// The start page: sign in, then go to your role's page (or to `?next=`, when it is a page of this site).
import '../page.css';
import '../design/app-shell.ts';
import { html } from 'lit';
import { api, session, unwrap } from '../api/client.ts';
import { homeOf } from '../design/app-shell.ts';
import { field, formValues } from '../design/field.ts';
import { FormPage } from '../design/form-page.ts';
import { base, tokens } from '../design/tokens.ts';
import { t } from '../i18n/i18n.ts';
import { safeNext } from '../next.ts';

export class SignInPage extends FormPage {
  static override styles = [tokens, base];

  override connectedCallback() {
    super.connectedCallback();
    document.title = `${t('signin.title')} – ${t('app.name')}`;
  }

  override render() {
    return html`<ontap-app-shell>
      <section class="card">
        <h1>${t('signin.title')}</h1>
        ${this.summary()}
        <form @submit=${this.#submit} novalidate>
          ${field({ name: 'email', label: t('signin.email'), type: 'email', autocomplete: 'username', required: true, problem: this.fieldProblem('email') })}
          ${field({ name: 'password', label: t('signin.password'), type: 'password', autocomplete: 'current-password', required: true, problem: this.fieldProblem('password') })}
          <button type="submit" ?disabled=${this.busy}>${t('signin.submit')}</button>
        </form>
      </section>
      <section class="card">
        <h2>${t('signin.new.title')}</h2>
        <p>${t('signin.new.body')} <a href="/signup.html">${t('signin.new.link')}</a>.</p>
        <p class="muted">${t('signin.setup.body')} <a href="/signup.html?setup=1">${t('signin.setup.link')}</a>.</p>
      </section>
    </ontap-app-shell>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const values = formValues(event.target as HTMLFormElement);
    return this.attempt(async () => {
      const who = await unwrap(
        api.POST('/api/auth/login', { body: { email: values.email ?? '', password: values.password ?? '' } }),
      );
      session.remember(who.csrfToken);
      const next = safeNext(new URLSearchParams(location.search).get('next'), location.origin);
      location.assign(next ?? homeOf(who.role));
    });
  }
}
customElements.define('ontap-sign-in-page', SignInPage);
