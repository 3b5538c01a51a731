// The OpenAPI document as TypeScript types in the shape openapi-fetch reads (`paths`,
// `components`), for the dashboard's typed client (dashboard/src/api/).
//
// Why not openapi-typescript: it builds its output with the TypeScript 5 compiler API (a peer
// dependency), and TypeScript 7, this project's compiler, has no such API; installing both hands
// the `tsc` command to TypeScript 5. This covers what zod's JSON Schema output uses (objects,
// arrays, enums, nullable, $ref to components, string formats); anything else fails loudly.

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  $ref?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
  [key: string]: unknown;
};

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: Schema;
  description?: string;
}

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: Schema }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

// Status codes stay numbers: openapi-fetch picks responses by numeric key (200, 404).
const key = (name: string) => (IDENTIFIER.test(name) || /^[1-9]\d*$/.test(name) ? name : JSON.stringify(name));
const indent = (text: string, by = '  ') => text.replace(/\n/g, `\n${by}`);

function objectType(entries: { name: string; optional: boolean; type: string }[]): string {
  if (entries.length === 0) return 'Record<string, never>';
  return `{\n${entries.map((e) => `  ${key(e.name)}${e.optional ? '?' : ''}: ${indent(e.type)};`).join('\n')}\n}`;
}

/** One JSON Schema (OpenAPI 3.0 flavour) as a TypeScript type. */
export function schemaType(schema: Schema, where = 'schema'): string {
  const base = nonNullType(schema, where);
  return schema.nullable && base !== 'null' ? `${base} | null` : base;
}

function nonNullType(schema: Schema, where: string): string {
  if (schema.$ref) {
    const name = schema.$ref.match(/^#\/components\/schemas\/(.+)$/)?.[1];
    if (!name) throw new Error(`${where}: unsupported $ref ${schema.$ref}`);
    return `components['schemas'][${JSON.stringify(name)}]`;
  }
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  for (const combinator of ['anyOf', 'oneOf'] as const) {
    const options = schema[combinator];
    if (options) return options.map((option, i) => `(${schemaType(option, `${where}.${combinator}[${i}]`)})`).join(' | ');
  }
  if (schema.allOf) return schema.allOf.map((part, i) => `(${schemaType(part, `${where}.allOf[${i}]`)})`).join(' & ');
  const type = schema.type;
  if (Array.isArray(type)) return type.map((t) => nonNullType({ ...schema, type: t }, where)).join(' | ');
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `(${schema.items ? schemaType(schema.items, `${where}.items`) : 'unknown'})[]`;
    case 'object':
    case undefined: {
      if (type === undefined && !schema.properties) return 'unknown';
      const required = new Set(schema.required ?? []);
      const properties = Object.entries(schema.properties ?? {}).map(([name, property]) => ({
        name,
        optional: !required.has(name),
        type: schemaType(property, `${where}.${name}`),
      }));
      const extra = schema.additionalProperties;
      if (extra && typeof extra === 'object') {
        const values = schemaType(extra, `${where}[*]`);
        return properties.length === 0 ? `Record<string, ${values}>` : `${objectType(properties)} & Record<string, ${values}>`;
      }
      return objectType(properties);
    }
    default:
      throw new Error(`${where}: unsupported schema type ${JSON.stringify(type)}`);
  }
}

function parametersType(parameters: Parameter[], where: string): string {
  const sections = (['query', 'header', 'path', 'cookie'] as const).map((location) => {
    const here = parameters.filter((p) => p.in === location);
    if (here.length === 0) return { name: location, optional: true, type: 'never' };
    const type = objectType(
      here.map((p) => ({ name: p.name, optional: !p.required, type: schemaType(p.schema, `${where} ${location} ${p.name}`) })),
    );
    return { name: location, optional: !here.some((p) => p.required), type };
  });
  return objectType(sections);
}

function contentType(content: Record<string, { schema: Schema }> | undefined, where: string): string | undefined {
  if (!content) return undefined;
  return objectType(
    Object.entries(content).map(([mediaType, { schema }]) => ({
      name: mediaType,
      optional: false,
      type: schemaType(schema, `${where} ${mediaType}`),
    })),
  );
}

function operationType(operation: Operation, where: string): string {
  const body = operation.requestBody;
  const responses = Object.entries(operation.responses).map(([status, response]) => {
    const content = contentType(response.content, `${where} ${status}`);
    return {
      name: status,
      optional: false,
      type: objectType([
        { name: 'headers', optional: false, type: '{ [name: string]: unknown }' },
        { name: 'content', optional: content === undefined, type: content ?? 'never' },
      ]),
    };
  });
  return objectType([
    { name: 'parameters', optional: false, type: parametersType(operation.parameters ?? [], where) },
    {
      name: 'requestBody',
      optional: !body?.required,
      type: body ? objectType([{ name: 'content', optional: false, type: contentType(body.content, where) as string }]) : 'never',
    },
    { name: 'responses', optional: false, type: objectType(responses) },
  ]);
}

/** The whole document as a module exporting `paths` and `components`. */
export function openApiTypes(document: OpenApiDocument, source: string): string {
  const paths = Object.entries(document.paths).map(([path, item]) => {
    const methods = METHODS.flatMap((method) =>
      item[method]
        ? [{ name: method, optional: false, type: operationType(item[method], `${method.toUpperCase()} ${path}`) }]
        : [],
    );
    const absent = METHODS.filter((method) => !item[method]).map((method) => ({ name: method, optional: true, type: 'never' }));
    const pathParameters = {
      name: 'parameters',
      optional: false,
      type: '{ query?: never; header?: never; path?: never; cookie?: never }',
    };
    return { name: path, optional: false, type: objectType([pathParameters, ...methods, ...absent]) };
  });
  const schemas = Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => ({
    name,
    optional: false,
    type: schemaType(schema, `components.schemas.${name}`),
  }));
  return [
    `// Generated from ${source} by \`npm run openapi\` (api/openapi-types.ts). Do not edit.`,
    '/* eslint-disable */',
    `export interface paths ${objectType(paths)}`,
    '',
    `export interface components ${objectType([{ name: 'schemas', optional: false, type: objectType(schemas) }])}`,
    '',
  ].join('\n');
}
