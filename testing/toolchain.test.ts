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
