// Which test files need the real services (Mosquitto, InfluxDB, PostgreSQL) or Chromium, and which
// run on a bare machine: `npm run test:unit` runs the second kind. Decided from the source, not
// from a list: a test file needs services when it, or any file it imports, reaches the services
// that testing/global-setup.ts provides, or drives a browser.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const skippedDirs = new Set(['node_modules', '.git', '.ontap', 'artifacts', 'public']);
/** What makes a file need a service by itself. */
const needsServices = /from\s+['"](?:playwright-core|testcontainers)['"]|\binject\(\s*['"]services['"]\s*\)/;
const relativeImport = /(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function testFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return skippedDirs.has(entry.name) ? [] : testFiles(root, join(dir, entry.name));
    return entry.name.endsWith('.test.ts') ? [relative(root, join(dir, entry.name))] : [];
  });
}

export function classifyTests(root: string): { unit: string[]; services: string[] } {
  const verdicts = new Map<string, boolean>();
  const reaches = (file: string): boolean => {
    const known = verdicts.get(file);
    if (known !== undefined) return known;
    verdicts.set(file, false); // an import cycle adds nothing
    const path = join(root, file);
    if (!existsSync(path)) return false;
    const source = readFileSync(path, 'utf8');
    const verdict =
      needsServices.test(source) ||
      [...source.matchAll(relativeImport)].some((match) => reaches(normalize(join(dirname(file), match[1] ?? match[2] ?? ''))));
    verdicts.set(file, verdict);
    return verdict;
  };
  const all = testFiles(root);
  return { unit: all.filter((file) => !reaches(file)), services: all.filter(reaches) };
}
