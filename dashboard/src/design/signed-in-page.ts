// What every signed-in page shares: who is signed in (nobody: to the sign-in page, back here
// after), and, for an account of another kind, a short note with a link home instead of a page
// it cannot use. Nothing of the page is drawn before this is known.
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { ApiProblem, api, session, unwrap } from '../api/client.ts';
import { wordError } from '../i18n/errors.ts';
import { t } from '../i18n/i18n.ts';
import { homeOf, type Role } from './app-shell.ts';
import { type Load, loadState } from './load-state.ts';

const whoIsSignedIn = () => unwrap(api.GET('/api/auth/me'));
export type Me = Awaited<ReturnType<typeof whoIsSignedIn>>;

export abstract class SignedInPage extends LitElement {
  static override properties = { who: { state: true } };
  declare who: Load<Me>;
  /** The kinds of account this page is for. */
  protected abstract readonly roles: readonly Role[];

  constructor() {
    super();
    this.who = { state: 'loading' };
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.#signedIn();
  }

  async #signedIn() {
    try {
      const who = await whoIsSignedIn();
      session.remember(who.csrfToken);
      this.who = { state: 'ready', data: who };
      if (this.roles.includes(who.role as Role)) await this.start(who);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) {
        location.assign(`/?next=${encodeURIComponent(location.pathname + location.search)}`);
        return;
      }
      this.who = { state: 'error', message: wordError(error).summary };
    }
  }

  /** Loads the page's data once the account is known and may see it. */
  protected abstract start(who: Me): Promise<void> | void;

  /** The page for the account (only called when its kind may see it). */
  protected abstract page(who: Me): TemplateResult | typeof nothing;

  override render() {
    const role = this.who.state === 'ready' ? (this.who.data.role as Role) : undefined;
    return html`<ontap-app-shell account-role=${role ?? nothing}>
      ${loadState(this.who, (who) =>
        this.roles.includes(who.role as Role)
          ? this.page(who)
          : html`<section class="card">
              <h1>${t('wrongRole.title')}</h1>
              <p>${t('reason.wrong_role')}</p>
              <p><a href=${homeOf(who.role)}>${t('wrongRole.home')}</a></p>
            </section>`,
      )}
    </ontap-app-shell>`;
  }
}
