// Device families as data (after zigbee-herdsman-converters): each family is one definition that
// says which foreign MQTT messages it matches and how their fields become contract readings in
// base units. No I/O here; ingest's bridges (issue 7) run them on subscribed foreign topics.
import { z } from 'zod';
import type { Rejection } from '../contract/reading.ts';
import type { MeterKind } from '../contract/units.ts';

/** What the payload cannot say, configured per device. */
export const deviceProfileSchema = z.object({
  /** The OnTap meter id this device's readings belong to. */
  meterId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** For pulse counters: litres (water) or watt-hours (energy) per pulse. */
  unitsPerPulse: z.number().positive().optional(),
  /** For devices that send local time without an offset. */
  timeZone: z.string().default('Europe/London'),
  /** Which counter of a multi-counter device (Tasmota C1…C8). */
  counter: z.string().default('C1'),
  kind: z.enum(['water', 'electricity', 'gas']).optional(),
});
export type DeviceProfile = z.output<typeof deviceProfileSchema>;

export interface DecodedReading {
  kind: MeterKind;
  /** Epoch ms. */
  ts: number;
  /** Cumulative register in base units (L or Wh). */
  register: number;
  /** The device gave no usable time; the receive time stands in. */
  tsFromReceipt?: boolean;
}

export interface DecodeResult {
  readings: DecodedReading[];
  rejected: Omit<Rejection, 'index'>[];
}

export interface DeviceDefinition {
  family: string;
  description: string;
  /** MQTT topic filter a bridge subscribes to. */
  topicFilter: string;
  /** What a message of this family can expose. */
  exposes: readonly { name: string; kind: MeterKind; unit: 'L' | 'Wh' }[];
  matches(topic: string): boolean;
  decode(topic: string, payload: string, profile: DeviceProfile, receivedAt: number): DecodeResult;
}

export const reject = (code: Rejection['code'], message: string): DecodeResult => ({
  readings: [],
  rejected: [{ code, message }],
});
