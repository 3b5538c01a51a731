// Join with an invitation code (a household names itself for leaderboards and says how many live
// there), or, with `?setup=1`, the first-run set-up of the admin account.
import '../page.css';
import '../design/app-shell.ts';
import { html, nothing } from 'lit';
import { api, session, unwrap } from '../api/client.ts';
import { homeOf } from '../design/app-shell.ts';
import { field, formValues } from '../design/field.ts';
import { FormPage } from '../design/form-page.ts';
import { base, tokens } from '../design/tokens.ts';
import { t } from '../i18n/i18n.ts';

const NUMERIC = new Set(['occupants']);

export class SignUpPage extends FormPage {
  static override styles = [tokens, base];
  readonly #params = new URLSearchParams(location.search);
  readonly #setup = this.#params.has('setup');

  override connectedCallback() {
    super.connectedCallback();
    document.title = `${t(this.#setup ? 'signup.setupTitle' : 'signup.title')} – ${t('app.name')}`;
  }

  override render() {
    return html`<ontap-app-shell>
      <section class="card">
        <h1>${t(this.#setup ? 'signup.setupTitle' : 'signup.title')}</h1>
        ${this.#setup || this.#params.get('code') ? nothing : html`<p class="muted">${t('signup.noCode')}</p>`}
        ${this.summary()}
        <form @submit=${this.#submit} novalidate>
          ${field({ name: 'code', label: t('signup.code'), value: this.#params.get('code') ?? '', autocomplete: 'off', required: true, problem: this.fieldProblem('code') })}
          ${field({ name: 'email', label: t('signup.email'), type: 'email', autocomplete: 'username', required: true, problem: this.fieldProblem('email') })}
          ${field({ name: 'password', label: t('signup.password'), type: 'password', hint: t('signup.passwordHint'), autocomplete: 'new-password', required: true, problem: this.fieldProblem('password') })}
          ${
            this.#setup
              ? nothing
              : html`${field({ name: 'alias', label: t('signup.alias'), hint: t('signup.aliasHint'), problem: this.fieldProblem('alias') })}
              ${field({ name: 'occupants', label: t('signup.occupants'), type: 'number', value: '2', min: 1, max: 20, hint: t('signup.occupantsHint'), problem: this.fieldProblem('occupants') })}`
          }
          <button type="submit" ?disabled=${this.busy}>${t('signup.submit')}</button>
        </form>
        <p class="muted">${t('signup.haveAccount')} <a href="/">${t('app.signIn')}</a>.</p>
      </section>
    </ontap-app-shell>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const values = formValues(event.target as HTMLFormElement);
    return this.attempt(async () => {
      const body = {
        code: values.code ?? '',
        email: values.email ?? '',
        password: values.password ?? '',
        // A household names itself; the admin's set-up sends neither.
        ...(!this.#setup && values.alias ? { alias: values.alias, occupants: Number(values.occupants) } : {}),
      };
      const who = await unwrap(api.POST('/api/auth/signup', { body }));
      session.remember(who.csrfToken);
      location.assign(homeOf(who.role));
    }, NUMERIC);
  }
}
customElements.define('ontap-sign-up-page', SignUpPage);
