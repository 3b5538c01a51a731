// A household's monthly water report (issue 15, docs/home-report.md): the month's days and hours
// from the readings, its usual use as its own page makes it, the similar homes' figures, and its
// pledges; the arithmetic, the cue and the tips are domain/home-report.ts's.

import {
  homeReport,
  type Month,
  monthBounds,
  monthOf,
  type ReportWindow,
  reportWindow,
  useOver,
} from '../../domain/home-report.ts';
import type { HouseholdProfile } from '../../domain/people.ts';
import { knownPledges } from '../../domain/pledges.ts';
import type { DayUse } from '../../domain/scoring.ts';
import { TARGET_LITRES_PER_PERSON_PER_DAY } from '../../domain/scoring.ts';
import { localDate, localDayBounds, startOfLocalDay } from '../../lib/time.ts';
import { pledgesDuring } from '../../storage/metadata/repositories/memberships.ts';
import { metersOf } from '../../storage/metadata/repositories/meters.ts';
import type { ApiContext } from '../context.ts';
import { badRequest, notFound } from '../http-errors.ts';
import type { HomeReportBody } from '../schemas/reports.ts';
import { researchThroughout } from './aggregates.ts';
import { householdBaseline } from './household-usage.ts';
import { researchHouseholdsWithHistory } from './published-aggregates.ts';

type ReportServices = Pick<ApiContext, 'db' | 'store' | 'dailyUse' | 'usualDays' | 'settings'>;

/**
 * The report of `month` (YYYY-MM, checked by the route's schema): only the current month or one
 * before it, and not one before the household's first water reading (400 month_in_future, 404
 * no_readings or before_first_reading).
 */
export async function householdReport(
  services: ReportServices,
  household: HouseholdProfile,
  month: Month,
  now: number,
): Promise<HomeReportBody> {
  const { db, store, dailyUse, settings } = services;
  const { timeZone } = household;
  const today = localDate(now, timeZone);
  const currentMonth = monthOf(today);
  if (month > currentMonth)
    throw badRequest(`params.month: ${month} has not begun (it is ${currentMonth})`, {
      reason: 'month_in_future',
      field: 'month',
      in: 'params',
    });
  const water = (await metersOf(db, household.id)).filter((meter) => meter.kind === 'water').map((meter) => meter.id);
  const firsts = [...(await store.firstReadings(water)).values()].map((point) => point.ts);
  if (firsts.length === 0) throw notFound('the household has no water reading yet', { reason: 'no_readings' });
  const dataFrom = localDate(Math.min(...firsts), timeZone);
  const firstMonth = monthOf(dataFrom);
  if (month < firstMonth)
    throw notFound(`the household's water readings start in ${firstMonth}`, { reason: 'before_first_reading' });

  const window = reportWindow(month, today, dataFrom);
  const counted = window.to >= window.from;
  const [neighbours, hours, { period, usual }, pledges] = await Promise.all([
    counted
      ? dailyUse.byHousehold(household.neighbourhoodId, 'water', window.from, window.to, timeZone)
      : new Map<string, DayUse[]>(),
    counted
      ? store.totals({
          kind: 'water',
          scope: { household: household.id },
          from: window.from,
          to: window.to,
          timeZone,
          granularity: 'hour',
          groupBy: 'household',
        })
      : [],
    // The usual use of the month's first day, as the household's page showed it then.
    householdBaseline(services, household, 'water', startOfLocalDay(monthBounds(month).from, timeZone)),
    pledgesDuring(db, household.id, monthBounds(month).from, monthBounds(month).to),
  ]);
  const report = homeReport({
    month,
    window,
    timeZone,
    occupants: household.occupants,
    days: neighbours.get(household.id) ?? [],
    hours: hours.map(({ date, start, use }) => ({ date, start, use })),
    baselinePerDay: usual.perDay,
    similarHomes: counted ? await similarHomes(services, household, window, neighbours) : [],
    minSimilarHomes: settings.aggregateMinHouseholds,
    pledged: pledges.flatMap((taken) => knownPledges(taken.pledges)),
  });
  return {
    month,
    alias: household.alias,
    occupants: household.occupants,
    timeZone,
    firstMonth,
    currentMonth,
    from: window.from,
    to: window.to,
    complete: window.complete,
    days: report.days,
    daysWithData: report.daysWithData,
    litresPerDay: report.litresPerDay,
    litresPerPersonPerDay: report.litresPerPersonPerDay,
    litresPerPersonPerDayTarget: TARGET_LITRES_PER_PERSON_PER_DAY,
    baseline: {
      from: period.from,
      to: period.to,
      basis: period.basis,
      challenge: period.challenge,
      litresPerDay: usual.perDay === null ? null : Math.round(usual.perDay),
      change: report.changeFromBaseline,
    },
    similarHomes: {
      occupants: household.occupants,
      minimumHomes: settings.aggregateMinHouseholds,
      ...(report.similarHomes.shown
        ? { shown: true, typical: report.similarHomes.typical, efficient: report.similarHomes.efficient }
        : { shown: false, typical: null, efficient: null }),
    },
    cue: report.cue,
    pledges: pledges
      .map((taken) => ({ challenge: taken.challenge, pledges: knownPledges(taken.pledges) }))
      .filter((taken) => taken.pledges.length > 0),
    pattern: report.pattern,
    tips: report.tips,
  };
}

/**
 * Litres a day over the window of each similar home: in the same neighbourhood with as many people,
 * consenting to research throughout the window and still (as utility aggregates count homes:
 * private and challenge-only homes never are), not the household itself, and with a figure (data
 * on 70% of the days).
 */
async function similarHomes(
  { db }: ReportServices,
  household: HouseholdProfile,
  window: ReportWindow,
  days: ReadonlyMap<string, DayUse[]>,
): Promise<number[]> {
  const { households, history } = await researchHouseholdsWithHistory(db, household.neighbourhoodId);
  const start = localDayBounds(window.from, household.timeZone)[0];
  const end = localDayBounds(window.to, household.timeZone)[1];
  return households.flatMap((home) => {
    if (home.id === household.id || home.occupants !== household.occupants) return [];
    if (!researchThroughout(history.get(home.id) ?? [], home.consent, start, end)) return [];
    const use = useOver(days.get(home.id) ?? [], window);
    return use.status === 'rated' ? [use.baseline] : [];
  });
}
