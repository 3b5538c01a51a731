// Device families as data (after zigbee-herdsman-converters and TTN's device repository): each
// family is one definition that says which foreign MQTT messages it matches, what it exposes, how
// its fields become contract readings in base units, and real examples with their sources. No I/O
// here; ingest's bridges and `ontap decode` run them through decodeDeviceMessage.
import { z } from 'zod';
import { METER_ID_PATTERN } from '../contract/meter-ids.ts';
import { contractLimits, type Rejection } from '../contract/reading.ts';
import { type BaseUnit, deviceUnits, type MeterKind, meterKinds } from '../contract/units.ts';

/** What the payload cannot say, configured per device. */
export const deviceProfileSchema = z
  .object({
    /** The OnTap meter id this device's readings belong to. */
    meterId: z.string().regex(METER_ID_PATTERN, `meterId must match ${METER_ID_PATTERN.source}`),
    /** Which kind of meter the device reads, where the message does not say. */
    kind: z.enum(meterKinds).optional(),
    /** For pulse counters: litres (water) or watt-hours (energy) per pulse. */
    unitsPerPulse: z.number().positive().optional(),
    /** What a bare number means (ESPHome states): pulses, L, m3, Wh or kWh. */
    unit: z.enum(deviceUnits).optional(),
    /** For devices that send local time without an offset. */
    timeZone: z.string().default('Europe/London'),
    /** Which counter of a multi-counter device (Tasmota C1…C8). */
    counter: z.string().default('C1'),
    /** Which device model's decoded payload (The Things Stack: a codec of the device repository). */
    model: z.string().optional(),
  })
  .strict()
  .meta({ id: 'DeviceProfile', description: 'What a device message cannot say: whose meter it is, and how to read it.' });
export type DeviceProfile = z.output<typeof deviceProfileSchema>;
export type DeviceProfileInput = z.input<typeof deviceProfileSchema>;

export interface DecodedReading {
  kind: MeterKind;
  /** Epoch ms. */
  ts: number;
  /** Cumulative register in base units (L or Wh). */
  register: number;
  /** The device gave no usable time (missing or a placeholder); the receive time stands in. */
  tsFromReceipt?: boolean;
}

export type DecodeRejection = Omit<Rejection, 'index'>;

export interface DecodeResult {
  readings: DecodedReading[];
  rejected: DecodeRejection[];
}

export interface MessageContext {
  /** When the message reached OnTap (epoch ms). */
  receivedAt: number;
  /** The broker delivered a retained message (the last value, of unknown age). */
  retained?: boolean;
}

/** A real message of the family, from public documentation or code, and what it decodes to. */
export interface DeviceExample {
  description: string;
  /** Where the message was published (a URL). */
  source: string;
  topic: string;
  payload: string;
  profile: DeviceProfileInput;
  receivedAt?: number;
  readings: DecodedReading[];
}

export interface DeviceDefinition {
  family: string;
  description: string;
  /** The MQTT topic filter a bridge subscribes to when none is configured. */
  topicFilter: string;
  /** The fields a message of this family can carry readings in. */
  exposes: readonly { field: string; kind: MeterKind; unit: BaseUnit }[];
  /** Profile fields this family needs. */
  needs?: readonly (keyof DeviceProfile)[];
  /** The device models profile.model may name, where the family decodes several. */
  models?: Readonly<Record<string, { description: string }>>;
  matches(topic: string): boolean;
  decode(topic: string, payload: string, profile: DeviceProfile, context: MessageContext): DecodeResult;
  examples: readonly DeviceExample[];
}

// The rejections reject() made: a device's own JSON can look like a DecodeResult, but is never one.
const rejections = new WeakSet<object>();

export function reject(code: Rejection['code'], message: string): DecodeResult {
  const result: DecodeResult = { readings: [], rejected: [{ code, message }] };
  rejections.add(result);
  return result;
}

/** Whether a value is a rejection made by reject() (not a number, not a device's payload). */
export const isRejection = (value: unknown): value is DecodeResult =>
  typeof value === 'object' && value !== null && rejections.has(value);

/**
 * Runs a family decoder with the rules every family shares: the topic must be the family's, the
 * profile complete (and its model one the family knows); a time before 2000 is a placeholder (a device without NTP says 1970) and the
 * receive time stands in, flagged; a retained message whose time comes from its receipt is
 * refused, because its register may be hours old (the device's next live message carries the
 * same total, so nothing is lost).
 */
export function decodeDeviceMessage(
  definition: DeviceDefinition,
  topic: string,
  payload: string,
  profile: DeviceProfile,
  context: MessageContext,
): DecodeResult {
  if (!definition.matches(topic))
    return reject('BAD_TOPIC', `${JSON.stringify(topic)} is not a ${definition.family} topic (${definition.topicFilter})`);
  const missing = (definition.needs ?? []).filter((key) => profile[key] === undefined);
  if (missing.length > 0)
    return reject('PROFILE_INCOMPLETE', `the ${definition.family} device profile needs ${missing.join(', ')}`);
  if (definition.models && !Object.hasOwn(definition.models, profile.model ?? ''))
    return reject(
      'UNKNOWN_DEVICE_MODEL',
      `model ${JSON.stringify(profile.model)}; known: ${Object.keys(definition.models).join(', ')}`,
    );
  const result = definition.decode(topic, payload, profile, context);
  const readings: DecodedReading[] = [];
  for (const reading of result.readings) {
    const placeholder = !Number.isFinite(reading.ts) || reading.ts < contractLimits.earliestTimestampMs;
    const fixed = placeholder ? { ...reading, ts: context.receivedAt, tsFromReceipt: true } : reading;
    if (fixed.tsFromReceipt && context.retained) {
      result.rejected.push({
        code: 'STALE_RETAINED',
        message: 'a retained message without a device time: its register may be stale (the next live message counts)',
      });
      continue;
    }
    readings.push(fixed);
  }
  return { readings, rejected: result.rejected };
}
