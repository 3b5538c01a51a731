// A household's own page: today so far (live) against the same hours of a usual day, its use by
// day, week, month or year against its own stable baseline and 110 L a person, the leak warning,
// its challenges with its own standing and its team's or street's rank, its meters, who sees
// what, and its data. Every figure comes from the API; the page only lays it out.
import '../page.css';
import '../design/app-shell.ts';
import '../design/chart.ts';
import './household-forms.ts';
import './household-leaks.ts';
import './mentor-view.ts';
import '../design/board-disclosure.ts';
import { css, html, nothing } from 'lit';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.ts';
import { announce, listen } from '../design/live.ts';
import { type Load, loadState } from '../design/load-state.ts';
import { type Me, SignedInPage } from '../design/signed-in-page.ts';
import { base, tokens } from '../design/tokens.ts';
import type { MessageKey } from '../i18n/en.ts';
import { wordError } from '../i18n/errors.ts';
import {
  addDays,
  amount,
  clockTime,
  type Kind,
  localDate,
  longDate,
  savingText,
  shortDate,
  toDisplay,
  unitOf,
  whenText,
} from '../i18n/format.ts';
import { formatNumber, t } from '../i18n/i18n.ts';

type Json<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } }
  ? T
  : never;
type Household = Json<'/api/households/{householdId}'>;
type Usage = Json<'/api/households/{householdId}/usage'>;
type Today = Json<'/api/households/{householdId}/today'>;
type Challenges = Json<'/api/households/{householdId}/challenges'>;
type Leak = Json<'/api/households/{householdId}/leak'>;

const KINDS: readonly Kind[] = ['water', 'electricity', 'gas'];
const PERIODS = ['day', 'week', 'month', 'year'] as const;
type Period = (typeof PERIODS)[number];
const COLOUR: Record<Kind, string> = { water: '#0b5ea8', electricity: '#8a4b00', gas: '#6b2c91' };

/** The first and last day of the period around `anchor`, and the granularity it is shown at. */
function periodWindow(period: Period, anchor: string): { from: string; to: string; granularity: 'hour' | 'day' | 'week' } {
  if (period === 'day') return { from: anchor, to: anchor, granularity: 'hour' };
  if (period === 'week') {
    const weekday = (new Date(`${anchor}T00:00:00Z`).getUTCDay() + 6) % 7;
    const monday = addDays(anchor, -weekday);
    return { from: monday, to: addDays(monday, 6), granularity: 'day' };
  }
  if (period === 'month') {
    const first = `${anchor.slice(0, 7)}-01`;
    const next = new Date(`${first}T00:00:00Z`);
    next.setUTCMonth(next.getUTCMonth() + 1);
    return { from: first, to: addDays(next.toISOString().slice(0, 10), -1), granularity: 'day' };
  }
  // A year by whole weeks (Monday to Sunday), so every bar is seven days against seven usual days.
  const monday = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
  const first = monday(`${anchor.slice(0, 4)}-01-01`);
  return { from: first, to: addDays(monday(`${anchor.slice(0, 4)}-12-31`), 6), granularity: 'week' };
}

/** How often the period's chart is refreshed, and a change said, while readings arrive. */
const QUIET_MS = 60_000;

/** The anchor one period earlier (-1) or later (+1). */
function shift(period: Period, anchor: string, step: -1 | 1): string {
  if (period === 'day') return addDays(anchor, step);
  if (period === 'week') return addDays(anchor, 7 * step);
  const date = new Date(`${anchor.slice(0, 7)}-01T00:00:00Z`);
  if (period === 'month') date.setUTCMonth(date.getUTCMonth() + step);
  else date.setUTCFullYear(date.getUTCFullYear() + step);
  return date.toISOString().slice(0, 10);
}

