// <ontap-board-disclosure>: a challenge's boards behind "See the leaderboard", for a member's own
// page. The live board (and its event stream: an account may hold only a few) exists only while
// the disclosure is open.
import { html, LitElement, nothing } from 'lit';
import type { Kind } from '../i18n/format.ts';
import { t } from '../i18n/i18n.ts';
import { base, tokens } from './tokens.ts';
import './live-board.ts';

export class BoardDisclosure extends LitElement {
  static override properties = { challengeId: { type: String }, metric: { type: String }, open: { state: true } };
  declare challengeId: string;
  declare metric: Kind;
  declare open: boolean;
  static override styles = [tokens, base];

  constructor() {
    super();
    this.challengeId = '';
    this.metric = 'water';
    this.open = false;
  }

  override render() {
    return html`<details @toggle=${(event: Event) => (this.open = (event.target as HTMLDetailsElement).open)}>
      <summary>${t('challenges.seeBoard')}</summary>
      ${this.open ? html`<ontap-live-board .challengeId=${this.challengeId} .metric=${this.metric}></ontap-live-board>` : nothing}
    </details>`;
  }
}
customElements.define('ontap-board-disclosure', BoardDisclosure);
