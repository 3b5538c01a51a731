// Options of a simulation, validated with zod so the CLI and the tests share one definition.
import { z } from 'zod';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const share = z.coerce.number().min(0, 'expected a share from 0 to 1').max(1, 'expected a share from 0 to 1');

export const faultNames = ['leak', 'offline', 'duplicate', 'reorder', 'skew', 'replace', 'malformed'] as const;
export type FaultName = (typeof faultNames)[number];

/** Shares: leak/skew/replace/offline of households or meters; duplicate/reorder/malformed of messages. */
export const faultSpecSchema = z.strictObject(
  Object.fromEntries(faultNames.map((name) => [name, share.default(0)])) as Record<FaultName, z.ZodDefault<typeof share>>,
);
export type FaultSpec = z.output<typeof faultSpecSchema>;

export const savingSpecSchema = z.strictObject({
  /** Share of households that change behaviour. */
  share: share.default(0),
  /** From this local date on. */
  from: localDate.optional(),
  /** Saving of a saving household, drawn uniformly from [min, max]. */
  min: share.default(0.1),
  max: share.default(0.2),
});
export type SavingSpec = z.output<typeof savingSpecSchema>;

const minutes = z.coerce
  .number()
  .int()
  .positive()
  .refine((m) => 1440 % m === 0 && (m <= 60 ? 60 % m === 0 : m % 60 === 0), {
    error: 'expected an interval in minutes that divides an hour (1, 5, 15, 30…) or a day',
  });

export const simulationSpecSchema = z.object({
  households: z.coerce.number().int().min(1).max(1_000_000),
  streets: z.coerce.number().int().min(1).max(10_000),
  from: localDate,
  /** Last local date, inclusive. */
  to: localDate,
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  timeZone: z.string().default('Europe/London'),
  intervals: z.object({ water: minutes.default(15), electricity: minutes.default(30), gas: minutes.default(30) }).prefault({}),
  /** Share of households with a gas meter (about 85% of English homes are on the gas grid). */
  gasShare: share.default(0.85),
  faults: faultSpecSchema.prefault({}),
  savings: savingSpecSchema.prefault({}),
  /**
   * Only the messages sent in [from, to) reach the sink: the simulation before it still runs (the
   * registers advance), and generation stops at its end. A live run of one hour of a big
   * neighbourhood needs no more than that hour.
   */
  window: z
    .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
    .refine((w) => Date.parse(w.from) < Date.parse(w.to), { error: 'window.from must be before window.to' })
    .optional(),
  /** Meter id prefix, so several simulations can share a broker. */
  idPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]{0,20}$/)
    .default('h'),
});
export type SimulationSpec = z.output<typeof simulationSpecSchema>;
export type SimulationSpecInput = z.input<typeof simulationSpecSchema>;

/** Parses "leak=0.05,offline=0.1" style lists into an object. */
export function parseKeyValueList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value] = part.split('=');
    if (!key || value === undefined) throw new Error(`expected key=value, got "${part}"`);
    out[key.trim()] = value.trim();
  }
  return out;
}
