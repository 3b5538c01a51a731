// The champion's forms, each a small component: start a challenge, invite a household (a code and
// a link to share), invite whole streets to a challenge, form a team around a mentor.
import { css, html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import { field, formValues, selectField } from '../design/field.ts';
import { FormPage, FormProblem } from '../design/form-page.ts';
import { toast } from '../design/toasts.ts';
import { base, tokens } from '../design/tokens.ts';
import type { MessageKey } from '../i18n/en.ts';
import { addDays, localDate, longDate } from '../i18n/format.ts';
import { t, tn } from '../i18n/i18n.ts';
import type { Streets } from './champion.ts';

const TEMPLATES = ['friends_on_tap', 'personal_best', 'street_league', 'neighbourhood_wash'] as const;
type Template = (typeof TEMPLATES)[number];

const formStyles = [
  tokens,
  base,
  css`
    :host {
      display: block;
    }
    fieldset {
      border: 1px solid var(--line);
      border-radius: var(--radius);
      padding: 0.5rem 0.75rem;
      margin: 0 0 0.9rem;
    }
    legend {
      font-weight: 600;
      padding: 0 0.25rem;
    }
    code {
      font-size: 1.1rem;
      font-weight: 700;
    }
  `,
];

/** Next Monday in the reader's calendar: a sensible first day for a challenge. */
function nextMonday(): string {
  const today = localDate(Date.now(), Intl.DateTimeFormat().resolvedOptions().timeZone);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(today, 7 - weekday);
}

export class NewChallengeForm extends FormPage {
  static override properties = { ...FormPage.properties, neighbourhoodId: { type: String } };
  declare neighbourhoodId: string;
  static override styles = formStyles;

  constructor() {
    super();
    this.neighbourhoodId = '';
  }

  override render() {
    return html`<section class="card" aria-labelledby="new-title">
      <h2 id="new-title">${t('newChallenge.title')}</h2>
      ${this.summary()}
      <form @submit=${this.#submit} novalidate>
        ${selectField({
          name: 'template',
          label: t('newChallenge.template'),
          choices: TEMPLATES.map((id) => ({ value: id, label: t(`template.${id}` as MessageKey) })),
          problem: this.fieldProblem('template'),
        })}
        ${field({ name: 'name', label: t('newChallenge.name'), hint: t('newChallenge.nameHint'), maxlength: 80, problem: this.fieldProblem('name') })}
        ${field({ name: 'startsOn', label: t('newChallenge.startsOn'), type: 'date', value: nextMonday(), required: true, problem: this.fieldProblem('startsOn') })}
        ${field({ name: 'target', label: t('newChallenge.target'), hint: t('newChallenge.targetHint'), type: 'number', min: 1, max: 90, problem: this.fieldProblem('targetSaving') })}
        <p class="muted">${t('newChallenge.about')}</p>
        <div class="choice">
          <input type="checkbox" id="new-public" name="public" value="yes" />
          <label for="new-public">${t('newChallenge.public')}</label>
        </div>
        <p><button type="submit" ?disabled=${this.busy}>${t('newChallenge.submit')}</button></p>
      </form>
    </section>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = formValues(form);
    return this.attempt(
      async () => {
        const created = await unwrap(
          api.POST('/api/neighbourhoods/{neighbourhoodId}/challenges', {
            params: { path: { neighbourhoodId: this.neighbourhoodId } },
            body: {
              template: (values.template ?? 'friends_on_tap') as Template,
              startsOn: values.startsOn ?? '',
              public: values.public === 'yes',
              ...(values.name ? { name: values.name } : {}),
              ...(values.target ? { targetSaving: Number(values.target) / 100 } : {}),
            },
          }),
        );
        form.reset();
        toast(t('newChallenge.created', { name: created.name }));
        this.dispatchEvent(new CustomEvent('challenge-created', { detail: created.id, bubbles: true, composed: true }));
      },
      new Set(['targetSaving']),
    );
  }
}
customElements.define('ontap-new-challenge-form', NewChallengeForm);

export class InviteHouseholdForm extends FormPage {
  static override properties = {
    ...FormPage.properties,
    neighbourhoodId: { type: String },
    streets: { attribute: false },
    invitation: { state: true },
  };
  declare neighbourhoodId: string;
  declare streets: Streets;
  declare invitation: { code: string; link: string; expiresAt: string } | undefined;
  static override styles = formStyles;

  constructor() {
    super();
    this.neighbourhoodId = '';
    this.streets = [];
    this.invitation = undefined;
  }

  override render() {
    return html`<section class="card" aria-labelledby="invite-title">
      <h2 id="invite-title">${t('invite.title')}</h2>
      <p>${t('invite.body')}</p>
      ${this.summary()}
      <form @submit=${this.#submit} novalidate>
        ${selectField({
          name: 'streetId',
          label: t('invite.street'),
          choices: this.streets.map((street) => ({
            value: street.id,
            label: tn('invite.streetChoice', street.households, { name: street.name }),
          })),
          problem: this.fieldProblem('streetId'),
        })}
        <button type="submit" ?disabled=${this.busy}>${t('invite.submit')}</button>
      </form>
      ${
        this.invitation
          ? html`<div class="success" role="status">
            <p>${t('invite.code')} <code>${this.invitation.code}</code></p>
            <p><a href=${this.invitation.link}>${t('invite.link')}</a> · ${t('invite.until', { date: longDate(this.invitation.expiresAt.slice(0, 10)) })}</p>
          </div>`
          : nothing
      }
    </section>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const values = formValues(event.target as HTMLFormElement);
    return this.attempt(async () => {
      const invitation = await unwrap(
        api.POST('/api/neighbourhoods/{neighbourhoodId}/invitations', {
          params: { path: { neighbourhoodId: this.neighbourhoodId } },
          body: { role: 'household', ...(values.streetId ? { streetId: values.streetId } : {}) },
        }),
      );
      this.invitation = {
        ...invitation,
        link: `${location.origin}/signup.html?code=${encodeURIComponent(invitation.code)}`,
      };
    });
  }
}
customElements.define('ontap-invite-household-form', InviteHouseholdForm);

export class InviteStreetsForm extends FormPage {
  static override properties = { ...FormPage.properties, challengeId: { type: String }, streets: { attribute: false } };
  declare challengeId: string;
  declare streets: Streets;
  static override styles = formStyles;

  constructor() {
    super();
    this.challengeId = '';
    this.streets = [];
  }

  override render() {
    return html`${this.summary()}
      <form @submit=${this.#submit}>
        <fieldset>
          <legend>${t('inviteStreets.legend')}</legend>
          ${this.streets.map(
            (street) => html`<div class="choice">
              <input type="checkbox" id="street-${street.id}" name="streetIds" value=${street.id} />
              <label for="street-${street.id}">${tn('invite.streetChoice', street.households, { name: street.name })}</label>
            </div>`,
          )}
        </fieldset>
        <button type="submit" ?disabled=${this.busy}>${t('inviteStreets.submit')}</button>
        <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.#everyone}>${t('inviteStreets.everyone')}</button>
      </form>
      <p class="muted">${t('inviteStreets.lasting')}</p>`;
  }

  #everyone() {
    return this.#send({ everyone: true });
  }

  #send(body: { streetIds?: string[]; everyone?: boolean }, form?: HTMLFormElement) {
    return this.attempt(async () => {
      if (!body.everyone && (body.streetIds ?? []).length === 0) throw new FormProblem(t('inviteStreets.none'));
      const result = await unwrap(
        api.POST('/api/challenges/{challengeId}/invitations', { params: { path: { challengeId: this.challengeId } }, body }),
      );
      form?.reset();
      toast(tn('inviteStreets.done', result.invited));
      this.dispatchEvent(new CustomEvent('invited', { bubbles: true, composed: true }));
    });
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    return this.#send({ streetIds: new FormData(form).getAll('streetIds').map(String) }, form);
  }
}
customElements.define('ontap-invite-streets-form', InviteStreetsForm);

