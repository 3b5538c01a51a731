import { describe, expect, it } from 'vitest';
import { openApiTypes, schemaType } from './openapi-types.ts';

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('OpenAPI schemas as TypeScript types', () => {
  it('writes objects with required and optional properties, nullable values and enums', () => {
    const type = schemaType({
      type: 'object',
      required: ['id', 'kind'],
      properties: {
        id: { type: 'string' },
        kind: { type: 'string', enum: ['water', 'gas'] },
        rank: { type: 'integer', nullable: true },
        'time-zone': { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      additionalProperties: false,
    });
    expect(flat(type)).toBe(
      flat(`{
        id: string;
        kind: "water" | "gas";
        rank?: number | null;
        "time-zone"?: string;
        tags?: (string)[];
      }`),
    );
  });

  it('writes maps, references, unions and a null enum', () => {
    expect(schemaType({ type: 'object', additionalProperties: { type: 'number' } })).toBe('Record<string, number>');
    expect(schemaType({ $ref: '#/components/schemas/Error' })).toBe(`components['schemas']["Error"]`);
    expect(schemaType({ anyOf: [{ type: 'string' }, { type: 'boolean' }] })).toBe('(string) | (boolean)');
    expect(schemaType({ type: 'string', nullable: true, enum: [null] })).toBe('null');
  });

  it('refuses what it cannot translate rather than writing a wrong type', () => {
    expect(() => schemaType({ type: 'object', properties: { a: { type: 'tuple' } } }, 'X')).toThrow(
      'X.a: unsupported schema type',
    );
    expect(() => schemaType({ $ref: 'other.json#/Thing' })).toThrow('unsupported $ref');
  });

  it('writes paths the way openapi-fetch reads them: parameters by place, numeric statuses, absent methods as never', () => {
    const text = openApiTypes(
      {
        paths: {
          '/things/{id}': {
            get: {
              parameters: [
                { in: 'path', name: 'id', required: true, schema: { type: 'string' } },
                { in: 'query', name: 'kind', schema: { type: 'string' } },
              ],
              responses: {
                200: { content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } },
                204: {},
              },
            },
          },
        },
      },
      'test.json',
    );
    const got = flat(text);
    expect(got).toContain('query?: { kind?: string; }; header?: never; path: { id: string; }; cookie?: never;');
    expect(got).toContain('200: { headers: { [name: string]: unknown }; content: { "application/json": { id?: string; }; }; };');
    expect(got).toContain('204: { headers: { [name: string]: unknown }; content?: never; };');
    expect(got).toContain('post?: never;');
    expect(got).toContain('requestBody?: never;');
  });
});
