// The layers, enforced: each top-level folder may import only the folders below it, SQL lives only
// under storage/, and production code never imports test support. A new folder must be given
// its place here before anything imports it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** Each layer and what it may import besides itself. `*` is wiring: it may import anything. */
const mayImport: Record<string, readonly string[] | '*'> = {
  lib: [],
  config: ['lib'],
  devices: ['lib'],
  domain: ['lib', 'devices'],
  storage: ['lib', 'devices', 'domain', 'config'],
  broker: ['lib', 'devices', 'storage'],
  ingest: ['lib', 'devices', 'storage'],
  dashboard: ['lib'],
  api: ['lib', 'devices', 'domain', 'storage', 'config', 'dashboard'],
  simulators: ['lib', 'devices'],
  demo: ['lib', 'devices', 'domain', 'storage', 'broker', 'ingest', 'api', 'simulators', 'config'],
  cli: '*',
  bin: '*',
  bench: '*',
  testing: '*',
  infra: '*',
};

const skippedDirs = new Set(['node_modules', '.git', '.ontap', 'artifacts', 'public']);

function sourceFiles(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return skippedDirs.has(entry.name) ? [] : sourceFiles(join(dir, entry.name));
    return /\.(ts|js|mjs)$/.test(entry.name) ? [relative(root, join(dir, entry.name))] : [];
  });
}

/** Benchmarks run the system the way its tests do: they may use test support. */
const mayUseTestSupport = new Set(['bench']);

/** Test files and testing/ folders wire whatever they test, like the CLI. */
const isTestSupport = (file: string) => /\.test\.ts$/.test(file) || file.split('/').includes('testing');

const importPattern =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function relativeImports(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  return [...source.matchAll(importPattern)].map((match) => normalize(join(dirname(file), match[1] ?? match[2] ?? '')));
}

const layerOf = (file: string) => (file.includes('/') ? (file.split('/')[0] ?? '') : '.');

const files = sourceFiles();

describe('layers', () => {
  it('every top-level folder with code has a place in the rules', () => {
    const unplaced = [...new Set(files.map(layerOf))].filter((layer) => layer !== '.' && !(layer in mayImport));
    expect(unplaced).toStrictEqual([]);
  });

  it('production code imports only the layers below it, and no test support', () => {
    const crossings = files
      .filter((file) => !isTestSupport(file) && layerOf(file) !== '.')
      .flatMap((file) =>
        relativeImports(file).flatMap((target) => {
          const from = layerOf(file);
          const to = layerOf(target);
          const allowed = mayImport[from];
          if (isTestSupport(target) && !mayUseTestSupport.has(from)) return [`${file} → ${target} (test support)`];
          if (to === from || allowed === '*' || allowed?.includes(to)) return [];
          return [`${file} → ${target} (${from} may import ${allowed?.join(', ') || 'nothing of ours'})`];
        }),
      );
    expect(crossings).toStrictEqual([]);
  });

  it('finds a crossing when there is one (the rule is not vacuous)', () => {
    const imports = relativeImports('api/app.ts');
    expect(imports.some((target) => layerOf(target) === 'storage')).toBe(true);
    expect(imports.length).toBeGreaterThan(5);
  });
});

describe('SQL', () => {
  // Statements in any case, not words: "select" alone in prose or a CSS selector does not count.
  const sql =
    /\b(SELECT\s+(?:[\w*(,.\s]+?)\s+FROM\s+\w|SELECT\s+(?:1|\*|count|pg_\w+|now)\b|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|(?:CREATE|DROP|ALTER)\s+(?:TABLE|INDEX|DATABASE|VIEW|TRIGGER|FUNCTION|EXTENSION)|TRUNCATE\s+(?:TABLE\s+)?\w|NOTIFY\s+\w|LISTEN\s+\w|COPY\s+\w+\s+(?:FROM|TO)|SHOW\s+(?:MEASUREMENTS|SERIES|DATABASES|TAG))\b/i;

  it('is written only under storage/', () => {
    const outside = files.filter((file) => layerOf(file) !== 'storage' && sql.test(readFileSync(join(root, file), 'utf8')));
    expect(outside).toStrictEqual([]);
  });
});

describe('routes', () => {
  const MAX_HANDLER_LINES = 40;
  const routeFiles = files.filter((file) => file.startsWith('api/routes/') && !isTestSupport(file));

  /** Each handler `async (request…) => {` and its length up to the brace that closes it (the formatter keeps indents). */
  function handlerLengths(file: string): { line: number; lines: number }[] {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    return lines.flatMap((text, index) => {
      const start = /^(\s*)(?:handler:\s*)?async\s*\((?:_?request|_?req)\b[^)]*\)\s*(?::[^=]+)?=>\s*\{$/.exec(text);
      if (!start) return [];
      const indent = start[1] ?? '';
      const end = lines.findIndex((other, at) => at > index && new RegExp(`^${indent}\\}`).test(other));
      return [{ line: index + 1, lines: end - index + 1 }];
    });
  }

  it('finds the handlers (the check is not vacuous)', () => {
    expect(routeFiles.flatMap(handlerLengths).length).toBeGreaterThan(20);
  });

  it(`have no handler over ${MAX_HANDLER_LINES} lines: the work is in services`, () => {
    const long = routeFiles.flatMap((file) =>
      handlerLengths(file)
        .filter((handler) => handler.lines > MAX_HANDLER_LINES)
        .map((handler) => `${file}:${handler.line} (${handler.lines} lines)`),
    );
    expect(long).toStrictEqual([]);
  });
});
