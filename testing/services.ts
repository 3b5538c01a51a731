// Where the tests find real services (PostgreSQL, Mosquitto, InfluxDB). One provider, three
// sources, the same tests either way:
//   1. URLs in the environment (ONTAP_TEST_*), as a CI system with its own services gives them;
//   2. infra/services.sh on a Debian-like machine, which installs and starts what is missing;
//   3. testcontainers where a Docker engine answers.
// Anything else is a failure with one message saying what to install; tests never skip.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface TestServices {
  source: 'environment' | 'infra-script' | 'testcontainers';
  databaseUrl: string;
  mqttUrl: string;
  mqttAdmin: { username: string; password: string };
  mqttIngest: { username: string; password: string };
  influxUrl: string;
  /** Only where infra/services.sh runs them: lets fault tests stop and restart a service. */
  processes?: { mosquittoPidFile: string; mosquittoConf: string; influxdPidFile: string; influxdConf: string };
}

const required = [
  'ONTAP_TEST_DATABASE_URL',
  'ONTAP_TEST_MQTT_URL',
  'ONTAP_TEST_MQTT_ADMIN_USER',
  'ONTAP_TEST_MQTT_ADMIN_PASSWORD',
  'ONTAP_TEST_MQTT_INGEST_USER',
  'ONTAP_TEST_MQTT_INGEST_PASSWORD',
  'ONTAP_TEST_INFLUX_URL',
] as const;

export function fromVariables(vars: Record<string, string | undefined>, source: TestServices['source']): TestServices {
  const missing = required.filter((name) => !vars[name]);
  if (missing.length > 0) throw new Error(`test services: missing ${missing.join(', ')}`);
  const services: TestServices = {
    source,
    databaseUrl: vars.ONTAP_TEST_DATABASE_URL as string,
    mqttUrl: vars.ONTAP_TEST_MQTT_URL as string,
    mqttAdmin: { username: vars.ONTAP_TEST_MQTT_ADMIN_USER as string, password: vars.ONTAP_TEST_MQTT_ADMIN_PASSWORD as string },
    mqttIngest: {
      username: vars.ONTAP_TEST_MQTT_INGEST_USER as string,
      password: vars.ONTAP_TEST_MQTT_INGEST_PASSWORD as string,
    },
    influxUrl: vars.ONTAP_TEST_INFLUX_URL as string,
  };
  if (vars.ONTAP_TEST_MOSQUITTO_PID_FILE && vars.ONTAP_TEST_INFLUXD_PID_FILE) {
    services.processes = {
      mosquittoPidFile: vars.ONTAP_TEST_MOSQUITTO_PID_FILE,
      mosquittoConf: vars.ONTAP_TEST_MOSQUITTO_CONF ?? '',
      influxdPidFile: vars.ONTAP_TEST_INFLUXD_PID_FILE,
      influxdConf: vars.ONTAP_TEST_INFLUXD_CONF ?? '',
    };
  }
  return services;
}

export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) vars[match[1] as string] = match[2] as string;
  }
  return vars;
}

async function canRunInfraScript(): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  try {
    await run('bash', ['-c', 'command -v apt-get || (command -v influxd && command -v mosquitto && command -v pg_isready)']);
    return true;
  } catch {
    return false;
  }
}

async function dockerAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function fromInfraScript(): Promise<TestServices> {
  try {
    await run('bash', [join(repoDir, 'infra/services.sh'), 'up'], { timeout: 600_000 });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`infra/services.sh up failed: ${(stderr || stdout || String(error)).trim()}`);
  }
  const { stdout } = await run('bash', [join(repoDir, 'infra/services.sh'), 'env']);
  return fromVariables(parseEnvFile(stdout), 'infra-script');
}

/** Finds or starts the services; called once per test run from testing/global-setup.ts. */
export async function obtainTestServices(): Promise<{ services: TestServices; stop?: () => Promise<void> }> {
  if (required.every((name) => process.env[name])) return { services: fromVariables(process.env, 'environment') };
  if (await canRunInfraScript()) return { services: await fromInfraScript() };
  if (await dockerAnswers()) {
    const { startTestContainers } = await import('./containers.ts');
    return startTestContainers();
  }
  throw new Error(
    'The integration tests need PostgreSQL, Mosquitto (with its dynamic-security plugin) and InfluxDB. ' +
      'Give their URLs as ONTAP_TEST_* variables (see testing/README.md), run on a Debian machine where ' +
      'infra/services.sh may install them, or install Docker so testcontainers can start them.',
  );
}

export const readRepoFile = (path: string) => readFile(join(repoDir, path), 'utf8');
