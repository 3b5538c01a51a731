// Bridges: foreign device topics that ingest subscribes to and runs through their family's
// decoder, so a Tasmota, ESPHome, LoRaWAN, Glow, wM-Bus or Zigbee meter, or a Home Assistant
// sensor, counts like a native one.
// Configured in a JSON file (ONTAP_BRIDGES): each bridge is a topic filter, a family and the
// device profile (whose meter the readings are, and what the payload cannot say).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  contractLimits,
  METER_ID_PATTERN,
  type MeterReading,
  type Rejection,
  rejectionCodes,
  TOPIC_PREFIX,
  topicMatchesFilter,
} from '../../devices/contract/index.ts';
import { familyNames, familyOf } from '../../devices/decoders/catalog.ts';
import {
  type DeviceDefinition,
  type DeviceProfile,
  decodeDeviceMessage,
  deviceProfileSchema,
} from '../../devices/decoders/definition.ts';

const topicFilter = z
  .string()
  .min(1)
  .max(1024)
  .refine((filter) => !filter.startsWith('$') && !filter.startsWith(`${TOPIC_PREFIX}/`), {
    message: `a bridge topic may not be a $-topic or under ${TOPIC_PREFIX}/ (those are OnTap's own)`,
  })
  .refine(
    (filter) =>
      filter.split('/').every((level, i, all) => (level === '#' ? i === all.length - 1 : !/[#+]/.test(level) || level === '+')),
    {
      message: 'not a valid MQTT topic filter (+ stands for one whole level, # only at the end)',
    },
  );

export const bridgeSchema = z
  .object({
    topic: topicFilter,
    family: z.string().refine((family) => familyOf(family) !== undefined, {
      error: (issue) => `unknown family ${JSON.stringify(issue.input)}; known: ${familyNames().join(', ')}`,
    }),
    profile: deviceProfileSchema,
    /**
     * Whose broker credentials the device publishes with, when not the bridged meter's own: a hub
     * (a Glow display with electricity and gas, a wmbusmeters or Zigbee2MQTT host) logs in once.
     */
    publisher: z.string().regex(METER_ID_PATTERN, 'publisher must be a meter id').optional(),
  })
  .strict();
export const bridgesFileSchema = z.object({ bridges: z.array(bridgeSchema) }).strict();
export type BridgeConfig = z.output<typeof bridgeSchema>;

export interface Bridge {
  topic: string;
  definition: DeviceDefinition;
  profile: DeviceProfile;
  /** The meter whose credentials may publish on the topic (the bridged meter unless a hub's). */
  publisher: string;
}

export class BridgeConfigError extends Error {
  override name = 'BridgeConfigError';
}

/** Reads and checks a bridges file; every problem is named with its place in the file. */
export function loadBridges(path: string): Bridge[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BridgeConfigError(`bridges file ${path}: ${(error as Error).message}`);
  }
  return parseBridges(raw, path);
}

export function parseBridges(raw: unknown, where = 'bridges'): Bridge[] {
  const parsed = bridgesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${where}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new BridgeConfigError(problems.join('\n'));
  }
  const bridges = parsed.data.bridges.map(({ topic, family, profile, publisher }) => ({
    topic,
    definition: familyOf(family) as DeviceDefinition,
    profile,
    publisher: publisher ?? profile.meterId,
  }));
  for (const [index, bridge] of bridges.entries()) {
    // A concrete topic the family would never decode is a mistake worth one clear line now.
    if (!/[#+]/.test(bridge.topic) && !bridge.definition.matches(bridge.topic))
      throw new BridgeConfigError(
        `${where}: bridges.${index}.topic: ${bridge.topic} is not a ${bridge.definition.family} topic (${bridge.definition.topicFilter})`,
      );
  }
  return bridges;
}

/** Finds the bridge for a topic (the first that matches, in file order). */
export class BridgeRouter {
  readonly bridges: readonly Bridge[];
  /** Topics seen so far → bridge: one device publishes on one topic, so this stays small. */
  readonly #seen = new Map<string, Bridge | undefined>();

  constructor(bridges: readonly Bridge[]) {
    this.bridges = bridges;
  }

  bridgeFor(topic: string): Bridge | undefined {
    if (this.#seen.has(topic)) return this.#seen.get(topic);
    const bridge = this.bridges.find((candidate) => topicMatchesFilter(candidate.topic, topic));
    if (this.#seen.size >= 10_000) this.#seen.clear();
    this.#seen.set(topic, bridge);
    return bridge;
  }

  /** The meter whose broker credentials may publish on a topic, if a bridge covers it. */
  publisherOf(topic: string): string | undefined {
    return this.bridgeFor(topic)?.publisher;
  }

  /** The distinct topic filters ingest subscribes to. */
  topicFilters(): string[] {
    return [...new Set(this.bridges.map((bridge) => bridge.topic))];
  }
}

export type BridgedReading = MeterReading & { tsFromReceipt?: true };

export interface BridgedMessage {
  meterId: string;
  readings: BridgedReading[];
  rejected: Rejection[];
  /** Readings whose time is the receive time (the device gave none). */
  receiptTimed: number;
}

/** Decodes a foreign message and applies the contract's time limits, as for native readings. */
export function decodeBridged(
  bridge: Bridge,
  topic: string,
  payload: string,
  context: { receivedAt: number; retained?: boolean; now: number },
): BridgedMessage {
  const decoded = decodeDeviceMessage(bridge.definition, topic, payload, bridge.profile, context);
  const rejected: Rejection[] = decoded.rejected.map((r) => ({ ...r, message: `${bridge.definition.family}: ${r.message}` }));
  const readings: BridgedReading[] = [];
  let receiptTimed = 0;
  for (const reading of decoded.readings) {
    if (reading.ts > context.now + contractLimits.maxFutureSkewMs) {
      rejected.push({
        code: 'TIMESTAMP_IN_FUTURE',
        message: `${rejectionCodes.TIMESTAMP_IN_FUTURE}: ${new Date(reading.ts).toISOString()}`,
      });
      continue;
    }
    const bridged: BridgedReading = {
      meterId: bridge.profile.meterId,
      kind: reading.kind,
      ts: reading.ts,
      register: reading.register,
    };
    if (reading.tsFromReceipt) {
      bridged.tsFromReceipt = true;
      receiptTimed++;
    }
    readings.push(bridged);
  }
  return { meterId: bridge.profile.meterId, readings, rejected, receiptTimed };
}

/** The router for ONTAP_BRIDGES, or none when it is unset. */
export function bridgeRouterFrom(path: string | undefined): BridgeRouter | undefined {
  return path ? new BridgeRouter(loadBridges(path)) : undefined;
}
