// Open-data releases (issue 16, docs/open-data.md): a neighbourhood publishes, by an explicit
// decision under a licence, a Frictionless Data Package of daily aggregates. Its figures are the
// utility aggregates' (published-aggregates.ts): each day as published to utility partners, kept
// only where it still counts the same households today, so a release discloses nothing they could
// not see and nothing about a household that no longer consents. A release's files are stored as
// written and served unchanged; withdrawing one leaves a tombstone.
import { randomUUID } from 'node:crypto';
import { type MeterKind, meterKinds } from '../../devices/contract/units.ts';
import { dateRange, type LocalDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { neighbourhoodState, streetsOf } from '../../storage/metadata/repositories/neighbourhoods.ts';
import {
  insertRelease,
  type OpenDataFile,
  releaseFile,
  releaseFileNames,
  releaseOf,
  releasesOf,
  type StoredRelease,
  withdrawRelease,
} from '../../storage/metadata/repositories/open-data.ts';
import type { ApiSettings } from '../context.ts';
import { badRequest, conflict, HttpError, notFound } from '../http-errors.ts';
import type { Principal } from '../principal.ts';
import { type NewRelease, OPEN_DATA_MAX_DAYS, type ReleaseShown } from '../schemas/open-data.ts';
import { type AggregateRule, publishDay } from './aggregates.ts';
import type { DailyUse } from './daily-use.ts';
import { neighbourhoodArchived } from './neighbourhoods.ts';
import { FORMULA_START, type ReleaseDay, releasedDay, releaseFiles, showsAny } from './open-data-package.ts';
import { countedDays, publishedAggregates } from './published-aggregates.ts';

export interface OpenDataContext {
  db: Database;
  dailyUse: DailyUse;
  settings: Pick<ApiSettings, 'aggregateMinHouseholds' | 'aggregateMaxShare'>;
}

export const PUBLIC_OPEN_DATA_PATH = '/api/public/open-data';

const releaseUnknown = (neighbourhoodId: string, releaseId: string) =>
  notFound(`neighbourhood ${neighbourhoodId} has no open-data release ${releaseId}`, { reason: 'release_unknown' });

function shown(release: StoredRelease): ReleaseShown {
  return {
    id: String(release.number),
    neighbourhoodId: release.neighbourhoodId,
    title: release.title,
    licence: release.licence,
    from: release.from,
    to: release.to,
    publishedAt: release.publishedAt.toISOString(),
    datapackage: `${PUBLIC_OPEN_DATA_PATH}/${release.neighbourhoodId}/${release.number}/datapackage.json`,
    withdrawn:
      release.withdrawnAt && release.withdrawnReason !== null
        ? { at: release.withdrawnAt.toISOString(), reason: release.withdrawnReason }
        : null,
  };
}

/** Every day and kind of the span as a release may give it, and who could have been counted. */
async function releaseDays(
  { db, dailyUse }: OpenDataContext,
  neighbourhoodId: string,
  timeZone: string,
  kind: MeterKind,
  from: LocalDate,
  to: LocalDate,
  rule: AggregateRule,
): Promise<ReleaseDay[]> {
  // Publishes the days utility partners have not asked for yet, so both see the same figures.
  const published = await publishedAggregates(db, dailyUse, { neighbourhoodId, kind, from, to, timeZone, rule });
  const dates = dateRange(from, to);
  const counted = await countedDays(db, dailyUse, neighbourhoodId, kind, dates, timeZone);
  const streets = await streetsOf(db, neighbourhoodId);
  return published.map(({ date, figures }) => {
    const today = counted.get(date);
    return {
      date,
      kind,
      figures: releasedDay(figures, publishDay(streets, today?.uses ?? [], rule, kind)),
      consenting: today?.consenting ?? 0,
    };
  });
}

function checkSpan(from: LocalDate, to: LocalDate, lastSettled: LocalDate): void {
  if (to < from) throw badRequest('body.to: must not be before from', { reason: 'to_before_from', field: 'to', in: 'body' });
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > OPEN_DATA_MAX_DAYS)
    throw badRequest(`body: at most ${OPEN_DATA_MAX_DAYS} days`, { reason: 'span_too_long' });
  if (to > lastSettled)
    throw badRequest(`body.to: only settled days can be published; the last is ${lastSettled}`, {
      reason: 'days_not_settled',
      field: 'to',
      in: 'body',
    });
}

/**
 * Publishes a release: the caller's decision (confirmed by typing the neighbourhood's id) under
 * the licence chosen. 409 `nothing_to_publish` when no figure of the span passes the rules (a
 * release of empty cells would stay public for nothing), `street_name_formula` when a street's
 * name would run as a spreadsheet formula (rename it first), `neighbourhood_archived`.
 */
