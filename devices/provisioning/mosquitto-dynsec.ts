// Provisions meters on Mosquitto through its dynamic-security plugin's MQTT API
// ($CONTROL/dynamic-security/v1), so a new meter can publish at once and only as itself.
// Mosquitto 2.0's dynsec does not substitute %u/%c in ACL topics, so each meter gets its own
// role allowing ontap/v1/meters/<id>/# (meter ids cannot hold MQTT wildcards, see topics.ts).
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { meterPublishFilter, TOPIC_PREFIX } from '../contract/topics.ts';

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;

type DynsecCommand = { command: string } & Record<string, unknown>;
interface DynsecResponse {
  command: string;
  error?: string;
  correlationData?: string;
  data?: unknown;
}

export class DynsecError extends Error {
  override name = 'DynsecError';
}

export const meterRoleName = (meterId: string) => `ontap-meter-${meterId}`;

export class MosquittoDynsec {
  private readonly pending = new Map<string, (response: DynsecResponse) => void>();

  private readonly client: MqttClient;

  private constructor(client: MqttClient) {
    this.client = client;
    client.on('message', (topic, payload) => {
      if (topic !== RESPONSE_TOPIC) return;
      const { responses } = JSON.parse(payload.toString()) as { responses: DynsecResponse[] };
      for (const response of responses) {
        const resolve = response.correlationData ? this.pending.get(response.correlationData) : undefined;
        if (resolve && response.correlationData) {
          this.pending.delete(response.correlationData);
          resolve(response);
        }
      }
    });
  }

  static async connect(url: string, admin: { username: string; password: string }): Promise<MosquittoDynsec> {
    const client = await mqtt.connectAsync(url, { ...admin, protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 10_000 });
    await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
    return new MosquittoDynsec(client);
  }

  /** Sends one command and resolves with its response; a response with an error rejects. */
  async send(command: DynsecCommand, timeoutMs = 10_000): Promise<DynsecResponse> {
    const correlationData = randomUUID();
    const response = new Promise<DynsecResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationData);
        reject(new DynsecError(`no answer to dynsec ${command.command} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationData, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    await this.client.publishAsync(CONTROL_TOPIC, JSON.stringify({ commands: [{ ...command, correlationData }] }), { qos: 1 });
    const answer = await response;
    if (answer.error) throw new DynsecError(`dynsec ${command.command}: ${answer.error}`);
    return answer;
  }

  /** Creates (or re-keys) the meter's client and its own publish-only role. Idempotent. */
  async provisionMeter(meterId: string, password: string): Promise<void> {
    const rolename = meterRoleName(meterId);
    await this.ignoreExisting(
      this.send({
        command: 'createRole',
        rolename,
        acls: [{ acltype: 'publishClientSend', topic: meterPublishFilter(meterId), priority: 0, allow: true }],
      }),
    );
    const created = await this.ignoreExisting(
      this.send({ command: 'createClient', username: meterId, password, roles: [{ rolename }] }),
    );
    if (!created) {
      await this.send({ command: 'setClientPassword', username: meterId, password });
      await this.ensureClientRole(meterId, rolename);
    }
  }

  /**
   * A gateway (LoRaWAN network server, M-Bus or Node-RED bridge) publishes for many meters, so its
   * role allows every meter topic. Idempotent.
   */
  async provisionGateway(username: string, password: string): Promise<void> {
    const rolename = 'ontap-gateway';
    await this.ignoreExisting(
      this.send({
        command: 'createRole',
        rolename,
        acls: [{ acltype: 'publishClientSend', topic: `${TOPIC_PREFIX}/#`, priority: 0, allow: true }],
      }),
    );
    const created = await this.ignoreExisting(this.send({ command: 'createClient', username, password, roles: [{ rolename }] }));
    if (!created) await this.send({ command: 'setClientPassword', username, password });
  }

  /**
   * A bridged device publishes on its own foreign topic (ONTAP_BRIDGES) with a meter's
   * credentials: that meter's role may publish there too. Fails when the meter has no role yet.
   */
  async allowMeterTopic(meterId: string, topic: string): Promise<void> {
    await this.ignoreExisting(
      this.send({
        command: 'addRoleACL',
        rolename: meterRoleName(meterId),
        acltype: 'publishClientSend',
        topic,
        priority: 0,
        allow: true,
      }),
    );
  }

  /** Lets a subscriber (ingest) subscribe to bridged foreign topics, directly and in shared groups. Idempotent. */
  async allowSubscriber(username: string, topics: readonly string[]): Promise<void> {
    const rolename = 'ontap-bridges';
    await this.ignoreExisting(this.send({ command: 'createRole', rolename }));
    for (const topic of topics) {
      for (const [acltype, filter] of [
        ['subscribePattern', topic],
        ['subscribePattern', `$share/+/${topic}`],
        ['publishClientReceive', topic],
      ] as const) {
        await this.ignoreExisting(
          this.send({ command: 'addRoleACL', rolename, acltype, topic: filter, priority: 0, allow: true }),
        );
      }
    }
    await this.ensureClientRole(username, rolename);
  }

  async removeMeter(meterId: string): Promise<void> {
    await this.ignoreMissing(this.send({ command: 'deleteClient', username: meterId }));
    await this.ignoreMissing(this.send({ command: 'deleteRole', rolename: meterRoleName(meterId) }));
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  /** Gives a client a role unless it has it (Mosquitto answers "Internal error" to adding it twice). */
  private async ensureClientRole(username: string, rolename: string): Promise<void> {
    const answer = await this.send({ command: 'getClient', username });
    const roles = (answer.data as { client?: { roles?: { rolename: string }[] } } | undefined)?.client?.roles ?? [];
    if (roles.some((role) => role.rolename === rolename)) return;
    await this.send({ command: 'addClientRole', username, rolename });
  }

  /** Resolves true when created, false when it already existed. */
  private async ignoreExisting(request: Promise<unknown>): Promise<boolean> {
    try {
      await request;
      return true;
    } catch (error) {
      if (error instanceof DynsecError && /already exists/i.test(error.message)) return false;
      throw error;
    }
  }

  private async ignoreMissing(request: Promise<unknown>): Promise<void> {
    try {
      await request;
    } catch (error) {
      if (!(error instanceof DynsecError && /not found/i.test(error.message))) throw error;
    }
  }
}
