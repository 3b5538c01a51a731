// Open-data releases: a neighbourhood's decision to publish, the releases anyone may read, and
// withdrawing one (docs/open-data.md).
import { z } from 'zod';
import { licenceIds } from '../services/open-data-package.ts';
import { idSchema, localDateSchema, visibleTextSchema } from './common.ts';

/** A release's number within its neighbourhood, as its URL writes it. */
export const releaseIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, 'expected a release number (1, 2, …)')
  .describe("the release's number within its neighbourhood");

export const releaseParamsSchema = z.object({ neighbourhoodId: idSchema, releaseId: releaseIdSchema });

export const OPEN_DATA_MAX_DAYS = 366;

export const newReleaseSchema = z.object({
  from: localDateSchema.describe('the first day (local date)'),
  to: localDateSchema.describe(
    `the last day: a settled day (ended over 6 hours ago), at most ${OPEN_DATA_MAX_DAYS} days after from counting both`,
  ),
  licence: z.enum(licenceIds).describe('the licence the neighbourhood publishes under'),
  title: visibleTextSchema({ min: 3, max: 200 })
    .optional()
    .describe("default: the neighbourhood's name, what is published and the dates"),
  confirm: z
    .string()
    .max(200)
    .describe("the neighbourhood's id, typed to confirm the decision: a release is public, and its figures never change"),
});
export type NewRelease = z.infer<typeof newReleaseSchema>;

export const withdrawalSchema = z.object({
  reason: visibleTextSchema({ min: 3, max: 500 }).describe('why, shown to anyone who asks for the release from then on'),
});

export const releaseSchema = z.object({
  id: z.string().describe("the release's number within its neighbourhood"),
  neighbourhoodId: z.string(),
  title: z.string(),
  licence: z.string(),
  from: localDateSchema,
  to: localDateSchema,
  publishedAt: z.iso.datetime(),
  datapackage: z.string().describe('where its datapackage.json is (a path on this server); its files are beside it'),
  withdrawn: z
    .object({ at: z.iso.datetime(), reason: z.string() })
    .nullable()
    .describe('null unless withdrawn: its files are then gone (410)'),
});
export type ReleaseShown = z.infer<typeof releaseSchema>;

export const publishedReleaseSchema = releaseSchema.extend({
  files: z.array(z.string()).describe('datapackage.json and its resources, each beside it'),
  figures: z
    .object({ shown: z.number(), withheld: z.number() })
    .describe('how many figures (cells of use) the resources give, and how many they withhold'),
});

export const publicReleasesParamsSchema = z.object({ neighbourhoodId: idSchema });
export const publicReleasesSchema = z.object({
  neighbourhoodId: z.string(),
  releases: z.array(releaseSchema).describe('newest first, withdrawn ones too'),
});

export const releaseFileParamsSchema = releaseParamsSchema.extend({
  file: z
    .string()
    .regex(/^[a-z0-9-]{1,64}\.(json|csv)$/, 'expected a file name such as datapackage.json or daily-street.csv')
    .describe('datapackage.json or one of its resources (daily-neighbourhood.csv, daily-street.csv, data-quality.csv)'),
});
