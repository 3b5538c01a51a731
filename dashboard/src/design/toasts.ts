// Toasts: short notes that something happened ("Team formed."). They are announced politely,
// clear themselves after a while, and a new one replaces any earlier error, so an old red message
// never stands beside a later success.
import { css, html, LitElement } from 'lit';
import { t } from '../i18n/i18n.ts';
import { base, tokens } from './tokens.ts';

type ToastKind = 'success' | 'error' | 'info';
interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

const SHOWN_MS = 6000;
let nextId = 1;

export class Toasts extends LitElement {
  static override properties = { toasts: { state: true } };
  declare toasts: Toast[];

  constructor() {
    super();
    this.toasts = [];
  }

  static override styles = [
    tokens,
    base,
    css`
      :host {
        position: fixed;
        inset: auto 1rem 1rem auto;
        z-index: 20;
        display: grid;
        gap: 0.5rem;
        max-width: min(24rem, calc(100vw - 2rem));
      }
      .toast {
        display: flex;
        gap: 0.75rem;
        align-items: start;
        padding: 0.75rem 1rem;
        border-radius: var(--radius);
        background: var(--ink);
        color: #fff;
        box-shadow: 0 2px 8px rgb(0 0 0 / 25%);
      }
      .toast.success {
        background: var(--good);
      }
      .toast.error {
        background: var(--bad);
      }
      .toast p {
        margin: 0;
        flex: 1;
      }
      .toast button {
        min-height: 2rem;
        padding: 0 0.6rem;
        background: transparent;
        border-color: #fff;
      }
    `,
  ];

  show(text: string, kind: ToastKind = 'success') {
    const toast = { id: nextId++, kind, text };
    // A new message makes earlier errors stale.
    this.toasts = [...this.toasts.filter((shown) => shown.kind !== 'error'), toast];
    setTimeout(() => this.dismiss(toast.id), kind === 'error' ? SHOWN_MS * 2 : SHOWN_MS);
  }

  dismiss(id: number) {
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
  }

  override render() {
    return html`<div role="status" aria-live="polite">
      ${this.toasts.map(
        (toast) => html`<div class="toast ${toast.kind}">
          <p>${toast.text}</p>
          <button type="button" aria-label=${t('toast.close')} @click=${() => this.dismiss(toast.id)}>×</button>
        </div>`,
      )}
    </div>`;
  }
}
customElements.define('ontap-toasts', Toasts);

/** Shows a toast in the page's toast region (one per page, made on first use). */
export function toast(text: string, kind: ToastKind = 'success') {
  let region = document.querySelector<Toasts>('ontap-toasts');
  if (!region) {
    region = document.createElement('ontap-toasts') as Toasts;
    document.body.append(region);
  }
  region.show(text, kind);
}
