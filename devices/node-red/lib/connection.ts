// What an ontap-server config node holds open: the API (bearer token) and one MQTT connection as
// the configured meter. Shared by every node that uses the config node.
import mqtt, { type MqttClient } from 'mqtt';
import { meterUsername } from '../../contract/identities.ts';

export interface ServerSettings {
  apiUrl: string;
  token?: string;
  brokerUrl: string;
  meterId?: string;
  meterPassword?: string;
}

export class OnTapConnection {
  readonly settings: ServerSettings;
  #client: Promise<MqttClient> | undefined;

  constructor(settings: ServerSettings) {
    this.settings = { ...settings, apiUrl: settings.apiUrl.replace(/\/+$/, '') };
  }

  /** A request to the OnTap API with the configured token. */
  api(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.settings.token) headers.set('authorization', `Bearer ${this.settings.token}`);
    return fetch(`${this.settings.apiUrl}${path}`, { ...init, headers });
  }

  /** The broker connection as the configured meter (made on first use, reconnecting by itself). */
  meterClient(): Promise<MqttClient> {
    const { brokerUrl, meterId, meterPassword } = this.settings;
    if (!meterId || !meterPassword) return Promise.reject(new Error('the ontap-server config node has no meter id and password'));
    this.#client ??= mqtt
      .connectAsync(brokerUrl, {
        // A meter's user name and its one client id (the broker refuses any other).
        username: meterUsername(meterId),
        password: meterPassword,
        clientId: meterUsername(meterId),
        // MQTT 3.1.1: OnTap's embedded broker and Mosquitto both speak it.
        protocolVersion: 4,
        reconnectPeriod: 2000,
        connectTimeout: 10_000,
      })
      .catch((error: unknown) => {
        this.#client = undefined;
        throw error;
      });
    return this.#client;
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client) await (await client.catch(() => undefined))?.endAsync(true);
  }
}
