// An open-data release as files: a Frictionless Data Package (Data Package v2.0,
// https://datapackage.org/standard/data-package/) whose resources are CSV files described by Table
// Schemas. Pure: open-data.ts decides the figures (the utility aggregates' rules) and stores what
// this writes. A withheld figure is an empty cell (the schema's missingValues) with its reason in
// `withheld_reason`, so a reader can tell it from a number.
import { createHash } from 'node:crypto';
import type { MeterKind } from '../../devices/contract/units.ts';
import { type CsvValue, csvText } from '../../lib/csv.ts';
import type { LocalDate } from '../../lib/time.ts';
import type { OpenDataFile } from '../../storage/metadata/repositories/open-data.ts';
import { type AggregateRule, type DayFigures, type Figure, withheldReasonOf } from './aggregates.ts';

export const CHANGED_SINCE_PUBLISHED =
  'withheld because a figure of this day published before now differs from the same figure counted today';

/**
 * The day as a release may give it: the figures published to utility partners when every one of
 * them it shows is still what counting that day today gives (so each shown number covers only
 * households that consent to research today, and says nothing a utility partner did not see), else
 * none at all. Withholding the whole day rather than the changed figures keeps quiet which street
 * changed.
 */
export function releasedDay(published: DayFigures, today: DayFigures): DayFigures {
  const same = (a: Figure, b: Figure | undefined) =>
    b !== undefined &&
    b.withheld === null &&
    a.households === b.households &&
    a.total === b.total &&
    a.perPersonPerDay === b.perPersonPerDay;
  const todayStreets = new Map(today.streets.map((s) => [s.street, s]));
  const unchanged =
    (published.neighbourhood.withheld !== null || same(published.neighbourhood, today.neighbourhood)) &&
    published.streets.every((s) => s.withheld !== null || same(s, todayStreets.get(s.street)));
  if (unchanged) return published;
  const withheld = { households: null, total: null, perPersonPerDay: null, withheld: CHANGED_SINCE_PUBLISHED };
  return { neighbourhood: withheld, streets: published.streets.map((s) => ({ street: s.street, ...withheld })) };
}

export const showsAny = (figures: DayFigures): boolean =>
  figures.neighbourhood.withheld === null || figures.streets.some((s) => s.withheld === null);

/** A release's withheld reasons as codes (the utility aggregates' and the release's own). */
export const releaseWithheldReasons = [
  'too_few_households',
  'dominant_household',
  'complementary',
  'looser_rule',
  'changed_since_published',
] as const;
type ReleaseWithheldReason = (typeof releaseWithheldReasons)[number];

const reasonOf = (withheld: string | null): ReleaseWithheldReason | null =>
  withheld === CHANGED_SINCE_PUBLISHED ? 'changed_since_published' : withheldReasonOf(withheld);

/** The licences a neighbourhood may choose, as Open Definition ids (what a Data Package's licence `name` is). */
export const licences = {
  'ODC-PDDL-1.0': {
    name: 'ODC-PDDL-1.0',
    path: 'https://opendatacommons.org/licenses/pddl/1-0/',
    title: 'Open Data Commons Public Domain Dedication and License v1.0',
  },
  'ODC-By-1.0': {
    name: 'ODC-BY-1.0',
    path: 'https://opendatacommons.org/licenses/by/1-0/',
    title: 'Open Data Commons Attribution License v1.0',
  },
  'CC-BY-4.0': {
    name: 'CC-BY-4.0',
    path: 'https://creativecommons.org/licenses/by/4.0/',
    title: 'Creative Commons Attribution 4.0',
  },
  'CC0-1.0': {
    name: 'CC0-1.0',
    path: 'https://creativecommons.org/publicdomain/zero/1.0/',
    title: 'Creative Commons CC0 1.0',
  },
} as const;
export type Licence = keyof typeof licences;
export const licenceIds = Object.keys(licences) as [Licence, ...Licence[]];

/** What a release holds for one day and kind: its figures and, unless withheld, who could have been counted. */
export interface ReleaseDay {
  date: LocalDate;
  kind: MeterKind;
  figures: DayFigures;
  /** Households that consent to research now and did throughout the day, with a meter of the kind. */
  consenting: number;
}

export interface ReleaseContents {
  neighbourhood: { id: string; name: string; timeZone: string };
  number: number;
  /** A UUID: the package's globally unique id. */
  id: string;
  title: string;
  licence: Licence;
  from: LocalDate;
  to: LocalDate;
  created: string;
  rule: AggregateRule;
  /** Sorted by date, then kind; kinds with no figure shown on any day left out. */
  days: readonly ReleaseDay[];
}

