// The status payload: retained on ontap/v1/meters/{meterId}/status and the device's last will.
import { z } from 'zod';
import { ContractError } from './errors.ts';
import { parseMeterTopic } from './topics.ts';

export const statusPayloadSchema = z
  .object({
    online: z.boolean(),
    battery: z.number().min(0).max(100).optional(),
    rssi: z.number().optional(),
  })
  .meta({ id: 'StatusPayload', description: 'Whether a meter is online, with battery (%) and signal (dBm) when known.' });

export type StatusPayload = z.infer<typeof statusPayloadSchema>;

export function parseStatusMessage(topic: string, payload: Uint8Array | string): { meterId: string; status: StatusPayload } {
  const { meterId, kind } = parseMeterTopic(topic);
  if (kind !== 'status') throw new ContractError('BAD_TOPIC', `${JSON.stringify(topic)} is not a status topic`);
  let body: unknown;
  try {
    body = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
  } catch (error) {
    throw new ContractError('INVALID_JSON', (error as Error).message);
  }
  const result = statusPayloadSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ContractError('BAD_STATUS', `${issue?.path.join('.') || 'payload'}: ${issue?.message}`);
  }
  return { meterId, status: result.data };
}
