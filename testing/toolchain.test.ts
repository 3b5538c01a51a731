import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('toolchain', () => {
  it('runs the tests on Node.js 24 (the node package, not the machine’s Node)', () => {
    expect(process.versions.node.startsWith('24.')).toBe(true);
  });
  it('declares Node 24 in engines and .nvmrc', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.engines.node).toMatch(/24/);
    expect(pkg.devDependencies.node).toMatch(/^\^24/);
    expect((await readFile(new URL('../.nvmrc', import.meta.url), 'utf8')).trim()).toBe('24');
  });
});

describe('lock file', () => {
  // `npm ci` refuses a lock that lacks any platform's optional package (Biome's did once): every
  // optional dependency of every locked package must be locked too, whatever machine wrote it.
  it('locks every optional dependency of every locked package, so npm ci works on any platform', async () => {
    const lock = JSON.parse(await readFile(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, { optionalDependencies?: Record<string, string> }>;
    };
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        // npm resolves from the package's own node_modules up to the root's.
        const candidates = [];
        for (let at = path; ; at = at.slice(0, Math.max(0, at.lastIndexOf('/node_modules/')))) {
          candidates.push(`${at ? `${at}/` : ''}node_modules/${name}`);
          if (!at.includes('/node_modules/')) {
            candidates.push(`node_modules/${name}`);
            break;
          }
        }
        if (!candidates.some((candidate) => candidate in lock.packages)) missing.push(`${path || '(root)'} → ${name}`);
      }
    }
    expect(missing).toStrictEqual([]);
  });
});

describe('ingest launch flags', () => {
  it('npm run ingest uses the same V8 flags as the tests and the benchmark', async () => {
    const { INGEST_NODE_FLAGS } = await import('../ingest/runtime-flags.ts');
    const scripts = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts.ingest).toBe(`node ${INGEST_NODE_FLAGS.join(' ')} cli/ontap.ts ingest`);
  });
});

describe('README', () => {
  it('documents every configuration variable', async () => {
    const { configVariables } = await import('../config/config.ts');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const missing = Object.keys(configVariables).filter((name) => !readme.includes(`| \`${name}\``));
    expect(missing).toStrictEqual([]);
  });
});
