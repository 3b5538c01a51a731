import { defineConfig } from 'vitest/config';
import { classifyTests } from './testing/test-kinds.ts';

// Two projects: `unit` needs nothing installed (npm run test:unit); `services` talks to the real
// Mosquitto, InfluxDB, PostgreSQL and Chromium that testing/global-setup.ts brings up or finds.
// `npm test` runs both.
const { unit, services } = classifyTests(import.meta.dirname);

export default defineConfig({
  test: {
    exclude: ['node_modules/**', '.ontap/**', 'devices/node-red/node_modules/**'],
    // Two files at a time even on two cores: most of a service test's time is spent waiting on the
    // services, which have cores of their own to use meanwhile.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: unit } },
      { extends: true, test: { name: 'services', include: services, globalSetup: ['./testing/global-setup.ts'] } },
    ],
  },
});
