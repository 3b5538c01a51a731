// What a test imports to reach the real services started by testing/global-setup.ts.
import { inject } from 'vitest';
import type { TestServices } from './services.ts';

export function testServices(): TestServices {
  return inject('services');
}
