// An open-data release as files, with figures written by hand, checked against the Data Package
// and Table Schema profiles of the standard (api/testing/frictionless/).
import { describe, expect, it } from 'vitest';
import { checkDataPackage, type DataPackage, dataPackageProblems } from '../testing/frictionless.ts';
import { COMPLEMENTARY, type DayFigures } from './aggregates.ts';
import { CHANGED_SINCE_PUBLISHED, type ReleaseContents, releasedDay, releaseFiles } from './open-data-package.ts';

const FEWER = 'fewer than 15 households';
const withheld = (reason: string) => ({ households: null, total: null, perPersonPerDay: null, withheld: reason });
const shown = (households: number, total: number, people: number | null) => ({
  households,
  total,
  perPersonPerDay: people === null ? null : total / people,
  withheld: null,
});

// Elm 17 homes (4152 L, 34 people), Ash 16 (3840 L) withheld so that Oak's 3 cannot be worked out.
const published: DayFigures = {
  neighbourhood: shown(36, 8712, 72),
  streets: [
    { street: 'Ash Grove', ...withheld(COMPLEMENTARY) },
    { street: 'Elm Street', ...shown(17, 4152, 34) },
    { street: 'Oak Road', ...withheld(FEWER) },
  ],
};

describe('releasedDay', () => {
  it('gives the published day when counting it today gives the same shown figures', () => {
    // Today Oak Road has one home more: a withheld figure changing discloses nothing.
    const today: DayFigures = {
      ...published,
      streets: published.streets.map((s) => (s.street === 'Oak Road' ? { street: s.street, ...withheld(FEWER) } : s)),
    };
    expect(releasedDay(published, today)).toBe(published);
  });

  it('withholds the whole day when a shown figure counts differently today', () => {
    // Swift (312 L on Elm Street) no longer consents: Elm 16 homes, 3840 L; the neighbourhood 35, 8400 L.
    const today: DayFigures = {
      neighbourhood: shown(35, 8400, 70),
      streets: [
        { street: 'Ash Grove', ...withheld(COMPLEMENTARY) },
        { street: 'Elm Street', ...shown(16, 3840, 32) },
        { street: 'Oak Road', ...withheld(FEWER) },
      ],
    };
    const all = withheld(CHANGED_SINCE_PUBLISHED);
    expect(releasedDay(published, today)).toStrictEqual({
      neighbourhood: all,
      streets: [
        { street: 'Ash Grove', ...all },
        { street: 'Elm Street', ...all },
        { street: 'Oak Road', ...all },
      ],
    });
    // A shown street withheld today, or gone (renamed), is a change too.
    const renamed = { ...published, streets: published.streets.map((s) => ({ ...s, street: `${s.street} North` })) };
    expect(releasedDay(published, renamed).neighbourhood.withheld).toBe(CHANGED_SINCE_PUBLISHED);
  });
});

const contents: ReleaseContents = {
  neighbourhood: { id: 'riverside', name: 'Riverside', timeZone: 'Europe/London' },
  number: 3,
  id: '6f1c2a4e-8a49-4f7e-9f2b-0c1d2e3f4a5b',
  title: 'Riverside: daily water and electricity use, 2026-03-01 to 2026-03-02',
  licence: 'ODC-By-1.0',
  from: '2026-03-01',
  to: '2026-03-02',
  created: '2026-03-12T12:00:00.000Z',
  rule: { minHouseholds: 15, maxShare: 0.15 },
  days: [
    // Given out of order: the files sort by date, then water before electricity.
    { date: '2026-03-02', kind: 'water', figures: { ...published, neighbourhood: shown(36, 8700.04, 72) }, consenting: 40 },
    {
      date: '2026-03-01',
      kind: 'electricity',
      figures: {
        neighbourhood: shown(20, 150_123.6, null),
        streets: [
          { street: 'Ash Grove', ...withheld(FEWER) },
          { street: 'Elm Street', ...withheld(COMPLEMENTARY) },
          { street: 'Oak Road', ...withheld(FEWER) },
        ],
      },
      consenting: 20,
    },
    { date: '2026-03-01', kind: 'water', figures: published, consenting: 36 },
  ],
};

