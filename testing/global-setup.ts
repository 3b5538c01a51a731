// Runs once before the test workers start: brings up (or finds) the real services and passes
// their addresses to the tests through vitest's provide/inject.
import type { TestProject } from 'vitest/node';
import { obtainTestServices, type TestServices } from './services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
  }
}

export default async function setup(project: TestProject) {
  const { services, stop } = await obtainTestServices();
  project.provide('services', services);
  return stop;
}
