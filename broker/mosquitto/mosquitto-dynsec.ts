// Provisions meters on Mosquitto through its dynamic-security plugin's MQTT API
// ($CONTROL/dynamic-security/v1), so a new meter can publish at once and only as itself.
//
// - A meter's dynsec client is `meter-<id>` (devices/contract/identities.ts): no meter id can name
//   a service account. Its client id is bound to that user name, so it cannot take another
//   client's session (ingest's, say). Its role lets it publish its readings and status and nothing else.
// - OnTap marks what it creates (`textname`) and never changes or deletes a client or role it did
//   not create for that meter: an account somebody else made is refused, not re-keyed.
// - Mosquitto 2.0's dynsec does not substitute %u/%c in ACL topics, so each meter gets its own role.
// - The connection reconnects by itself after a broker restart; a command sent while it is away
//   fails at once with a DynsecError (the API answers 503) instead of ending the process.
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { type MeterCredentialSink, MeterIdentityTakenError } from '../../devices/contract/credentials.ts';
import { meterUsername } from '../../devices/contract/identities.ts';
import { meterTopic, TOPIC_PREFIX } from '../../devices/contract/topics.ts';

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

/** The broker already has an account (or role) of that name that OnTap did not make for this meter. */
export class BrokerIdentityTakenError extends MeterIdentityTakenError {
  override name = 'BrokerIdentityTakenError';
}

export const meterRoleName = (meterId: string) => `ontap-meter-${meterId}`;
/** The mark on what OnTap created for a meter (dynsec `textname`). */
export const meterMark = (meterId: string) => `OnTap meter ${meterId}`;
const GATEWAY_MARK = 'OnTap gateway';

export class MosquittoDynsec implements MeterCredentialSink {
  private readonly pending = new Map<string, (response: DynsecResponse) => void>();

  private readonly client: MqttClient;

  private constructor(client: MqttClient) {
    this.client = client;
    client.on('message', (topic, payload) => {
      if (topic !== RESPONSE_TOPIC) return;
      let responses: DynsecResponse[] = [];
      try {
        ({ responses } = JSON.parse(payload.toString()) as { responses: DynsecResponse[] });
      } catch {
        return;
      }
      for (const response of responses ?? []) {
        const resolve = response.correlationData ? this.pending.get(response.correlationData) : undefined;
        if (resolve && response.correlationData) {
          this.pending.delete(response.correlationData);
          resolve(response);
        }
      }
    });
    // An error event without a listener would end the process (a broker restart, a refused reconnect).
    client.on('error', () => {});
  }

  static async connect(url: string, admin: { username: string; password: string }): Promise<MosquittoDynsec> {
    const client = await mqtt.connectAsync(url, {
      ...admin,
      protocolVersion: 5,
      // Reconnect after a broker restart; mqtt.js subscribes again and queues what is published meanwhile.
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
    return new MosquittoDynsec(client);
  }

  /** Sends one command and resolves with its response; a response with an error rejects. */
  async send(command: DynsecCommand, timeoutMs = 10_000): Promise<DynsecResponse> {
    // Fail at once while reconnecting: a command queued now would run later, after its caller gave up.
    if (!this.client.connected)
      throw new DynsecError(`not connected to Mosquitto (reconnecting); dynsec ${command.command} not sent`);
    const correlationData = randomUUID();
    const response = new Promise<DynsecResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationData);
        reject(new DynsecError(`no answer to dynsec ${command.command} within ${timeoutMs} ms (is Mosquitto up?)`));
      }, timeoutMs);
      this.pending.set(correlationData, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    this.client.publish(CONTROL_TOPIC, JSON.stringify({ commands: [{ ...command, correlationData }] }), { qos: 1 }, () => {});
    const answer = await response;
    if (answer.error) throw new DynsecError(`dynsec ${command.command}: ${answer.error}`);
    return answer;
  }

