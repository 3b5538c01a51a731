// Invariants across every device family.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.ts';

describe('device catalog', () => {
  it('registers every family file once, with unique names and a fixture test beside each', () => {
    const files = readdirSync(join(import.meta.dirname, 'families'));
    const definitions = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(catalog).toHaveLength(definitions.length);
    expect(new Set(catalog.map((d) => d.family)).size).toBe(catalog.length);
    for (const file of definitions) expect(files).toContain(file.replace(/\.ts$/, '.test.ts'));
  });
});