export class HouseholdPage extends SignedInPage {
  protected readonly roles = ['household'] as const;
  static override properties = {
    ...SignedInPage.properties,
    household: { state: true },
    usage: { state: true },
    today: { state: true },
    challenges: { state: true },
    leak: { state: true },
    kind: { state: true },
    period: { state: true },
    anchor: { state: true },
  };
  declare household: Load<Household>;
  declare usage: Load<Usage>;
  declare today: Today[];
  declare challenges: Load<Challenges>;
  declare leak: Leak | undefined;
  declare kind: Kind;
  declare period: Period;
  declare anchor: string;
  #stopListening: (() => void) | undefined;

  constructor() {
    super();
    this.household = { state: 'loading' };
    this.usage = { state: 'loading' };
    this.today = [];
    this.challenges = { state: 'loading' };
    this.leak = undefined;
    this.kind = 'water';
    this.period = 'week';
    this.anchor = '';
  }

  static override styles = [
    tokens,
    base,
    css`
      .figure {
        font-size: 2rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .tabs {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        margin: 0 0 0.75rem;
        padding: 0;
        border: 0;
      }
      .tabs button[aria-pressed='false'] {
        background: var(--paper);
        color: var(--brand);
      }
      .period {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        flex-wrap: wrap;
        margin-bottom: 0.5rem;
      }
      .period h3 {
        margin: 0;
        flex: 1 1 12rem;
        font-size: 1.05rem;
      }
      .good {
        color: var(--good);
        font-weight: 600;
      }
      .watch {
        color: var(--bad);
        font-weight: 600;
      }
      .leak {
        border-left: 0.35rem solid var(--bad);
        background: var(--bad-wash);
      }
      .challenge + .challenge {
        border-top: 1px solid var(--line);
        padding-top: 0.75rem;
      }
      ul.meters {
        padding-left: 1.1rem;
      }
    `,
  ];

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#stopListening?.();
  }

  protected async start(who: Me) {
    const id = who.householdId ?? '';
    try {
      const household = await unwrap(api.GET('/api/households/{householdId}', { params: { path: { householdId: id } } }));
      document.title = `${household.alias} – ${t('app.name')}`;
      this.kind = KINDS.find((kind) => household.meters.some((meter) => meter.kind === kind)) ?? 'water';
      this.anchor = localDate(Date.now(), household.timeZone);
      this.household = { state: 'ready', data: household };
    } catch (error) {
      this.household = { state: 'error', message: wordError(error).summary };
      return;
    }
    void this.#loadUsage();
    void this.#loadChallenges();
    void this.#loadLeak();
    this.#stopListening = listen(`/api/households/${encodeURIComponent(id)}/stream`, {
      today: (data) => this.#onToday((data as { kinds: Today[] }).kinds),
    });
  }

  /** The warning is an extra: without it the page still stands. */
  async #loadLeak() {
    this.leak = await unwrap(
      api.GET('/api/households/{householdId}/leak', { params: { path: { householdId: this.#id } } }),
    ).catch(() => undefined);
  }

  get #id(): string {
    return this.household.state === 'ready' ? this.household.data.id : '';
  }

  /** `quietly`: a live refresh keeps the chart shown until the new figures are in. */
  async #loadUsage(quietly = false) {
    const { from, to, granularity } = periodWindow(this.period, this.anchor);
    const asked = `${this.kind}|${from}|${granularity}`;
    if (!quietly) this.usage = { state: 'loading' };
    try {
      const usage = await unwrap(
        api.GET('/api/households/{householdId}/usage', {
          params: { path: { householdId: this.#id }, query: { kind: this.kind, granularity, from, to } },
        }),
      );
      // A slower answer for an earlier choice must not replace the one now asked for.
      const now = periodWindow(this.period, this.anchor);
      if (asked === `${this.kind}|${now.from}|${now.granularity}`) this.usage = { state: 'ready', data: usage };
    } catch (error) {
      if (!quietly) this.usage = { state: 'error', message: wordError(error).summary };
    }
  }

  async #loadChallenges() {
    try {
      const challenges = await unwrap(
        api.GET('/api/households/{householdId}/challenges', { params: { path: { householdId: this.#id } } }),
      );
      this.challenges = { state: 'ready', data: challenges };
    } catch (error) {
      this.challenges = { state: 'error', message: wordError(error).summary };
    }
  }

  /**
   * A live update: shown at once and highlighted. Said at most once a minute (a running tap moves
   * the figure every few seconds), and the period's chart refreshed as often, without blanking it.
   */
  #onToday(kinds: Today[]) {
    const before = this.today.find((one) => one.kind === this.kind);
    this.today = kinds;
    const after = kinds.find((one) => one.kind === this.kind);
    if (!before || !after || before.soFar === after.soFar) return;
    this.#changedToday = true;
    clearTimeout(this.#unhighlight);
    this.#unhighlight = setTimeout(() => {
      this.#changedToday = false;
      this.requestUpdate();
    }, 4000);
    const now = Date.now();
    if (now - this.#lastSaid < QUIET_MS) return;
    this.#lastSaid = now;
    announce(t('today.announce', { amount: amount(after.soFar, after.kind as Kind) }));
    // The viewed period holds today: its figures move too.
    const { from, to } = periodWindow(this.period, this.anchor);
    const day = this.household.state === 'ready' ? localDate(now, this.household.data.timeZone) : '';
    if (from <= day && day <= to) void this.#loadUsage(true);
  }
  #changedToday = false;
  #unhighlight: ReturnType<typeof setTimeout> | undefined;
  #lastSaid = 0;

  #choose(change: Partial<Pick<HouseholdPage, 'kind' | 'period' | 'anchor'>>) {
    Object.assign(this, change);
    void this.#loadUsage();
  }

  protected page() {
    return loadState(
      this.household,
      (household) => html`<h1>${t('home.title', { alias: household.alias })}</h1>
        <p><a href="/report.html">${t('home.report')}</a></p>
        ${this.#leakCard()} ${household.meters.length === 0 ? this.#firstMeter() : html`${this.#todayCard(household)} ${this.#useCard(household)}`}
        <ontap-challenge-invitations .householdId=${household.id} @challenge-joined=${() => void this.#loadChallenges()}></ontap-challenge-invitations>
        ${household.meters.some((meter) => meter.kind === 'water') ? html`<ontap-household-leaks .householdId=${household.id} .timeZone=${household.timeZone} @leak-marked=${() => void this.#loadLeak()}></ontap-household-leaks>` : nothing}
        ${this.#challengesCard()} ${this.#metersCard(household)}
        <ontap-consent-form .householdId=${household.id} .consent=${household.consent}></ontap-consent-form>
        <ontap-your-data .householdId=${household.id} .alias=${household.alias}></ontap-your-data>`,
    );
  }

  #leakCard() {
    // A leak the household says it expected (watering) needs no warning.
    if (!this.leak?.possibleLeak || this.leak.mark === 'expected') return nothing;
    return html`<section class="card leak" aria-labelledby="leak-title">
      <h2 id="leak-title">${t('leak.title')}</h2>
      <p>${t('leak.body', { hours: this.leak.hoursChecked })}</p>
      <ul>
        <li>${t('leak.toilet')}</li>
        <li>${t('leak.taps')}</li>
        <li>${t('leak.meter')}</li>
      </ul>
    </section>`;
  }

  #firstMeter() {
    return html`<section class="card" aria-labelledby="first-title">
      <h2 id="first-title">${t('home.noMeter.title')}</h2>
      <p>${t('home.noMeter.body')}</p>
      <ol>
        <li>${t('home.noMeter.step1')}</li>
        <li>${t('home.noMeter.step2')}</li>
        <li>${t('home.noMeter.step3')}</li>
      </ol>
      <p><a href="#meters-title" @click=${this.#toMeters}>${t('home.noMeter.link')}</a></p>
    </section>`;
  }

  #toMeters(event: Event) {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('ontap-meter-form')?.focus();
    this.renderRoot.querySelector('ontap-meter-form')?.scrollIntoView();
  }

  #todayCard(household: Household) {
    const today = this.today.find((one) => one.kind === this.kind);
    const kind = this.kind;
    let comparison: string | undefined;
    if (today && today.usualSoFar !== null && today.changeFromUsual !== null) {
      comparison = t(today.changeFromUsual >= 0 ? 'today.less' : 'today.more', {
        value: formatNumber(Math.abs(today.changeFromUsual) * 100, 0),
        usual: amount(today.usualSoFar, kind),
      });
    }
    return html`<section class="card" aria-labelledby="today-title">
      <h2 id="today-title">${t('today.title')}</h2>
      ${
        today
          ? html`<p>
              <span class="figure ${this.#changedToday ? 'changed' : ''}">${amount(today.soFar, kind)}</span>
              <span class="muted">${t('today.since', { time: clockTime(today.asOf, household.timeZone) })}</span>
            </p>
            <p class=${comparison && (today.changeFromUsual ?? -1) >= 0 ? 'good' : ''}>
              ${comparison ?? t('today.noUsual')}
            </p>
            <p class="muted">
              ${today.lastReadingAt ? t('today.lastReading', { when: whenText(today.lastReadingAt, household.timeZone) }) : t('today.noReading')}
            </p>`
          : html`<p class="muted" role="status">${t('state.loading')}</p>`
      }
    </section>`;
  }

  #useCard(household: Household) {
    const kinds = KINDS.filter((kind) => household.meters.some((meter) => meter.kind === kind));
    const { from, to } = periodWindow(this.period, this.anchor);
    const todayDate = localDate(Date.now(), household.timeZone);
    return html`<section class="card" aria-labelledby="use-title">
      <h2 id="use-title">${t('use.title')}</h2>
      ${
        kinds.length > 1
          ? html`<fieldset class="tabs">
            <legend class="visually-hidden">${t('use.kind')}</legend>
            ${kinds.map(
              (kind) =>
                html`<button type="button" aria-pressed=${kind === this.kind ? 'true' : 'false'} @click=${() => this.#choose({ kind })}>
                  ${t(`kind.${kind}` as MessageKey)}
                </button>`,
            )}
          </fieldset>`
          : nothing
      }
      <fieldset class="tabs">
        <legend class="visually-hidden">${t('use.period')}</legend>
        ${PERIODS.map(
          (period) =>
            html`<button type="button" aria-pressed=${period === this.period ? 'true' : 'false'} @click=${() => this.#choose({ period, anchor: todayDate })}>
              ${t(`period.${period}` as MessageKey)}
            </button>`,
        )}
      </fieldset>
      <div class="period">
        <button type="button" class="secondary" @click=${() => this.#choose({ anchor: shift(this.period, this.anchor, -1) })}>
          ${t('use.previous')}
        </button>
        <h3 aria-live="polite">${this.#periodName(from, to)}</h3>
        <button type="button" class="secondary" ?disabled=${to >= todayDate} @click=${() => this.#choose({ anchor: shift(this.period, this.anchor, 1) })}>
          ${t('use.next')}
        </button>
      </div>
      ${loadState(
        this.usage,
        (usage) => this.#usage(usage, household),
        () => void this.#loadUsage(),
      )}
    </section>`;
  }

  #periodName(from: string, to: string) {
    if (this.period === 'day') return longDate(from);
    if (this.period === 'month')
      return new Intl.DateTimeFormat(document.documentElement.lang || 'en', {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(Date.parse(`${from}T12:00:00Z`));
    if (this.period === 'year') return this.anchor.slice(0, 4);
    return t('use.weekOf', { from: shortDate(from), to: shortDate(to) });
  }

  #usage(usage: Usage, household: Household) {
    const kind = usage.kind as Kind;
    const now = Date.now();
    const points = usage.points.filter((point) => Date.parse(point.start) <= now);
    const total = points.reduce((sum, point) => sum + point.use, 0);
    const hourly = usage.granularity === 'hour';
    const weekly = usage.granularity === 'week';
    const labels = points.map((point) =>
      hourly
        ? clockTime(point.start, household.timeZone)
        : weekly
          ? t('use.weekFrom', { date: shortDate(point.date) })
          : shortDate(point.date),
    );
    const perBar = weekly ? 7 : 1;
    const references = hourly
      ? []
      : [
          ...(usage.baselinePerDay !== null
            ? [{ label: t('use.usualLine'), value: toDisplay(usage.baselinePerDay * perBar, kind), colour: '#15202b' }]
            : []),
          ...(usage.targetPerDay !== null
            ? [
                {
                  label: t('use.targetLine', { litres: usage.litresPerPersonPerDayTarget ?? 110 }),
                  value: usage.targetPerDay * perBar,
                  colour: '#1b6e3a',
                },
              ]
            : []),
        ];
    const name = t(hourly ? 'use.chartHours' : weekly ? 'use.chartWeeks' : 'use.chartDays', {
      kind: t(`kind.${kind}` as MessageKey).toLowerCase(),
    });
    return html`<p><span class="figure">${amount(total, kind)}</span> <span class="muted">${t('use.inPeriod')}</span></p>
      ${
        usage.litresPerPersonPerDay !== null && usage.litresPerPersonPerDayTarget !== null
          ? html`<p class=${usage.litresPerPersonPerDay <= usage.litresPerPersonPerDayTarget ? 'good' : ''}>
              ${t('use.perPerson', { litres: formatNumber(usage.litresPerPersonPerDay), target: usage.litresPerPersonPerDayTarget })}
            </p>`
          : nothing
      }
      <p class="muted">
        ${
          usage.baselinePerDay === null
            ? t('use.noUsual')
            : t(usage.baselineBasis === 'challenge' ? 'use.usualChallenge' : 'use.usualRecent', {
                amount: amount(usage.baselinePerDay, kind),
                from: shortDate(usage.baselineFrom),
                to: shortDate(usage.baselineTo),
                challenge: usage.baselineChallenge ?? '',
              })
        }
      </p>
      ${
        points.length === 0
          ? html`<p>${t('use.nothingYet')}</p>`
          : html`<ontap-chart
            type="bar"
            name=${name}
            unit=${unitOf(kind)}
            .digits=${kind === 'water' ? 0 : 2}
            .labels=${labels}
            .series=${[{ label: t('use.series', { kind: t(`kind.${kind}` as MessageKey) }), values: points.map((point) => toDisplay(point.use, kind)), colour: COLOUR[kind] }]}
            .references=${references}
          ></ontap-chart>`
      }`;
  }

  #challengesCard() {
    return html`<section class="card" aria-labelledby="challenges-title">
      <h2 id="challenges-title">${t('challenges.title')}</h2>
      ${loadState(
        this.challenges,
        (list) =>
          list.length === 0 ? html`<p>${t('challenges.none')}</p>` : html`${list.map((challenge) => this.#challenge(challenge))}`,
        () => void this.#loadChallenges(),
      )}
    </section>`;
  }

  #challenge(challenge: Challenges[number]) {
    const dates = t('board.dates', { from: longDate(challenge.startsOn), to: longDate(challenge.endsOn) });
    const cancelled = challenge.challengeStatus === 'cancelled';
    let standing: string;
    if (cancelled) standing = t('challenges.cancelled');
    else if (challenge.phase === 'upcoming') standing = t('challenges.upcoming', { date: longDate(challenge.startsOn) });
    else if (challenge.status === 'ranked' && challenge.saving !== null && challenge.saved !== null)
      standing = t(challenge.saving >= 0 ? 'challenges.saved' : 'challenges.usedMore', {
        saving: savingText(challenge.saving),
        amount: amount(Math.abs(challenge.saved), challenge.metric),
      });
    else standing = t(`challenges.status.${challenge.status}` as MessageKey);
    const whose = challenge.scope === 'households' ? 'you' : challenge.scope === 'teams' ? 'team' : 'street';
    return html`<div class="challenge">
      <h3>${challenge.name}</h3>
      <p class="muted">${dates}${challenge.phase === 'finished' ? ` · ${t('challenges.finished')}` : ''}</p>
      <p>${standing}</p>
      ${challenge.rank !== null ? html`<p>${t(`challenges.rank.${whose}` as MessageKey, { rank: challenge.rank, of: challenge.of })}</p>` : nothing}
      ${
        challenge.scope !== 'households' && challenge.householdRank !== null
          ? html`<p>${t('challenges.rank.home', { rank: challenge.householdRank, of: challenge.householdsRanked })}</p>`
          : nothing
      }
      ${
        challenge.targetSaving === null || cancelled
          ? nothing
          : html`<p>${t(challenge.targetReached === null ? 'board.target' : 'board.targetReached', {
              saving: savingText(challenge.targetSaving),
              reached: challenge.targetReached === null ? '' : savingText(challenge.targetReached),
            })}</p>`
      }
      ${
        challenge.team
          ? html`<p>${challenge.mentor ? t('challenges.teamMentor', { team: challenge.team, mentor: challenge.mentor }) : t('challenges.team', { team: challenge.team })}</p>`
          : nothing
      }
      ${
        cancelled || challenge.phase === 'upcoming'
          ? nothing
          : html`<ontap-board-disclosure .challengeId=${challenge.challengeId} .metric=${challenge.metric}></ontap-board-disclosure>`
      }
      ${
        challenge.mentoring && challenge.teamId && challenge.team
          ? html`<details class="mentoring">
              <summary>${t('challenges.mentoring', { team: challenge.team })}</summary>
              <ontap-mentor-view .challengeId=${challenge.challengeId} .teamId=${challenge.teamId}></ontap-mentor-view>
            </details>`
          : nothing
      }
      ${
        challenge.pledges.length > 0
          ? html`<p>${t('challenges.pledges', { pledges: challenge.pledges.map((pledge) => t(`pledge.${pledge}` as MessageKey)).join('; ') })}</p>`
          : nothing
      }
      ${
        challenge.phase === 'finished'
          ? nothing
          : html`<ontap-leave-challenge
            .challengeId=${challenge.challengeId}
            .name=${challenge.name}
            @challenge-left=${this.#afterLeaving}
          ></ontap-leave-challenge>`
      }
    </div>`;
  }

  async #afterLeaving() {
    await this.#loadChallenges();
    await this.renderRoot
      .querySelector<import('./household-forms.ts').ChallengeInvitations>('ontap-challenge-invitations')
      ?.load();
  }

  #metersCard(household: Household) {
    return html`<section class="card" aria-labelledby="meters-title">
      <h2 id="meters-title">${t('meters.title')}</h2>
      ${
        household.meters.length === 0
          ? html`<p class="muted">${t('meters.none')}</p>`
          : html`<ul class="meters">
            ${household.meters.map((meter) => html`<li>${this.#meterLine(meter, household.timeZone)}</li>`)}
          </ul>`
      }
      <ontap-meter-form .householdId=${household.id} @meter-added=${this.#meterAdded}></ontap-meter-form>
    </section>`;
  }

  #meterLine(meter: Household['meters'][number], timeZone: string) {
    const parts = [t(`kind.${meter.kind}` as MessageKey)];
    parts.push(
      meter.lastReadingAt ? t('meters.lastReading', { when: whenText(meter.lastReadingAt, timeZone) }) : t('meters.noReading'),
    );
    if (meter.status) {
      // When it said so: a meter that died without a last word would otherwise look online for ever.
      const when = whenText(meter.status.at, timeZone);
      parts.push(t(meter.status.online ? 'meters.online' : 'meters.offline', { when }));
      if (meter.status.battery !== null) parts.push(t('meters.battery', { percent: formatNumber(meter.status.battery) }));
    }
    return html`<strong>${meter.id}</strong> – ${parts.join(' · ')}`;
  }

  async #meterAdded() {
    if (this.household.state !== 'ready') return;
    const household = await unwrap(api.GET('/api/households/{householdId}', { params: { path: { householdId: this.#id } } }));
    this.household = { state: 'ready', data: household };
  }
}
customElements.define('ontap-household-page', HouseholdPage);