describe('releaseFiles', () => {
  const files = releaseFiles(contents);
  const file = (name: string) => files.find((f) => f.name === name)?.content ?? '';

  it('writes each resource as CSV: withheld cells empty with their reason, energy in kWh, water per person', () => {
    expect(files.map((f) => [f.name, f.mediaType])).toStrictEqual([
      ['datapackage.json', 'application/json'],
      ['daily-neighbourhood.csv', 'text/csv'],
      ['daily-street.csv', 'text/csv'],
      ['data-quality.csv', 'text/csv'],
    ]);
    // 8712 / 36 = 242 L a home, 8712 / 72 = 121 L a person; 8700.04 → 8700 L, 241.7 a home, 120.8 a person;
    // 150123.6 Wh → 150.124 kWh, 7506.18 Wh a home → 7.506 kWh.
    expect(file('daily-neighbourhood.csv')).toBe(
      [
        'date,kind,unit,households,total_use,use_per_household,litres_per_person_per_day,withheld_reason',
        '2026-03-01,water,L,36,8712,242,121,',
        '2026-03-01,electricity,kWh,20,150.124,7.506,,',
        '2026-03-02,water,L,36,8700,241.7,120.8,',
        '',
      ].join('\r\n'),
    );
    expect(file('daily-street.csv').split('\r\n').slice(0, 7)).toStrictEqual([
      'date,street,kind,unit,households,total_use,use_per_household,litres_per_person_per_day,withheld_reason',
      '2026-03-01,Ash Grove,water,L,,,,,complementary',
      '2026-03-01,Elm Street,water,L,17,4152,244.2,122.1,',
      '2026-03-01,Oak Road,water,L,,,,,too_few_households',
      '2026-03-01,Ash Grove,electricity,kWh,,,,,too_few_households',
      '2026-03-01,Elm Street,electricity,kWh,,,,,complementary',
      '2026-03-01,Oak Road,electricity,kWh,,,,,too_few_households',
    ]);
    // 36 of 40 consenting homes had data on 2 March: 0.9.
    expect(file('data-quality.csv')).toBe(
      [
        'date,kind,households_consenting,households_with_data,completeness,withheld_reason',
        '2026-03-01,water,36,36,1,',
        '2026-03-01,electricity,20,20,1,',
        '2026-03-02,water,40,36,0.9,',
        '',
      ].join('\r\n'),
    );
  });

  it('describes them in a datapackage.json valid against the Data Package and Table Schema profiles', () => {
    const descriptor = JSON.parse(file('datapackage.json')) as DataPackage;
    expect(descriptor).toMatchObject({
      $schema: 'https://datapackage.org/profiles/2.0/datapackage.json',
      name: 'ontap-riverside-3',
      id: 'urn:uuid:6f1c2a4e-8a49-4f7e-9f2b-0c1d2e3f4a5b',
      licenses: [{ name: 'ODC-BY-1.0', path: 'https://opendatacommons.org/licenses/by/1-0/' }],
    });
    expect(descriptor.resources.map((r) => r.path)).toStrictEqual([
      'daily-neighbourhood.csv',
      'daily-street.csv',
      'data-quality.csv',
    ]);
    expect(checkDataPackage(descriptor, new Map(files.map((f) => [f.name, f.content])))).toStrictEqual([]);
  });

  it('is caught when broken: a changed number, a figure under the minimum, no resources, a type the standard lacks', () => {
    const descriptor = JSON.parse(file('datapackage.json')) as DataPackage;
    const tampered = new Map(files.map((f) => [f.name, f.content.replace('36,8712,242', '14,8712,242')]));
    expect(checkDataPackage(descriptor, tampered)).toStrictEqual([
      "daily-neighbourhood.csv: hash differs from the descriptor's",
      'daily-neighbourhood.csv row 2: households 14 is below 15',
    ]);
    expect(dataPackageProblems({ ...descriptor, resources: [] })).toStrictEqual([
      'datapackage.json/resources: must NOT have fewer than 1 items',
    ]);
    const [first] = descriptor.resources;
    if (first) (first.schema.fields[0] as { type: string }).type = 'day';
    expect(checkDataPackage(descriptor, new Map(files.map((f) => [f.name, f.content])))).toContain(
      'daily-neighbourhood.schema/fields/0: must match exactly one schema in oneOf',
    );
  });
});