type TeamMember = { householdId: string; alias: string; street: string };
export type TeamListing =
  paths['/api/challenges/{challengeId}/teams']['get']['responses'][200]['content']['application/json'][number];

/**
 * Forms a team, or changes one (`team` given): its name, its members (the homes not in a team, and
 * the team's own) and its mentor, chosen among the members ticked.
 */
export class TeamForm extends FormPage {
  static override properties = {
    ...FormPage.properties,
    challengeId: { type: String },
    members: { attribute: false },
    team: { attribute: false },
    chosen: { state: true },
  };
  declare challengeId: string;
  /** Homes that may be put in this team: those in no team (and, when changing one, its own). */
  declare members: TeamMember[];
  declare team: TeamListing | null;
  declare chosen: ReadonlySet<string>;
  static override styles = formStyles;

  constructor() {
    super();
    this.challengeId = '';
    this.members = [];
    this.team = null;
    this.chosen = new Set();
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('team')) this.chosen = new Set(this.team?.members.map((member) => member.householdId) ?? []);
  }

  get #candidates(): TeamMember[] {
    const own = this.team?.members ?? [];
    return [...own, ...this.members.filter((member) => !own.some((one) => one.householdId === member.householdId))];
  }

  #tick(event: Event) {
    const box = event.target as HTMLInputElement;
    const chosen = new Set(this.chosen);
    if (box.checked) chosen.add(box.value);
    else chosen.delete(box.value);
    this.chosen = chosen;
  }

  override render() {
    const candidates = this.#candidates;
    if (candidates.length < 2) return html`<p>${t('team.tooFew')}</p>`;
    const id = this.team?.id ?? 'new';
    const mentors = candidates.filter((member) => this.chosen.has(member.householdId));
    return html`${this.summary()}
      <form @submit=${this.#submit} novalidate>
        ${field({
          name: 'name',
          label: t('team.name'),
          required: true,
          minlength: 2,
          maxlength: 60,
          value: this.team?.name ?? '',
          problem: this.fieldProblem('name'),
        })}
        <fieldset aria-describedby="team-members-hint-${id}">
          <legend>${t('team.members')}</legend>
          <p class="muted" id="team-members-hint-${id}">${this.fieldProblem('householdIds') ?? t('team.membersHint')}</p>
          ${candidates.map(
            (member) => html`<div class="choice">
              <input
                type="checkbox"
                id="member-${id}-${member.householdId}"
                name="householdIds"
                value=${member.householdId}
                .checked=${this.chosen.has(member.householdId)}
                @change=${this.#tick}
              />
              <label for="member-${id}-${member.householdId}">${t('team.member', { alias: member.alias, street: member.street })}</label>
            </div>`,
          )}
        </fieldset>
        ${
          mentors.length === 0
            ? html`<p class="muted">${t('team.mentorFirst')}</p>`
            : selectField({
                name: 'mentorHouseholdId',
                label: t('team.mentor'),
                hint: t('team.mentorHint'),
                choices: mentors.map((member) => ({ value: member.householdId, label: member.alias })),
                value: this.team?.mentor?.householdId ?? '',
                problem: this.fieldProblem('mentorHouseholdId'),
              })
        }
        <button type="submit" ?disabled=${this.busy}>${t(this.team ? 'team.change' : 'team.submit')}</button>
      </form>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const values = formValues(form);
    const body = {
      name: values.name ?? '',
      mentorHouseholdId: values.mentorHouseholdId ?? '',
      householdIds: data.getAll('householdIds').map(String),
    };
    return this.attempt(async () => {
      const challengeId = this.challengeId;
      if (this.team)
        await unwrap(
          api.PUT('/api/challenges/{challengeId}/teams/{teamId}', {
            params: { path: { challengeId, teamId: this.team.id } },
            body,
          }),
        );
      else await unwrap(api.POST('/api/challenges/{challengeId}/teams', { params: { path: { challengeId } }, body }));
      toast(t(this.team ? 'team.changed' : 'team.formed', { name: body.name }));
      this.dispatchEvent(new CustomEvent('team-formed', { bubbles: true, composed: true }));
    });
  }
}
customElements.define('ontap-team-form', TeamForm);

const DONE = { end: 'lifecycle.ended', cancel: 'lifecycle.cancelledNow', archive: 'lifecycle.archivedNow' } as const;

type ChallengeDetail = paths['/api/challenges/{challengeId}']['get']['responses'][200]['content']['application/json'];

/**
 * A challenge's life after it is started: change its name and target (and, before it starts, its
 * dates), cancel it before it starts, end it early, archive it once finished. The irreversible
 * steps sit behind a disclosure.
 */
export class ChallengeLifecycle extends FormPage {
  static override properties = { ...FormPage.properties, challenge: { attribute: false } };
  declare challenge: ChallengeDetail | undefined;
  static override styles = formStyles;

  constructor() {
    super();
    this.challenge = undefined;
  }

  override render() {
    const challenge = this.challenge;
    if (!challenge) return nothing;
    if (challenge.status === 'cancelled' || challenge.status === 'archived')
      return html`<p>${t(`lifecycle.${challenge.status}` as MessageKey)}</p>`;
    const before = challenge.status === 'upcoming';
    return html`${this.summary()}
      <details>
        <summary>${t('lifecycle.change')}</summary>
        <form @submit=${this.#change} novalidate>
          ${field({ name: 'name', label: t('lifecycle.name'), value: challenge.name, maxlength: 80, problem: this.fieldProblem('name') })}
          ${
            before
              ? html`${field({ name: 'startsOn', label: t('newChallenge.startsOn'), type: 'date', value: challenge.startsOn, problem: this.fieldProblem('startsOn') })}
                ${field({ name: 'endsOn', label: t('lifecycle.endsOn'), type: 'date', value: challenge.endsOn, problem: this.fieldProblem('endsOn') })}`
              : nothing
          }
          ${field({
            name: 'target',
            label: t('newChallenge.target'),
            hint: t('lifecycle.targetHint'),
            type: 'number',
            min: 1,
            max: 90,
            value: challenge.targetSaving === null ? '' : String(Math.round(challenge.targetSaving * 100)),
            problem: this.fieldProblem('targetSaving'),
          })}
          <button type="submit" ?disabled=${this.busy}>${t('lifecycle.save')}</button>
        </form>
      </details>
      ${
        challenge.status === 'finished'
          ? html`<p><button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.#step('archive')}>${t('lifecycle.archive')}</button></p>`
          : html`<details>
            <summary>${t(before ? 'lifecycle.cancelSummary' : 'lifecycle.endSummary')}</summary>
            <p>${t(before ? 'lifecycle.cancelBody' : 'lifecycle.endBody')}</p>
            <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.#step(before ? 'cancel' : 'end')}>
              ${t(before ? 'lifecycle.cancel' : 'lifecycle.end', { name: challenge.name })}
            </button>
          </details>`
      }`;
  }

  #change(event: SubmitEvent) {
    event.preventDefault();
    const challenge = this.challenge;
    if (!challenge) return;
    const values = formValues(event.target as HTMLFormElement);
    return this.attempt(
      async () => {
        const body = {
          ...(values.name && values.name !== challenge.name ? { name: values.name } : {}),
          ...(values.startsOn && values.startsOn !== challenge.startsOn ? { startsOn: values.startsOn } : {}),
          ...(values.endsOn && values.endsOn !== challenge.endsOn ? { endsOn: values.endsOn } : {}),
          targetSaving: values.target ? Number(values.target) / 100 : null,
        };
        await unwrap(api.PATCH('/api/challenges/{challengeId}', { params: { path: { challengeId: challenge.id } }, body }));
        toast(t('lifecycle.saved'));
        this.dispatchEvent(new CustomEvent('challenge-changed', { bubbles: true, composed: true }));
      },
      new Set(['targetSaving']),
    );
  }

  #step(step: 'end' | 'cancel' | 'archive') {
    const challenge = this.challenge;
    if (!challenge) return;
    return this.attempt(async () => {
      const path = { challengeId: challenge.id };
      if (step === 'end') await unwrap(api.POST('/api/challenges/{challengeId}/end', { params: { path }, body: {} }));
      else if (step === 'cancel') await unwrap(api.POST('/api/challenges/{challengeId}/cancel', { params: { path } }));
      else await unwrap(api.POST('/api/challenges/{challengeId}/archive', { params: { path } }));
      toast(t(DONE[step], { name: challenge.name }));
      this.dispatchEvent(new CustomEvent('challenge-changed', { bubbles: true, composed: true }));
    });
  }
}
customElements.define('ontap-challenge-lifecycle', ChallengeLifecycle);
