// Publishes a simulation to a real broker as it unfolds: QoS 1, optionally faster than real time,
// never ahead of the real clock (the contract refuses readings from the future).
// Two ways to connect: one MQTT client per meter (its own credentials from the manifest), or a
// few gateway connections carrying many meters, as a LoRaWAN or M-Bus gateway would.
import mqtt, { type MqttClient } from 'mqtt';
import { meterUsername } from '../devices/contract/identities.ts';
import { meterTopic } from '../devices/contract/topics.ts';
import { hashString } from '../lib/random.ts';
import type { MessageSink } from './generate.ts';
import type { Manifest } from './manifest.ts';

export interface LiveOptions {
  url: string;
  /** Simulated milliseconds per real millisecond. */
  speed: number;
  /** MQTT protocol version: 4 (3.1.1, every broker, the embedded one too) or 5. */
  protocolVersion: 4 | 5;
  /** Gateway credentials; when absent, each meter connects as itself. */
  gateway?: { username: string; password: string; connections: number };
  /** Most publishes waiting for PUBACK before the generator waits. */
  maxInFlight?: number;
}

export class LiveMqttSink implements MessageSink {
  private readonly clients = new Map<string, MqttClient>();
  private gatewayClients: MqttClient[] = [];
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private firstAt?: number;
  private closed = false;
  private sleeping?: { timer: NodeJS.Timeout; wake: () => void };
  private startedAt = 0;
  published = 0;
  failed = 0;
  lastError?: Error;

  private readonly options: LiveOptions;

  private constructor(options: LiveOptions) {
    this.options = options;
  }

  static async connect(options: LiveOptions, manifest: Manifest): Promise<LiveMqttSink> {
    const sink = new LiveMqttSink(options);
    const common = { protocolVersion: options.protocolVersion, reconnectPeriod: 1000, connectTimeout: 10_000 } as const;
    if (options.gateway) {
      const { username, password, connections } = options.gateway;
      sink.gatewayClients = await Promise.all(
        Array.from({ length: connections }, (_, i) =>
          mqtt.connectAsync(options.url, { ...common, username, password, clientId: `ontap-sim-gw-${i}-${process.pid}` }),
        ),
      );
    } else {
      for (const meter of manifest.meters) {
        const status = meterTopic(meter.id, 'status');
        const client = await mqtt.connectAsync(options.url, {
          ...common,
          // The broker accepts a meter only under its own user name and client id.
          username: meterUsername(meter.id),
          password: meter.password,
          clientId: meterUsername(meter.id),
          will: { topic: status, payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
        });
        await client.publishAsync(status, '{"online":true}', { qos: 1, retain: true });
        sink.clients.set(`ontap/v1/meters/${meter.id}/readings`, client);
      }
    }
    return sink;
  }

  private clientFor(topic: string): MqttClient {
    const own = this.clients.get(topic);
    if (own) return own;
    const gateways = this.gatewayClients;
    return gateways[hashString(topic) % gateways.length] as MqttClient;
  }

  message(topic: string, payload: string): void {
    this.inFlight++;
    this.clientFor(topic).publish(topic, payload, { qos: 1 }, (error) => {
      this.inFlight--;
      if (error) {
        this.failed++;
        this.lastError = error;
      } else this.published++;
      if (this.inFlight < (this.options.maxInFlight ?? 5000)) for (const wake of this.waiters.splice(0)) wake();
    });
  }

  async tick(at: number): Promise<void> {
    if (this.firstAt === undefined) {
      this.firstAt = at;
      this.startedAt = Date.now();
    }
    while (this.inFlight >= (this.options.maxInFlight ?? 5000)) await new Promise<void>((resolve) => this.waiters.push(resolve));
    // Pace: simulated time runs `speed` times faster than the wall clock, and never past now.
    const wallDue = Math.max(this.startedAt + (at - this.firstAt) / this.options.speed, at);
    const wait = wallDue - Date.now();
    if (wait > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        this.sleeping = { timer: setTimeout(resolve, wait), wake: resolve };
      });
      this.sleeping = undefined;
    }
  }

  /** Waits for every PUBACK, then disconnects (meters say goodbye offline). A paced tick returns at once. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.wake();
    }
    while (this.inFlight > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    for (const [topic, client] of this.clients) {
      await client.publishAsync(topic.replace(/readings$/, 'status'), '{"online":false}', { qos: 1, retain: true });
    }
    await Promise.all([...this.clients.values(), ...this.gatewayClients].map((client) => client.endAsync()));
  }
}
