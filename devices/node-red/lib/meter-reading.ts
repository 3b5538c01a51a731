// The ontap-meter node's rule for turning any msg into contract readings: a number is a register
// (or delta) in the configured kind and unit at msg.timestamp or now; an object or array must
// already be contract readings (as ontap-decode makes them). Validated by the contract itself.
import { type MeterKind, meterTopic, parseReadingMessage, type Rejection, type Unit } from '../../contract/index.ts';

export interface MeterNodeSettings {
  meterId: string;
  kind: MeterKind;
  unit: Unit;
  /** Whether a bare number is the cumulative register or the use since the last message. */
  mode: 'register' | 'delta';
}

export interface PreparedReadings {
  topic: string;
  /** The JSON published: the readings the contract accepted. */
  payload: string;
  count: number;
  rejected: Rejection[];
}

export function prepareReadings(
  message: { payload?: unknown; timestamp?: unknown },
  settings: MeterNodeSettings,
  now: number,
): PreparedReadings {
  const topic = meterTopic(settings.meterId, 'readings');
  let body: unknown = message.payload;
  const number = typeof body === 'string' && body.trim() !== '' ? Number(body) : body;
  if (typeof number === 'number') {
    const ts = typeof message.timestamp === 'number' || typeof message.timestamp === 'string' ? message.timestamp : now;
    body = { ts, kind: settings.kind, unit: settings.unit, [settings.mode]: number };
  }
  const list = Array.isArray(body) ? body : [body];
  const parsed = parseReadingMessage(topic, Buffer.from(JSON.stringify(list)), now);
  const kept = new Set(list.keys());
  for (const rejection of parsed.rejected) if (rejection.index !== undefined) kept.delete(rejection.index);
  const accepted = list.filter((_, index) => kept.has(index));
  return { topic, payload: JSON.stringify(accepted), count: accepted.length, rejected: parsed.rejected };
}