  /**
   * Creates the meter's client (user name `meter-<id>`, bound to `clientId`, by default the same) and its own publish-only
   * role, or re-keys them if OnTap made them for this meter. Refuses (BrokerIdentityTakenError)
   * when the name belongs to anything else.
   */
  async provisionMeter(meterId: string, password: string, clientId = meterUsername(meterId)): Promise<void> {
    const username = meterUsername(meterId);
    const rolename = meterRoleName(meterId);
    const mark = meterMark(meterId);
    const roleCreated = await this.ignoreExisting(
      this.send({
        command: 'createRole',
        rolename,
        textname: mark,
        acls: (['readings', 'status'] as const).map((kind) => ({
          acltype: 'publishClientSend',
          topic: meterTopic(meterId, kind),
          priority: 0,
          allow: true,
        })),
      }),
    );
    if (!roleCreated) await this.expectMarked('getRole', { rolename }, 'role', mark);
    const created = await this.ignoreExisting(
      this.send({ command: 'createClient', username, password, clientid: clientId, textname: mark, roles: [{ rolename }] }),
    );
    if (!created) {
      await this.expectMarked('getClient', { username }, 'client', mark);
      await this.send({ command: 'setClientPassword', username, password });
      await this.send({ command: 'setClientId', username, clientid: clientId });
      await this.ensureClientRole(username, rolename);
    }
  }

  /**
   * A gateway (LoRaWAN network server, M-Bus or Node-RED bridge) publishes for many meters, so its
   * role allows every meter topic. Gateways are operators' accounts, never an API caller's, and may
   * hold several connections (one per worker), so their client ids are not bound: give each
   * connection an id beginning with the gateway's name. Idempotent (re-keys an existing one).
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
    const created = await this.ignoreExisting(
      this.send({ command: 'createClient', username, password, textname: GATEWAY_MARK, roles: [{ rolename }] }),
    );
    if (!created) {
      await this.send({ command: 'setClientPassword', username, password });
      await this.ensureClientRole(username, rolename);
    }
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

  /**
   * Deletes the meter's client (Mosquitto disconnects it at once) and role, if OnTap made them
   * for this meter (anything else of that name is left alone), and clears its retained status. Idempotent.
   */
  async removeMeter(meterId: string): Promise<void> {
    const mark = meterMark(meterId);
    const username = meterUsername(meterId);
    if (await this.isMarked('getClient', { username }, 'client', mark))
      await this.ignoreMissing(this.send({ command: 'deleteClient', username }));
    const rolename = meterRoleName(meterId);
    if (await this.isMarked('getRole', { rolename }, 'role', mark))
      await this.ignoreMissing(this.send({ command: 'deleteRole', rolename }));
    // Clear its retained status (an empty retained message, MQTT-3.3.1-10): the admin role may
    // publish there (infra/services.sh); where it may not, Mosquitto refuses and this is all.
    await this.client.publishAsync(meterTopic(meterId, 'status'), '', { qos: 1, retain: true }).catch(() => {});
  }

  async close(): Promise<void> {
    for (const [id, resolve] of this.pending) resolve({ command: 'close', error: 'connection closed', correlationData: id });
    await this.client.endAsync(true);
  }

  /** Gives a client a role unless it has it (Mosquitto answers "Internal error" to adding it twice). */
  private async ensureClientRole(username: string, rolename: string): Promise<void> {
    const answer = await this.send({ command: 'getClient', username });
    const roles = (answer.data as { client?: { roles?: { rolename: string }[] } } | undefined)?.client?.roles ?? [];
    if (roles.some((role) => role.rolename === rolename)) return;
    await this.send({ command: 'addClientRole', username, rolename });
  }

  /** Whether the client or role exists and carries OnTap's mark; false when it does not exist. */
  private async isMarked(
    command: 'getClient' | 'getRole',
    name: Record<string, string>,
    what: 'client' | 'role',
    mark: string,
  ): Promise<boolean> {
    try {
      const answer = await this.send({ command, ...name });
      return (answer.data as Record<string, { textname?: string } | undefined> | undefined)?.[what]?.textname === mark;
    } catch (error) {
      if (error instanceof DynsecError && /not found/i.test(error.message)) return false;
      throw error;
    }
  }

  private async expectMarked(
    command: 'getClient' | 'getRole',
    name: Record<string, string>,
    what: 'client' | 'role',
    mark: string,
  ): Promise<void> {
    if (!(await this.isMarked(command, name, what, mark)))
      throw new BrokerIdentityTakenError(
        `the broker already has a ${what} ${Object.values(name)[0]} that OnTap did not make for this meter; it was left as it is`,
      );
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
