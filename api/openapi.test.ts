import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiTypesFile, generateApiTypes, generateOpenApi, openApiFile } from './openapi.ts';

describe('OpenAPI document', () => {
  it('is committed as generated from the route schemas (run `npm run openapi` after changing a route)', async () => {
    const generated = await generateOpenApi();
    expect(JSON.parse(await readFile(openApiFile, 'utf8'))).toStrictEqual(JSON.parse(generated));
    const document = JSON.parse(generated);
    expect(Object.keys(document.paths)).toContain('/api/challenges/{challengeId}/leaderboard');
    expect(document.paths['/api/households/{householdId}/usage'].get.parameters.map((p: { name: string }) => p.name)).toContain(
      'granularity',
    );
  });

  it('resolves every $ref to a component it holds', async () => {
    const text = await readFile(openApiFile, 'utf8');
    const document = JSON.parse(text);
    const refs = [...text.matchAll(/"\$ref": "#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of new Set(refs)) expect(document.components.schemas, name).toHaveProperty(name);
  });

  it('gives the dashboard client types generated from the committed document (run `npm run openapi`)', async () => {
    const committed = await readFile(apiTypesFile, 'utf8');
    expect(committed).toBe(generateApiTypes(await readFile(openApiFile, 'utf8')));
  });
});