export async function publishRelease(
  context: OpenDataContext,
  principal: Principal | null,
  neighbourhoodId: string,
  request: NewRelease,
  now: number,
): Promise<ReleaseShown & { files: string[]; figures: { shown: number; withheld: number } }> {
  const { db, dailyUse, settings } = context;
  const neighbourhood = await neighbourhoodState(db, neighbourhoodId);
  if (!neighbourhood) throw notFound(`no neighbourhood ${neighbourhoodId}`, { reason: 'neighbourhood_unknown' });
  if (request.confirm !== neighbourhoodId)
    throw badRequest(`body.confirm: send the neighbourhood's id ("${neighbourhoodId}") to confirm publishing`, {
      reason: 'confirm_mismatch',
      field: 'confirm',
      in: 'body',
    });
  if (neighbourhood.archived) throw neighbourhoodArchived(neighbourhoodId);
  const { from, to } = request;
  checkSpan(from, to, dailyUse.lastSettledDate(neighbourhood.timeZone));

  const rule = { minHouseholds: settings.aggregateMinHouseholds, maxShare: settings.aggregateMaxShare };
  const days: ReleaseDay[] = [];
  for (const kind of meterKinds) {
    const ofKind = await releaseDays(context, neighbourhoodId, neighbourhood.timeZone, kind, from, to, rule);
    // A kind no day shows a figure of is left out: its rows would all be empty.
    if (ofKind.some((day) => showsAny(day.figures))) days.push(...ofKind);
  }
  if (days.length === 0)
    throw conflict(
      'no figure of these days passes the privacy rules (too few households consent to research, or too few have data): nothing to publish',
      { reason: 'nothing_to_publish' },
    );
  const formulas = [...new Set(days.flatMap((d) => d.figures.streets.map((s) => s.street)))].filter((name) =>
    FORMULA_START.test(name),
  );
  if (formulas.length > 0)
    throw conflict(
      `rename ${formulas.map((name) => `"${name}"`).join(', ')} first: a spreadsheet would run the name as a formula`,
      {
        reason: 'street_name_formula',
      },
    );

  const kinds = [...new Set(days.map((d) => d.kind))];
  const title = request.title ?? `${neighbourhood.name}: daily ${kinds.join(' and ')} use, ${from} to ${to}`;
  let files: OpenDataFile[] = [];
  const stored = await insertRelease(
    db,
    {
      neighbourhoodId,
      title,
      licence: request.licence,
      from,
      to,
      decidedBy: principal?.accountId ?? null,
      publishedAt: new Date(now),
    },
    (number) => {
      files = releaseFiles({
        neighbourhood: { id: neighbourhoodId, name: neighbourhood.name, timeZone: neighbourhood.timeZone },
        number,
        id: randomUUID(),
        title,
        licence: request.licence,
        from,
        to,
        created: new Date(now).toISOString(),
        rule,
        days,
      });
      return files;
    },
  );
  const cells = days.flatMap((d) => [d.figures.neighbourhood, ...d.figures.streets]);
  const withheld = cells.filter((figure) => figure.withheld !== null).length;
  return {
    ...shown(stored),
    files: files.map((f) => f.name),
    figures: { shown: cells.length - withheld, withheld },
  };
}

/** The neighbourhood's releases, withdrawn ones too; 404 when it has none (an id alone tells nothing). */
export async function publicReleases(db: Database, neighbourhoodId: string) {
  const releases = await releasesOf(db, neighbourhoodId);
  if (releases.length === 0)
    throw notFound(`neighbourhood ${neighbourhoodId} has published no open data`, { reason: 'no_releases' });
  return { neighbourhoodId, releases: releases.map(shown) };
}

/** 410 Gone, with the reason the release was withdrawn. */
const withdrawnRelease = (release: StoredRelease) =>
  new HttpError(
    410,
    'gone',
    `release ${release.number} of ${release.neighbourhoodId} was withdrawn on ${release.withdrawnAt?.toISOString().slice(0, 10)}: ${release.withdrawnReason}`,
    { reason: 'release_withdrawn' },
  );

/** A release's file as published: 404 for an unknown release or file, 410 once withdrawn. */
export async function publicReleaseFile(
  db: Database,
  neighbourhoodId: string,
  releaseId: string,
  name: string,
): Promise<OpenDataFile> {
  const release = await releaseOf(db, neighbourhoodId, Number(releaseId));
  if (!release) throw releaseUnknown(neighbourhoodId, releaseId);
  if (release.withdrawnAt) throw withdrawnRelease(release);
  const file = await releaseFile(db, neighbourhoodId, release.number, name);
  if (!file) {
    const names = await releaseFileNames(db, neighbourhoodId, release.number);
    throw notFound(`release ${releaseId} has no file ${name}: it has ${names.join(', ')}`, { reason: 'file_unknown' });
  }
  return file;
}

/** Withdraws a release (its files deleted, the tombstone kept); withdrawing it again changes nothing. */
export async function withdraw(
  db: Database,
  neighbourhoodId: string,
  releaseId: string,
  reason: string,
  now: number,
): Promise<ReleaseShown> {
  const number = Number(releaseId);
  if (!(await releaseOf(db, neighbourhoodId, number))) throw releaseUnknown(neighbourhoodId, releaseId);
  await withdrawRelease(db, neighbourhoodId, number, { reason, at: new Date(now) });
  return shown((await releaseOf(db, neighbourhoodId, number)) as StoredRelease);
}