export const RESOURCE_FILES = ['daily-neighbourhood.csv', 'daily-street.csv', 'data-quality.csv'] as const;

/** A spreadsheet runs a cell beginning with one of these as a formula (OWASP, "CSV injection"). */
export const FORMULA_START = /^[=+\-@\t\r]/;

type Field = { name: string; type: 'date' | 'string' | 'integer' | 'number'; description: string; constraints?: object };

const unitOf = (kind: MeterKind) => (kind === 'water' ? 'L' : 'kWh');
/** Litres to 0.1 L; watt-hours as kWh to 1 Wh. */
const amount = (kind: MeterKind, value: number) => (kind === 'water' ? Math.round(value * 10) / 10 : Math.round(value) / 1000);

function figureCells(kind: MeterKind, figure: Figure): CsvValue[] {
  if (figure.withheld !== null || figure.households === null || figure.total === null)
    return [null, null, null, null, reasonOf(figure.withheld)];
  const perPerson = kind === 'water' && figure.perPersonPerDay !== null ? Math.round(figure.perPersonPerDay * 10) / 10 : null;
  return [figure.households, amount(kind, figure.total), amount(kind, figure.total / figure.households), perPerson, null];
}

function fields(contents: ReleaseContents): Record<'date' | 'kind' | 'unit' | 'figures' | 'withheld', Field[]> {
  const { rule } = contents;
  const atLeast = { required: false, minimum: rule.minHouseholds };
  const withheldReason: Field = {
    name: 'withheld_reason',
    type: 'string',
    description:
      'Empty when the row gives its figures. Otherwise why they are empty: too_few_households (fewer than the minimum), dominant_household (one household above the maximum share), complementary (withheld so that the withheld streets cannot be worked out from the neighbourhood figure minus the shown streets), looser_rule (decided under a less strict rule than the one in force), changed_since_published (a figure of the day counted today differs from the one published before, for instance when a household stopped consenting to research).',
    constraints: { enum: [...releaseWithheldReasons] },
  };
  return {
    date: [
      {
        name: 'date',
        type: 'date',
        description: `The calendar day in the neighbourhood's time zone (${contents.neighbourhood.timeZone}).`,
        constraints: { required: true, minimum: contents.from, maximum: contents.to },
      },
    ],
    kind: [
      {
        name: 'kind',
        type: 'string',
        description: 'What was measured: water, electricity or gas.',
        constraints: { required: true, enum: ['water', 'electricity', 'gas'] },
      },
    ],
    unit: [
      {
        name: 'unit',
        type: 'string',
        description: 'The unit of total_use and use_per_household: L (litres) for water, kWh for electricity and gas.',
        constraints: { required: true, enum: ['L', 'kWh'] },
      },
    ],
    figures: [
      {
        name: 'households',
        type: 'integer',
        description:
          'Households counted: those that consent to research now and did throughout the day, and whose meters gave a complete day.',
        constraints: atLeast,
      },
      {
        name: 'total_use',
        type: 'number',
        description: 'What the households counted used that day, together (water to 0.1 L, energy to 0.001 kWh).',
        constraints: { minimum: 0 },
      },
      {
        name: 'use_per_household',
        type: 'number',
        description: 'total_use divided by households.',
        constraints: { minimum: 0 },
      },
      {
        name: 'litres_per_person_per_day',
        type: 'number',
        description: 'Water only: total_use divided by the people living in the households counted (to 0.1 L). Empty for energy.',
        constraints: { minimum: 0 },
      },
    ],
    withheld: [withheldReason],
  };
}

const KIND_ORDER: Record<MeterKind, number> = { water: 0, electricity: 1, gas: 2 };
const byDateAndKind = (a: ReleaseDay, b: ReleaseDay) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : KIND_ORDER[a.kind] - KIND_ORDER[b.kind];

