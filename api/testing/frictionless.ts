// Checks a Frictionless Data Package as a reader would: the descriptor against the standard's own
// JSON Schemas (Data Package v2.0, vendored in ./frictionless/), each resource's Table Schema
// against the Table Schema profile, and each CSV against its schema: bytes and hash, header,
// types, constraints and primary key. Returns the problems found, in words (none: valid).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const profile = (name: string) => JSON.parse(readFileSync(new URL(`./frictionless/${name}`, import.meta.url), 'utf8'));

// ajv-formats is CommonJS: under Node's ESM the plugin is the module's `default`.
const addFormats = addFormatsModule.default;

function compiler(): Ajv {
  // The profiles carry editor hints (propertyOrder, context, options) that strict mode refuses.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // An editor hint of the profiles, not a format of values.
  ajv.addFormat('textarea', true);
  return ajv;
}

let validators: { dataPackage: ValidateFunction; tableSchema: ValidateFunction } | undefined;
function profiles() {
  if (!validators) {
    const ajv = compiler();
    validators = { dataPackage: ajv.compile(profile('datapackage.json')), tableSchema: ajv.compile(profile('tableschema.json')) };
  }
  return validators;
}

export interface TableField {
  name: string;
  type: string;
  constraints?: { required?: boolean; enum?: string[]; minimum?: number | string; maximum?: number | string };
}
export interface TableResource {
  name: string;
  path: string;
  bytes: number;
  hash: string;
  schema: { fields: TableField[]; primaryKey: string[]; missingValues: string[] };
}
export interface DataPackage {
  resources: TableResource[];
  [property: string]: unknown;
}

const ajvProblems = (what: string, validate: ValidateFunction) =>
  (validate.errors ?? []).map((e) => `${what}${e.instancePath}: ${e.message}`);

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; every line ends with CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) field += c;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += c;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** A cell read as its field's type: null when missing, undefined when it is not of the type. */
function typed(field: TableField, cell: string, missing: readonly string[]): string | number | null | undefined {
  if (missing.includes(cell)) return null;
  switch (field.type) {
    case 'integer':
      return /^-?\d+$/.test(cell) ? Number(cell) : undefined;
    case 'number':
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(cell) ? Number(cell) : undefined;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(cell) && new Date(`${cell}T00:00:00Z`).toISOString().startsWith(cell) ? cell : undefined;
    default:
      return cell;
  }
}

/** Problems of one CSV against its resource's descriptor; the rows as typed values. */
export function checkTable(resource: TableResource, content: string): { problems: string[]; rows: Record<string, unknown>[] } {
  const problems: string[] = [];
  const where = resource.path;
  if (Buffer.byteLength(content, 'utf8') !== resource.bytes) problems.push(`${where}: bytes differ from the descriptor's`);
  if (`sha256:${createHash('sha256').update(content, 'utf8').digest('hex')}` !== resource.hash)
    problems.push(`${where}: hash differs from the descriptor's`);
  const [header = [], ...lines] = parseCsv(content);
  const { fields, primaryKey, missingValues } = resource.schema;
  if (JSON.stringify(header) !== JSON.stringify(fields.map((f) => f.name)))
    problems.push(`${where}: header ${header.join(',')} is not the schema's fields`);
  const keys = new Set<string>();
  const rows = lines.map((line, index) => {
    const at = `${where} row ${index + 2}`;
    if (line.length !== fields.length) problems.push(`${at}: ${line.length} cells for ${fields.length} fields`);
    const row: Record<string, unknown> = {};
    fields.forEach((field, i) => {
      const value = typed(field, line[i] ?? '', missingValues);
      const c = field.constraints ?? {};
      if (value === undefined) problems.push(`${at}: ${field.name} "${line[i]}" is not a ${field.type}`);
      else if (value === null && c.required) problems.push(`${at}: ${field.name} is required`);
      else if (value !== null) {
        if (c.enum && !c.enum.includes(String(value))) problems.push(`${at}: ${field.name} "${value}" is not one of ${c.enum}`);
        if (c.minimum !== undefined && value < c.minimum) problems.push(`${at}: ${field.name} ${value} is below ${c.minimum}`);
        if (c.maximum !== undefined && value > c.maximum) problems.push(`${at}: ${field.name} ${value} is above ${c.maximum}`);
      }
      row[field.name] = value;
    });
    const key = JSON.stringify(primaryKey.map((name) => row[name]));
    if (keys.has(key)) problems.push(`${at}: primary key ${key} repeats`);
    keys.add(key);
    return row;
  });
  return { problems, rows };
}

/**
 * Every problem of a package: its descriptor against the Data Package profile, each resource's
 * schema against the Table Schema profile, each file against its schema (`files` by path).
 */
export function checkDataPackage(descriptor: DataPackage, files: ReadonlyMap<string, string>): string[] {
  const { dataPackage, tableSchema } = profiles();
  const problems = dataPackage(descriptor) ? [] : ajvProblems('datapackage.json', dataPackage);
  for (const resource of descriptor.resources) {
    if (!tableSchema(resource.schema)) problems.push(...ajvProblems(`${resource.name}.schema`, tableSchema));
    const content = files.get(resource.path);
    if (content === undefined) problems.push(`${resource.path}: no such file`);
    else problems.push(...checkTable(resource, content).problems);
  }
  return problems;
}

/** Whether the profiles catch a broken descriptor (the check is not vacuous). */
export function dataPackageProblems(descriptor: unknown): string[] {
  const { dataPackage } = profiles();
  return dataPackage(descriptor) ? [] : ajvProblems('datapackage.json', dataPackage);
}
