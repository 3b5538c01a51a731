// Schemas several resources share.
import { z } from 'zod';
import { isReservedMeterId } from '../../devices/contract/identities.ts';
import { METER_ID_PATTERN } from '../../devices/contract/topics.ts';
import { meterKinds } from '../../devices/contract/units.ts';
import { checkAlias, hasHiddenCharacters } from '../../lib/aliases.ts';
import { DATE_RANGE, inDateRange } from '../../lib/time.ts';

export { consentSchema } from '../../domain/people.ts';

/**
 * Every error response. `error` is the kind (bad_request, conflict, …); `reason` names the rule
 * that refused the request, and `fields` the fields at fault with what is wrong with each, so a
 * client can say it in its own words and language; `message` is the same in English.
 */
export const errorSchema = z
  .object({
    error: z.string(),
    message: z.string(),
    reason: z.string().optional(),
    fields: z
      .array(
        z.object({
          /** Where: body, querystring, params or headers. */
          in: z.string(),
          /** The field's path, dot-separated ("alias", "householdIds.2"). */
          field: z.string(),
          /** What is wrong: zod's issue code (too_big, too_small, invalid_format, invalid_type, …) or the rule's reason. */
          code: z.string(),
          /** The limit a too_big or too_small value broke. */
          limit: z.number().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Error' });
export type ApiErrorBody = z.infer<typeof errorSchema>;
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an id of letters, digits, _ or - (at most 64)');
export const meterIdSchema = z
  .string()
  .regex(METER_ID_PATTERN, 'expected a meter id of letters, digits, _ or - (at most 64)')
  .refine((id) => !isReservedMeterId(id), 'meter ids beginning with "ontap" are kept for OnTap’s own services');
export const localDateSchema = z.iso
  .date('use a date written YYYY-MM-DD')
  .refine(inDateRange, `use a date from ${DATE_RANGE.from} to ${DATE_RANGE.to}`);
export const kindSchema = z.enum(meterKinds);
/** A household's alias as it is kept: NFKC, visible characters only, one alphabet (lib/aliases.ts). */
export const aliasSchema = z
  .string()
  .max(200)
  .transform((raw, context) => {
    const checked = checkAlias(raw);
    if ('alias' in checked) return checked.alias;
    context.addIssue({ code: 'custom', message: checked.problem, params: { reason: checked.reason } });
    return z.NEVER;
  });

/** Visible characters only: a custom issue whose reason (name_hidden_characters) a client can word. */
const visibleOnly = {
  message: 'use only visible characters (no control, zero-width or text-direction characters)',
  params: { reason: 'name_hidden_characters' },
};
const isVisible = (text: string) => !hasHiddenCharacters(text);
export const PLACE_NAME_LENGTH = { min: 2, max: 80 } as const;
/**
 * A short text as it is kept: NFKC, spaces trimmed and single, `min` to `max` visible characters
 * (checked before and after NFKC, which can make such characters).
 */
export function visibleTextSchema(length: { min: number; max: number }) {
  return z
    .string()
    .max(length.max * 4)
    .refine(isVisible, visibleOnly)
    .transform((raw) => raw.normalize('NFKC').replace(/\s+/gu, ' ').trim())
    .pipe(z.string().min(length.min).max(length.max).refine(isVisible, visibleOnly))
    .describe(`${length.min} to ${length.max} visible characters (spaces around it are trimmed)`);
}

/** A neighbourhood's or street's name as it is kept. */
export const placeNameSchema = visibleTextSchema(PLACE_NAME_LENGTH);

/** An event stream's query: `once=true` sends the current event and closes. */
export const streamQuerySchema = z.object({ once: z.stringbool().default(false) });