function tables(contents: ReleaseContents) {
  const days = [...contents.days].sort(byDateAndKind);
  const f = fields(contents);
  const neighbourhood = days.map((d) => [d.date, d.kind, unitOf(d.kind), ...figureCells(d.kind, d.figures.neighbourhood)]);
  const street = days.flatMap((d) =>
    d.figures.streets.map((s) => [d.date, s.street, d.kind, unitOf(d.kind), ...figureCells(d.kind, s)]),
  );
  const quality = days.map((d) => {
    const n = d.figures.neighbourhood;
    if (n.withheld !== null || n.households === null) return [d.date, d.kind, null, null, null, reasonOf(n.withheld)];
    return [
      d.date,
      d.kind,
      d.consenting,
      n.households,
      Math.round((n.households / Math.max(1, d.consenting)) * 1000) / 1000,
      null,
    ];
  });
  const streetField: Field = {
    name: 'street',
    type: 'string',
    description:
      'The street, by its name when the day was first published. Every street of the neighbourhood is listed every day.',
    constraints: { required: true },
  };
  return [
    {
      file: 'daily-neighbourhood.csv',
      title: 'Daily use of the neighbourhood',
      description: 'One row per day and kind: what the households counted in the whole neighbourhood used.',
      fields: [...f.date, ...f.kind, ...f.unit, ...f.figures, ...f.withheld],
      primaryKey: ['date', 'kind'],
      rows: neighbourhood,
    },
    {
      file: 'daily-street.csv',
      title: 'Daily use per street',
      description: 'One row per day, street and kind: what the households counted on the street used.',
      fields: [...f.date, streetField, ...f.kind, ...f.unit, ...f.figures, ...f.withheld],
      primaryKey: ['date', 'street', 'kind'],
      rows: street,
    },
    {
      file: 'data-quality.csv',
      title: 'Data quality per day',
      description:
        "How complete each day's neighbourhood figure is: of the households that consent to research and have a meter of the kind, how many gave a complete day. Withheld with the neighbourhood figure.",
      fields: [
        ...f.date,
        ...f.kind,
        {
          name: 'households_consenting',
          type: 'integer',
          description: 'Households with a meter of the kind that consent to research now and did throughout the day.',
          constraints: { minimum: contents.rule.minHouseholds },
        },
        {
          name: 'households_with_data',
          type: 'integer',
          description: 'Of those, the households whose meters gave a complete day (no gap over 6 hours): the households counted.',
          constraints: { minimum: contents.rule.minHouseholds },
        },
        {
          name: 'completeness',
          type: 'number',
          description: 'households_with_data divided by households_consenting.',
          constraints: { minimum: 0, maximum: 1 },
        },
        ...f.withheld,
      ] satisfies Field[],
      primaryKey: ['date', 'kind'],
      rows: quality,
    },
  ];
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function describePackage(contents: ReleaseContents): string {
  const { rule, neighbourhood } = contents;
  return [
    `Daily water and energy use in ${neighbourhood.name}, for the whole neighbourhood and per street, from ${contents.from} to ${contents.to}, published by decision of the neighbourhood through OnTap.`,
    `Only households that consent to research, now and throughout the day, are counted. A figure is given only when it covers at least ${rule.minHouseholds} households and no household has more than ${Math.round(rule.maxShare * 1000) / 10}% of it, and only when the neighbourhood figure minus the streets shown would pass the same rule; the same figures were given to utility partners. A withheld figure is an empty cell, with its reason in withheld_reason.`,
  ].join(' ');
}

/** The release's files: the descriptor first, then each resource's CSV (empty tables when no day shows a figure). */
export function releaseFiles(contents: ReleaseContents): OpenDataFile[] {
  const csvFiles = tables(contents).map((table) => ({
    table,
    content: csvText(
      table.fields.map((field) => field.name),
      table.rows,
    ),
  }));
  const licence = licences[contents.licence];
  const descriptor = {
    $schema: 'https://datapackage.org/profiles/2.0/datapackage.json',
    name: `ontap-${contents.neighbourhood.id.toLowerCase()}-${contents.number}`,
    id: `urn:uuid:${contents.id}`,
    title: contents.title,
    description: describePackage(contents),
    version: '1.0.0',
    created: contents.created,
    keywords: ['water', 'energy', 'household consumption', 'smart meters', 'OnTap'],
    licenses: [{ name: licence.name, path: licence.path, title: licence.title }],
    contributors: [{ title: `The households of ${contents.neighbourhood.name} taking part in OnTap`, roles: ['creator'] }],
    resources: csvFiles.map(({ table, content }) => ({
      name: table.file.replace(/\.csv$/, ''),
      type: 'table',
      path: table.file,
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      bytes: Buffer.byteLength(content, 'utf8'),
      hash: `sha256:${sha256(content)}`,
      title: table.title,
      description: table.description,
      schema: { fields: table.fields, primaryKey: table.primaryKey, missingValues: [''] },
    })),
  };
  return [
    { name: 'datapackage.json', mediaType: 'application/json', content: `${JSON.stringify(descriptor, null, 2)}\n` },
    ...csvFiles.map(({ table, content }) => ({ name: table.file, mediaType: 'text/csv', content })),
  ];
}
