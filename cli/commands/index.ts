// The subcommands of `ontap`. Each is a small module, loaded only when it runs (so `ontap
// ingest` does not carry the simulator or the embedded broker); adding a command is one entry here.

export interface Command {
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

export const commands: Record<string, CommandEntry> = {
  start: {
    summary: 'run OnTap on this machine: broker, ingest, API, dashboard and a demo neighbourhood',
    load: async () => (await import('./start.ts')).startCommand,
  },
  api: {
    summary: 'run the API alone (households, challenges, leaderboards) against external services',
    load: async () => (await import('./api.ts')).apiCommand,
  },
  ingest: {
    summary: 'run ingest: MQTT → spool → readings store (InfluxDB or embedded)',
    load: async () => (await import('./ingest.ts')).ingestCommand,
  },
  simulate: {
    summary: 'simulate a neighbourhood’s meters: to an NDJSON file, a manifest, or live over MQTT',
    load: async () => (await import('./simulate.ts')).simulateCommand,
  },
  decode: {
    summary: 'check a device: what a Tasmota/ESPHome/TTN/Glow/wM-Bus/Zigbee message becomes, or why it is refused',
    load: async () => (await import('./decode.ts')).decodeCommand,
  },
  'node-red': {
    summary: 'run Node-RED with the OnTap nodes and their example flows (editor on --port, default 1880)',
    load: async () => (await import('./node-red.ts')).nodeRedCommand,
  },
  config: {
    summary: 'print the configuration in force (secrets masked)',
    load: async () => (await import('./config.ts')).configCommand,
  },
};
