// Test services from containers, for machines with a Docker engine and no ONTAP_TEST_* URLs.
// The same tests run against these as against infra/services.sh.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import type { TestServices } from './services.ts';

/** A Mosquitto dynamic-security file with an admin and the ingest service (PBKDF2-SHA512, as mosquitto_ctrl writes it). */
function dynsecFile(admin: string, adminPassword: string, ingestPassword: string): string {
  const client = (username: string, password: string, role: string) => {
    const salt = randomBytes(12);
    const hash = pbkdf2Sync(password, salt.toString('base64'), 101, 64, 'sha512');
    return {
      username,
      password: hash.toString('base64'),
      salt: salt.toString('base64'),
      iterations: 101,
      roles: [{ rolename: role }],
    };
  };
  const allow = (acltype: string, topic: string) => ({ acltype, topic, allow: true });
  return JSON.stringify({
    clients: [client(admin, adminPassword, 'admin'), client('ontap-ingest', ingestPassword, 'ontap-ingest')],
    roles: [
      {
        rolename: 'admin',
        acls: [
          ...['publishClientSend', 'publishClientReceive', 'subscribePattern'].map((type) =>
            allow(type, '$CONTROL/dynamic-security/#'),
          ),
          allow('publishClientSend', 'ontap/v1/meters/+/status'),
        ],
      },
      {
        rolename: 'ontap-ingest',
        acls: [
          allow('subscribePattern', 'ontap/v1/#'),
          allow('subscribePattern', '$share/+/ontap/v1/#'),
          allow('publishClientReceive', 'ontap/v1/#'),
        ],
      },
    ],
    // As infra/services.sh sets it: nobody receives what no role grants.
    defaultACLAccess: { publishClientSend: false, publishClientReceive: false, subscribe: false, unsubscribe: true },
  });
}

export async function startTestContainers(): Promise<{ services: TestServices; stop: () => Promise<void> }> {
  const secret = () => randomBytes(12).toString('hex');
  const adminPassword = secret();
  const ingestPassword = secret();
  const started: StartedTestContainer[] = [];
  const [postgres, mosquitto, influx] = await Promise.all([
    new GenericContainer('postgres:16')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'ontap_test' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer('eclipse-mosquitto:2')
      .withCopyContentToContainer([
        {
          content: [
            'per_listener_settings false',
            'allow_anonymous false',
            'listener 1883',
            'plugin /usr/lib/mosquitto_dynamic_security.so',
            'plugin_opt_config_file /mosquitto/data/dynamic-security.json',
            'max_packet_size 327680',
            'persistence true',
            'persistence_location /mosquitto/data/',
          ].join('\n'),
          target: '/mosquitto/config/mosquitto.conf',
        },
        {
          content: dynsecFile('ontap-admin', adminPassword, ingestPassword),
          target: '/mosquitto/data/dynamic-security.json',
          mode: 0o666,
        },
      ])
      .withExposedPorts(1883)
      .withWaitStrategy(Wait.forListeningPorts())
      .start(),
    new GenericContainer('influxdb:1.8')
      .withExposedPorts(8086)
      .withWaitStrategy(Wait.forHttp('/ping', 8086).forStatusCode(204))
      .start(),
  ]);
  started.push(postgres, mosquitto, influx);
  return {
    services: {
      source: 'testcontainers',
      databaseUrl: `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/ontap_test`,
      mqttUrl: `mqtt://${mosquitto.getHost()}:${mosquitto.getMappedPort(1883)}`,
      mqttAdmin: { username: 'ontap-admin', password: adminPassword },
      mqttIngest: { username: 'ontap-ingest', password: ingestPassword },
      influxUrl: `http://${influx.getHost()}:${influx.getMappedPort(8086)}`,
    },
    stop: async () => {
      await Promise.all(started.map((container) => container.stop()));
    },
  };
}
