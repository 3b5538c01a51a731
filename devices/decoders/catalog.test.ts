// Invariants across every device family: registered once, unique names, a fixture test beside
// each, every example (a real message with its source) decodes to what it says, every field a
// family exposes is produced by one of its examples, and hostile versions of its examples never
// throw nor let through a register that is not a finite, non-negative number.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rejectionCodes } from '../contract/errors.ts';
import { topicMatchesFilter } from '../contract/topics.ts';
import { catalog } from './catalog.ts';
import { type DeviceExample, decodeDeviceMessage, deviceProfileSchema } from './definition.ts';

/** What a broken or hostile device puts where a number belongs. */
const hostileValues = ['1e306', '1e400', '-1', '-0', 'NaN', 'null', '""', '"1e306"', '"unavailable"', '0x10', '1e10', '[]', '{}'];

describe('device catalog', () => {
  it('registers every family file once, with unique names and a fixture test beside each', () => {
    const files = readdirSync(join(import.meta.dirname, 'families'));
    const definitions = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(catalog).toHaveLength(definitions.length);
    expect(new Set(catalog.map((d) => d.family)).size).toBe(catalog.length);
    for (const file of definitions) expect(files).toContain(file.replace(/\.ts$/, '.test.ts'));
  });

  for (const definition of catalog) {
    describe(definition.family, () => {
      it('has examples, each citing a public source and matching the family topic filter', () => {
        expect(definition.examples.length).toBeGreaterThan(0);
        for (const example of definition.examples) {
          expect(example.source).toMatch(/^https:\/\//);
          expect(definition.matches(example.topic)).toBe(true);
          expect(topicMatchesFilter(definition.topicFilter, example.topic)).toBe(true);
        }
      });

      it('decodes every example to exactly its readings', () => {
        for (const example of definition.examples) {
          const profile = deviceProfileSchema.parse(example.profile);
          const result = decodeDeviceMessage(definition, example.topic, example.payload, profile, {
            receivedAt: example.receivedAt ?? 0,
          });
          expect(result, example.description).toStrictEqual({ readings: example.readings, rejected: [] });
        }
      });

      it('produces every field it exposes in at least one example', () => {
        for (const exposed of definition.exposes) {
          const producedBy = definition.examples.filter((example) => {
            const last = (exposed.field.split(/[.:]\s*/).pop() as string).replace('<counter>', example.profile.counter ?? 'C1');
            const fieldInPayload = exposed.field === 'state' || example.payload.includes(`"${last}"`);
            return fieldInPayload && example.readings.some((reading) => reading.kind === exposed.kind);
          });
          expect(producedBy.length, `${exposed.field} (${exposed.kind})`).toBeGreaterThan(0);
        }
      });

      it('survives hostile payloads: each of its examples with numbers swapped, cut short, or as bytes', () => {
        const hostile = fc.constantFrom(...hostileValues);
        const payload = fc.oneof(
          // Every number of an example (a register, a time, a count) swapped for one hostile value.
          fc.tuple(fc.nat(), hostile).map(([i, value]) => {
            const example = definition.examples[i % definition.examples.length] as DeviceExample;
            return { example, payload: example.payload.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, value) };
          }),
          fc.tuple(fc.nat(), fc.nat()).map(([i, cut]) => {
            const example = definition.examples[i % definition.examples.length] as DeviceExample;
            return { example, payload: example.payload.slice(0, cut % (example.payload.length + 1)) };
          }),
          fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 80 })).map(([i, text]) => ({
            example: definition.examples[i % definition.examples.length] as DeviceExample,
            payload: text,
          })),
        );
        fc.assert(
          fc.property(payload, fc.boolean(), ({ example, payload }, retained) => {
            const profile = deviceProfileSchema.parse(example.profile);
            const result = decodeDeviceMessage(definition, example.topic, payload, profile, { receivedAt: 1e12, retained });
            for (const reading of result.readings) {
              expect(Number.isFinite(reading.register) && reading.register >= 0, `${payload} → ${reading.register}`).toBe(true);
              expect(Number.isFinite(reading.ts), `${payload} → ts ${reading.ts}`).toBe(true);
            }
            for (const rejection of result.rejected) expect(Object.keys(rejectionCodes)).toContain(rejection.code);
          }),
          { numRuns: 300 },
        );
      });
    });
  }
});
