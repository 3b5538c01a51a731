// Schemas several routes share.
import { z } from 'zod';
import { METER_ID_PATTERN } from '../../devices/contract/topics.ts';

export const errorSchema = z.object({ error: z.string(), message: z.string() }).meta({ id: 'Error' });
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an id of letters, digits, _ or - (at most 64)');
export const meterIdSchema = z.string().regex(METER_ID_PATTERN, 'expected a meter id of letters, digits, _ or - (at most 64)');
export const localDateSchema = z.iso.date();
export const kindSchema = z.enum(['water', 'electricity', 'gas']);
export const consentSchema = z.enum(['private', 'challenge', 'research']);
