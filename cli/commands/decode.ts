// `ontap decode`: what a device message becomes, or exactly why it is refused — the check a
// resident runs before connecting a Tasmota, ESPHome, TTN, Glow, wM-Bus or Zigbee meter, or a
// Home Assistant sensor.
import { readFileSync } from 'node:fs';
import { catalog, familyNames, familyOf } from '../../devices/decoders/catalog.ts';
import { deviceProfileSchema } from '../../devices/decoders/definition.ts';
import { type Bridge, BridgeRouter, decodeBridged, loadBridges } from '../../ingest/bridges/bridges.ts';
import { parseOptions, UsageError } from '../usage-error.ts';
import type { Command } from './index.ts';

const options = {
  family: { type: 'string' },
  topic: { type: 'string' },
  payload: { type: 'string' },
  'payload-file': { type: 'string' },
  profile: { type: 'string' },
  bridges: { type: 'string' },
  retained: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  list: { type: 'boolean', default: false },
} as const;

export const decodeCommand: Command = {
  usage: [
    'Usage: ontap decode --family F --topic T --payload P [--profile FILE] [--retained] [--json]',
    '       ontap decode --bridges FILE --topic T --payload P        (the bridge your config picks)',
    '       ontap decode --list                                       (families, topics, settings)',
    '',
    'Prints the readings (base units: litres, watt-hours) a device message becomes, or the precise',
    'reason it is refused. Exit code 0 when at least one reading comes out, 1 when none does.',
    '',
    '  --profile FILE    the device profile as JSON (or the JSON itself): {"meterId": "…", …} with',
    '                    unitsPerPulse, unit, kind, timeZone, counter, model as the family needs',
    '  --payload-file F  read the payload from a file instead (- for stdin)',
    '  --retained        decode it as the broker would deliver a retained message',
  ].join('\n'),
  async run(args) {
    const values = parseOptions(args, options);
    if (values.list) {
      printFamilies();
      return 0;
    }
    if (!values.topic) throw new UsageError('--topic is required (the MQTT topic the device publishes on)');
    const payload =
      values['payload-file'] !== undefined
        ? readFileSync(values['payload-file'] === '-' ? 0 : values['payload-file'], 'utf8')
        : values.payload;
    if (payload === undefined) throw new UsageError('--payload (or --payload-file) is required');

    let bridge: Bridge | undefined;
    if (values.bridges) {
      bridge = new BridgeRouter(loadBridges(values.bridges)).bridgeFor(values.topic);
      if (!bridge) throw new UsageError(`no bridge in ${values.bridges} matches the topic ${values.topic}`);
    } else {
      if (!values.family) throw new UsageError(`--family is required: one of ${familyNames().join(', ')}`);
      const definition = familyOf(values.family);
      if (!definition) throw new UsageError(`unknown family "${values.family}": one of ${familyNames().join(', ')}`);
      const profile = readProfile(values.profile);
      bridge = { topic: values.topic, definition, profile, publisher: profile.meterId };
    }
    const now = Date.now();
    const result = decodeBridged(bridge, values.topic, payload, { receivedAt: now, retained: values.retained, now });
    if (values.json) {
      console.log(JSON.stringify({ family: bridge.definition.family, ...result }, null, 2));
    } else {
      console.log(`${bridge.definition.family} → meter ${result.meterId}`);
      for (const reading of result.readings) {
        const unit = reading.kind === 'water' ? 'L' : 'Wh';
        const when = new Date(reading.ts).toISOString();
        const flagged = reading.tsFromReceipt ? '  (no device time: the receive time stands in)' : '';
        console.log(`  reading  ${reading.kind}  register ${reading.register} ${unit}  at ${when}${flagged}`);
      }
      for (const rejection of result.rejected) console.log(`  refused  ${rejection.code}: ${rejection.message}`);
    }
    return result.readings.length > 0 ? 0 : 1;
  },
};

function readProfile(argument: string | undefined) {
  let raw: unknown = { meterId: 'checking' };
  if (argument !== undefined) {
    try {
      raw = JSON.parse(argument.trimStart().startsWith('{') ? argument : readFileSync(argument, 'utf8'));
    } catch (error) {
      throw new UsageError(`--profile: ${(error as Error).message}`);
    }
    if (typeof raw === 'object' && raw !== null && !('meterId' in raw)) raw = { meterId: 'checking', ...raw };
  }
  const parsed = deviceProfileSchema.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(
      `--profile: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

function printFamilies(): void {
  for (const definition of catalog) {
    console.log(`${definition.family}  —  ${definition.description}`);
    console.log(`  topics:   ${definition.topicFilter}`);
    if (definition.needs?.length) console.log(`  profile:  needs ${definition.needs.join(', ')}`);
    for (const [model, { description }] of Object.entries(definition.models ?? {}))
      console.log(`  model:    ${model}  (${description})`);
    const example = definition.examples[0];
    if (example) {
      console.log(`  example:  ontap decode --family ${definition.family} --topic '${example.topic}' \\`);
      console.log(`              --payload '${example.payload}' --profile '${JSON.stringify(example.profile)}'`);
    }
    console.log('');
  }
}
