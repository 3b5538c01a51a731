// <ontap-app-shell>: every page's frame. A skip link, the header with OnTap's name, navigation
// that marks where you are (aria-current), a sign-out button that reads clearly, and <main>.
import { css, html, LitElement, nothing } from 'lit';
import { api, session } from '../api/client.ts';
import type { MessageKey } from '../i18n/en.ts';
import { t } from '../i18n/i18n.ts';
import { ANNOUNCE_EVENT } from './live.ts';
import { base, tokens } from './tokens.ts';
import './toasts.ts';

export type Role = 'household' | 'champion' | 'utility' | 'admin';

/** Each role's pages, in the order the navigation shows them. */
const DOCS = { href: '/docs', label: 'nav.docs' } as const;
const NAV: Record<Role, { href: string; label: MessageKey }[]> = {
  household: [{ href: '/household.html', label: 'nav.household' }, DOCS],
  champion: [{ href: '/champion.html', label: 'nav.champion' }, DOCS],
  utility: [{ href: '/utility.html', label: 'nav.utility' }, DOCS],
  admin: [{ href: '/admin.html', label: 'nav.admin' }, DOCS],
};

export const homeOf = (role: string | undefined): string => NAV[role as Role]?.[0]?.href ?? '/';

export class AppShell extends LitElement {
  static override properties = {
    accountRole: { type: String, attribute: 'account-role' },
    current: { type: String },
    announcement: { state: true },
  };
  /** What the live region says (announce() in ./live.ts sets it). */
  declare announcement: string;
  /** Whose pages the navigation offers (nobody signed in: none). */
  declare accountRole: Role | undefined;
  /** The path of the page shown, to mark in the navigation. */
  declare current: string;

  constructor() {
    super();
    this.accountRole = undefined;
    this.current = location.pathname;
    this.announcement = '';
  }

  readonly #hear = (event: Event) => {
    this.announcement = (event as CustomEvent<string>).detail;
  };

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener(ANNOUNCE_EVENT, this.#hear);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener(ANNOUNCE_EVENT, this.#hear);
  }

  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--wash);
      }
      .skip {
        position: absolute;
        left: -999px;
      }
      .skip:focus {
        left: 0.5rem;
        top: 0.5rem;
        background: var(--paper);
        padding: 0.5rem;
        z-index: 10;
      }
      header {
        background: var(--brand);
        color: #fff;
      }
      .bar {
        max-width: 64rem;
        margin: 0 auto;
        padding: 0.6rem 1rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1.25rem;
      }
      .brand {
        font-size: 1.25rem;
        font-weight: 700;
        color: #fff;
        text-decoration: none;
        margin-right: auto;
      }
      nav ul {
        list-style: none;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        margin: 0;
        padding: 0;
      }
      nav a {
        color: #fff;
        text-decoration: none;
        padding: 0.25rem 0;
        border-bottom: 3px solid transparent;
      }
      nav a[aria-current='page'] {
        border-bottom-color: #fff;
        font-weight: 700;
      }
      .sign-out {
        background: #fff;
        color: var(--brand);
        border-color: #fff;
        min-height: 2.25rem;
        padding: 0.25rem 0.9rem;
      }
      .sign-out:hover {
        background: var(--wash);
        color: var(--brand-dark);
        border-color: var(--wash);
      }
      main {
        max-width: 64rem;
        margin: 0 auto;
        padding: 1rem;
      }
      main:focus {
        outline: none;
      }
      @media (max-width: 30rem) {
        main {
          padding: 0.5rem;
        }
      }
      /* On paper only the page's own content: no skip link, header or navigation. */
      @media print {
        :host {
          min-height: 0;
          background: none;
        }
        .skip,
        header {
          display: none;
        }
        main {
          max-width: none;
          padding: 0;
        }
      }
    `,
  ];

  override render() {
    const links = this.accountRole ? NAV[this.accountRole] : [];
    return html`
      <a class="skip" href="#main" @click=${this.#skip}>${t('app.skip')}</a>
      <header>
        <div class="bar">
          <a class="brand" href=${homeOf(this.accountRole)}>${t('app.name')}</a>
          ${
            links.length > 0
              ? html`<nav aria-label=${t('nav.label')}>
                <ul>
                  ${links.map(
                    (link) =>
                      html`<li>
                        <a href=${link.href} aria-current=${this.current === link.href ? 'page' : 'false'}>${t(link.label)}</a>
                      </li>`,
                  )}
                </ul>
              </nav>`
              : nothing
          }
          ${this.accountRole ? html`<button type="button" class="sign-out" @click=${this.#signOut}>${t('app.signOut')}</button>` : nothing}
        </div>
      </header>
      <main id="main" tabindex="-1"><slot></slot></main>
      <div class="visually-hidden announcer" role="status" aria-live="polite">${this.announcement}</div>
    `;
  }

  // The skip link's target is in this shadow root, where a #fragment does not reach.
  #skip(event: Event) {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  async #signOut() {
    try {
      await api.POST('/api/auth/logout');
    } finally {
      session.forget();
      location.assign('/');
    }
  }
}
customElements.define('ontap-app-shell', AppShell);
