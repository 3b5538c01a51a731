// What both MQTT intakes (paced-intake.ts, mqttjs-intake.ts) are told about their broker.

export interface MqttIntakeOptions {
  /** mqtt:// or mqtts:// (mqtt.js also ws:// and wss://) */
  url: string;
  username?: string;
  password?: string;
  /** Fixed, so the broker keeps this consumer's session (and queued messages) across restarts. */
  clientId: string;
  /** 5 for external brokers (session expiry, shared subscriptions); 4 for the embedded Aedes. */
  protocolVersion: 4 | 5;
  /** Join a shared subscription group ($share/GROUP/…) so several ingest processes split the load. */
  sharedGroup?: string;
  /** How long the broker keeps the session while ingest is away (MQTT 5; default 7 days). */
  sessionExpirySeconds?: number;
  /** Wait between reconnection attempts (default 1 s). */
  reconnectMs?: number;
  /** Paced subscriber only: pause after each socket read so the next carries a burst (default 1 ms; 0 reads at once). */
  readPauseMs?: number;
}

export const DEFAULT_SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;

/** The filters subscribed to: each in the shared group, when there is one. */
export const subscribedTopics = (topics: readonly string[], sharedGroup?: string): string[] =>
  sharedGroup ? topics.map((topic) => `$share/${sharedGroup}/${topic}`) : [...topics];

/** The session expiry to ask for: MQTT 3.1.1 has none. */
export const sessionExpiryOf = (options: MqttIntakeOptions): number | undefined =>
  options.protocolVersion === 5 ? (options.sessionExpirySeconds ?? DEFAULT_SESSION_EXPIRY_SECONDS) : undefined;
