// The ontap-decode node's work: a foreign device message through its family decoder, out as
// contract readings (what ontap-meter publishes) plus the reasons for anything refused.
import type { BaseUnit, MeterKind, Rejection } from '../../contract/index.ts';
import { familyOf } from '../../decoders/catalog.ts';
import { decodeDeviceMessage, deviceProfileSchema } from '../../decoders/definition.ts';

export interface FlowReading {
  ts: string;
  kind: MeterKind;
  register: number;
  unit: BaseUnit;
}

export interface FlowDecoded {
  readings: FlowReading[];
  rejected: Omit<Rejection, 'index'>[];
  receiptTimed: number;
}

/**
 * The node's decoder, made once when the flow is deployed: an unknown family or a bad profile
 * fails then, with its reason, not at every message.
 */
export function flowDecoder(
  family: string,
  profileJson: unknown,
): (topic: string, payload: unknown, context: { receivedAt: number; retained?: boolean }) => FlowDecoded {
  const definition = familyOf(family);
  if (!definition) throw new Error(`unknown device family "${family}"`);
  const raw = typeof profileJson === 'string' && profileJson.trim() !== '' ? JSON.parse(profileJson) : (profileJson ?? {});
  const parsed = deviceProfileSchema.safeParse({ meterId: 'node-red', ...raw });
  if (!parsed.success)
    throw new Error(`profile: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  const profile = parsed.data;
  return (topic, payload, context) => {
    const text =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload);
    const result = decodeDeviceMessage(definition, topic, text, profile, context);
    return {
      readings: result.readings.map((r) => ({
        ts: new Date(r.ts).toISOString(),
        kind: r.kind,
        register: r.register,
        unit: r.kind === 'water' ? 'L' : 'Wh',
      })),
      rejected: result.rejected,
      receiptTimed: result.readings.filter((r) => r.tsFromReceipt).length,
    };
  };
}
