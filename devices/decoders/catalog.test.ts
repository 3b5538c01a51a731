// Invariants across every device family: registered once, unique names, a fixture test beside
// each, every example (a real message with its source) decodes to what it says, and every field a
// family exposes is produced by one of its examples.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topicMatchesFilter } from '../contract/topics.ts';
import { catalog } from './catalog.ts';
import { decodeDeviceMessage, deviceProfileSchema } from './definition.ts';

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
    });
  }
});
