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
