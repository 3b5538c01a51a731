// The household page's forms, each its own small component: connect a meter (its credentials
// shown once), who sees what (consent), and your data (download, erase).
import { css, html, nothing } from 'lit';
import { api, session, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import { field, formValues, selectField } from '../design/field.ts';
import { FormPage } from '../design/form-page.ts';
import { toast } from '../design/toasts.ts';
import { base, tokens } from '../design/tokens.ts';
import type { MessageKey } from '../i18n/en.ts';
import { longDate } from '../i18n/format.ts';
import { t } from '../i18n/i18n.ts';

type Registered = paths['/api/households/{householdId}/meters']['post']['responses'][201]['content']['application/json'];
type Consent = 'private' | 'challenge' | 'research';
const CONSENTS: readonly Consent[] = ['private', 'challenge', 'research'];

const formStyles = [
  tokens,
  base,
  css`
    :host {
      display: block;
    }
    dl {
      display: grid;
      grid-template-columns: minmax(6rem, auto) 1fr;
      gap: 0.3rem 0.75rem;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    code {
      font-size: 0.95rem;
    }
    fieldset {
      border: 0;
      padding: 0;
      margin: 0 0 0.75rem;
    }
    legend {
      font-weight: 600;
      margin-bottom: 0.4rem;
    }
    button.danger {
      background: var(--bad);
      border-color: var(--bad);
    }
  `,
];

export class MeterForm extends FormPage {
  static override properties = { ...FormPage.properties, householdId: { type: String }, created: { state: true } };
  declare householdId: string;
  declare created: Registered | undefined;
  static override styles = formStyles;

  constructor() {
    super();
    this.householdId = '';
    this.created = undefined;
  }

  override focus() {
    const details = this.renderRoot.querySelector('details');
    if (details) details.open = true;
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
  }

  override render() {
    return html`<details>
      <summary>${t('meters.connect')}</summary>
      <p>${t('meters.connectBody')}</p>
      ${this.summary()}
      <form @submit=${this.#submit} novalidate>
        ${field({ name: 'meterId', label: t('meters.name'), hint: t('meters.nameHint'), autocomplete: 'off', required: true, maxlength: 64, problem: this.fieldProblem('meterId') })}
        ${selectField({
          name: 'kind',
          label: t('meters.kind'),
          choices: (['water', 'electricity', 'gas'] as const).map((kind) => ({ value: kind, label: t(`kind.${kind}`) })),
          problem: this.fieldProblem('kind'),
        })}
        ${field({ name: 'clientId', label: t('meters.clientId'), hint: t('meters.clientIdHint'), autocomplete: 'off', maxlength: 128, problem: this.fieldProblem('clientId') })}
        <button type="submit" ?disabled=${this.busy}>${t('meters.submit')}</button>
      </form>
      ${
        this.created
          ? html`<div class="success" role="status" id="meter-credentials">
            <p>${t('meters.credentials')}</p>
            <dl>
              <dt>${t('meters.username')}</dt><dd><code id="meter-username">${this.created.mqtt.username}</code></dd>
              <dt>${t('meters.clientIdShown')}</dt><dd><code id="meter-client-id">${this.created.mqtt.clientId}</code></dd>
              <dt>${t('meters.password')}</dt><dd><code id="meter-password">${this.created.mqtt.password}</code></dd>
              <dt>${t('meters.topic')}</dt><dd><code id="meter-topic">${this.created.mqtt.topic}</code></dd>
            </dl>
          </div>`
          : nothing
      }
    </details>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = formValues(form);
    return this.attempt(async () => {
      this.created = await unwrap(
        api.POST('/api/households/{householdId}/meters', {
          params: { path: { householdId: this.householdId } },
          body: {
            meterId: values.meterId ?? '',
            kind: (values.kind ?? 'water') as 'water',
            ...(values.clientId ? { clientId: values.clientId } : {}),
          },
        }),
      );
      form.reset();
      this.dispatchEvent(new CustomEvent('meter-added', { bubbles: true, composed: true }));
    });
  }
}
customElements.define('ontap-meter-form', MeterForm);

export class ConsentForm extends FormPage {
  static override properties = { ...FormPage.properties, householdId: { type: String }, consent: { type: String } };
  declare householdId: string;
  declare consent: Consent;
  static override styles = formStyles;

  constructor() {
    super();
    this.householdId = '';
    this.consent = 'challenge';
  }

  override render() {
    return html`<section class="card" aria-labelledby="privacy-title">
      <h2 id="privacy-title">${t('consent.title')}</h2>
      ${this.summary()}
      <form @submit=${this.#submit}>
        <fieldset>
          <legend>${t('consent.legend')}</legend>
          ${CONSENTS.map(
            (level) => html`<div class="choice">
              <input type="radio" id="consent-${level}" name="consent" value=${level} ?checked=${level === this.consent} />
              <label for="consent-${level}">${t(`consent.${level}` as MessageKey)}</label>
            </div>`,
          )}
        </fieldset>
        <button type="submit" ?disabled=${this.busy}>${t('consent.save')}</button>
      </form>
    </section>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const consent = (formValues(event.target as HTMLFormElement).consent ?? this.consent) as Consent;
    return this.attempt(async () => {
      const saved = await unwrap(
        api.PUT('/api/households/{householdId}/consent', {
          params: { path: { householdId: this.householdId } },
          body: { consent },
        }),
      );
      this.consent = saved.consent;
      toast(t('consent.saved'));
    });
  }
}
customElements.define('ontap-consent-form', ConsentForm);

export class YourData extends FormPage {
  static override properties = { ...FormPage.properties, householdId: { type: String }, alias: { type: String } };
  declare householdId: string;
  declare alias: string;
  static override styles = formStyles;

  constructor() {
    super();
    this.householdId = '';
    this.alias = '';
  }

  override render() {
    const base = `/api/households/${encodeURIComponent(this.householdId)}/export`;
    return html`<section class="card" aria-labelledby="data-title">
      <h2 id="data-title">${t('data.title')}</h2>
      <p><a href=${base}>${t('data.json')}</a></p>
      <p><a href=${`${base}?format=csv`}>${t('data.csv')}</a></p>
      <details>
        <summary>${t('data.erase')}</summary>
        <p>${t('data.eraseBody')}</p>
        ${this.summary()}
        <form @submit=${this.#submit} novalidate>
          ${field({ name: 'confirm', label: t('data.confirm', { alias: this.alias }), autocomplete: 'off', required: true, problem: this.fieldProblem('confirm') })}
          <button type="submit" class="danger" ?disabled=${this.busy}>${t('data.eraseSubmit')}</button>
        </form>
      </details>
    </section>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const confirm = formValues(event.target as HTMLFormElement).confirm ?? '';
    return this.attempt(async () => {
      await unwrap(
        api.DELETE('/api/households/{householdId}', { params: { path: { householdId: this.householdId } }, body: { confirm } }),
      );
      session.forget();
      location.assign('/?erased=1');
    });
  }
}
customElements.define('ontap-your-data', YourData);

/** What the API accepts as a pledge (domain/pledges.ts, through the OpenAPI types). */
type ApiPledge = NonNullable<
  NonNullable<
    NonNullable<paths['/api/challenges/{challengeId}/membership']['post']['requestBody']>['content']['application/json']
  >['pledges']
>[number];

/** The pledges a household can take as it joins, in the order offered; each worded in the catalog. */
const PLEDGES = [
  'shorter_showers',
  'tap_off_brushing',
  'full_loads',
  'fix_drips',
  'water_butt',
  'garden_evening',
  'shower_timer',
  'no_prerinse',
] as const satisfies readonly ApiPledge[];
type Pledge = (typeof PLEDGES)[number];
// Every pledge the API knows is offered: a new one in domain/pledges.ts fails this line's typecheck.
const everyPledgeOffered: [Exclude<ApiPledge, Pledge>] extends [never] ? true : never = true;
void everyPledgeOffered;

type Invitations = paths['/api/households/{householdId}/invitations']['get']['responses'][200]['content']['application/json'];

/** The challenges the household is invited to: join in one step, choosing what it will try. */
export class ChallengeInvitations extends FormPage {
  static override properties = { ...FormPage.properties, householdId: { type: String }, invitations: { state: true } };
  declare householdId: string;
  declare invitations: Invitations;
  static override styles = formStyles;

  constructor() {
    super();
    this.householdId = '';
    this.invitations = [];
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  async load() {
    try {
      this.invitations = await unwrap(
        api.GET('/api/households/{householdId}/invitations', { params: { path: { householdId: this.householdId } } }),
      );
    } catch {
      // The card is an offer: without it, the page still shows the challenges joined.
      this.invitations = [];
    }
  }

  override render() {
    if (this.invitations.length === 0) return nothing;
    return html`<section class="card" aria-labelledby="invitations-title">
      <h2 id="invitations-title">${t('join.title')}</h2>
      ${this.summary()}
      ${this.invitations.map(
        (invitation) => html`<form @submit=${(event: SubmitEvent) => this.#join(event, invitation)}>
          <h3>${invitation.name}</h3>
          <p class="muted">${t('board.dates', { from: longDate(invitation.startsOn), to: longDate(invitation.endsOn) })}</p>
          <p>${t(`join.about.${invitation.scope}` as MessageKey)}</p>
          ${invitation.phase === 'finished' ? html`<p>${t('join.finished')}</p>` : nothing}
          <fieldset>
            <legend>${t('join.pledges')}</legend>
            ${PLEDGES.map(
              (pledge) => html`<div class="choice">
                <input type="checkbox" id="pledge-${invitation.challengeId}-${pledge}" name="pledges" value=${pledge} />
                <label for="pledge-${invitation.challengeId}-${pledge}">${t(`pledge.${pledge}` as MessageKey)}</label>
              </div>`,
            )}
          </fieldset>
          <button type="submit" ?disabled=${this.busy}>${t('join.submit', { name: invitation.name })}</button>
        </form>`,
      )}
    </section>`;
  }

  #join(event: SubmitEvent, invitation: Invitations[number]) {
    event.preventDefault();
    const pledges = new FormData(event.target as HTMLFormElement).getAll('pledges').map(String) as Pledge[];
    return this.attempt(async () => {
      await unwrap(
        api.POST('/api/challenges/{challengeId}/membership', {
          params: { path: { challengeId: invitation.challengeId } },
          body: { pledges },
        }),
      );
      toast(t('join.joined', { name: invitation.name }));
      await this.load();
      this.dispatchEvent(new CustomEvent('challenge-joined', { bubbles: true, composed: true }));
    });
  }
}
customElements.define('ontap-challenge-invitations', ChallengeInvitations);

/** Leaving a challenge: behind a disclosure, so it is never one stray tap. */
export class LeaveChallenge extends FormPage {
  static override properties = { ...FormPage.properties, challengeId: { type: String }, name: { type: String } };
  declare challengeId: string;
  declare name: string;
  static override styles = formStyles;

  constructor() {
    super();
    this.challengeId = '';
    this.name = '';
  }

  override render() {
    return html`<details>
      <summary>${t('leave.summary')}</summary>
      <p>${t('leave.body')}</p>
      ${this.summary()}
      <button type="button" class="danger" ?disabled=${this.busy} @click=${this.#leave}>${t('leave.submit', { name: this.name })}</button>
    </details>`;
  }

  #leave() {
    return this.attempt(async () => {
      await unwrap(
        api.DELETE('/api/challenges/{challengeId}/membership', { params: { path: { challengeId: this.challengeId } } }),
      );
      toast(t('leave.left', { name: this.name }));
      this.dispatchEvent(new CustomEvent('challenge-left', { bubbles: true, composed: true }));
    });
  }
}
customElements.define('ontap-leave-challenge', LeaveChallenge);
