import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, openApiFile } from './openapi.ts';

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
});
