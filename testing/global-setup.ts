// Runs once before the test workers start: brings up (or finds) the real services and passes
// their addresses to the tests through vitest's provide/inject, and builds the dashboard from its
// current source (the browser tests, and `ontap start` in them, serve dashboard/dist).
import { join } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { obtainTestServices, type TestServices } from './services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
  }
}

export default async function setup(project: TestProject) {
  const [{ services, stop }] = await Promise.all([
    obtainTestServices(),
    build({ configFile: join(import.meta.dirname, '..', 'dashboard', 'vite.config.ts') }),
  ]);
  project.provide('services', services);
  return stop;
}
