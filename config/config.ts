// OnTap's configuration: environment variables, validated once at start-up.
// One zod schema per variable gives the validation, the type and the README table's text.

import { isIP } from 'node:net';
import { z } from 'zod';
import { mqttIntakeKinds } from '../lib/intake-kinds.ts';
import { passwordProblem } from '../lib/passwords.ts';

const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected a whole port number')
  .min(0, 'expected a port number from 0 to 65535')
  .max(65535, 'expected a port number from 0 to 65535');

const urlWithProtocols = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'expected an IANA time zone such as Europe/London' },
);

// proxy-addr's names for ranges (loopback, linklocal, uniquelocal), or an IPv4/IPv6 address with an optional /prefix.
const proxyRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (entry: string) => {
  if (proxyRanges.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
};

/** off, a hop count, or addresses: what Fastify's trustProxy takes. */
const trustProxy = z
  .string()
  .trim()
  .default('off')
  .transform((value, context): false | number | string[] => {
    if (value === 'off') return false;
    if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 10) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every(isProxyAddress)) return entries;
    context.addIssue({
      code: 'custom',
      message: 'expected off, a number of proxy hops from 1 to 10, or proxy addresses (e.g. 10.0.0.5,10.1.0.0/16 or loopback)',
    });
    return z.NEVER;
  });

/** An ISO 4217 code the platform can format (GBP, EUR, USD…). */
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency code of three capital letters, such as GBP' })
  .refine((code) => Intl.supportedValuesOf('currency').includes(code), { error: 'expected a known ISO 4217 currency code' });

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every variable OnTap reads, with its default and whether it holds a secret. */
export const configVariables = {
  ONTAP_HTTP_PORT: { schema: port.default(3000), secret: false, help: 'HTTP port of the API and dashboard' },
  ONTAP_HTTP_HOST: {
    schema: z.string().min(1).default('127.0.0.1'),
    secret: false,
    help: 'address the API listens on (0.0.0.0 for all)',
  },
  ONTAP_PUBLIC_URL: {
    schema: urlWithProtocols(['http:', 'https:']).optional(),
    secret: false,
    help: "the address residents open OnTap at (e.g. https://ontap.example.org), printed in invitation letters' links and QR codes; unset: the address the champion's request came to",
  },
  ONTAP_ADMIN_EMAIL: {
    schema: z.email('expected an email address').optional(),
    secret: false,
    help: 'first run: create this admin account',
  },
  ONTAP_ADMIN_PASSWORD: {
    // The sign-up rule (lib/passwords.ts) holds for the first admin too.
    schema: z
      .string()
      .superRefine((password, context) => {
        const problem = passwordProblem(password);
        if (problem) context.addIssue({ code: 'custom', message: `a stronger password is needed: ${problem}` });
      })
      .optional(),
    secret: true,
    help: "first run: the admin's password (without both, a one-time setup code is printed)",
  },
  ONTAP_TRUST_PROXY: {
    schema: trustProxy,
    secret: false,
    help: 'which reverse proxies to believe about the client address and https: off, a hop count, or addresses',
  },
  ONTAP_AGGREGATE_MIN_HOUSEHOLDS: {
    schema: z.coerce.number({ error: 'expected a number' }).int().min(1).default(15),
    secret: false,
    help: 'utility aggregates: fewest households in a figure',
  },
  ONTAP_AGGREGATE_MAX_SHARE: {
    schema: z.coerce.number({ error: 'expected a number' }).gt(0).max(1).default(0.15),
    secret: false,
    help: 'utility aggregates: largest share of one household in a figure',
  },
  ONTAP_WATER_TARIFF_PER_M3: {
    // Thames Water's metered charges from 1 April 2025: £2.4743 clean water + £1.5480 wastewater per m³.
    schema: z.coerce.number({ error: 'expected a number' }).positive().max(1000).default(4.02),
    secret: false,
    help: 'leak episodes: what a cubic metre of water costs, water and sewerage together, in ONTAP_CURRENCY',
  },
  ONTAP_CURRENCY: {
    schema: currency.default('GBP'),
    secret: false,
    help: 'ISO 4217 currency of ONTAP_WATER_TARIFF_PER_M3 (GBP, EUR, USD…)',
  },
  ONTAP_MAX_EVENT_STREAMS: {
    schema: z.coerce.number({ error: 'expected a number' }).int().min(1).default(2000),
    secret: false,
    help: 'live event streams (boards, household pages) open at once on the API, of all accounts together (3 per account)',
  },
  ONTAP_MQTT_PORT: {
    schema: port.default(1883),
    secret: false,
    help: 'port of the embedded MQTT broker; if the default is taken a free port is used and printed',
  },
  ONTAP_MQTT_URL: {
    schema: urlWithProtocols(['mqtt:', 'mqtts:', 'ws:', 'wss:']).optional(),
    secret: true,
    help: 'external MQTT broker (e.g. mqtt://broker:1883); when set, no embedded broker runs',
  },
  ONTAP_MQTT_USERNAME: { schema: z.string().min(1).optional(), secret: false, help: 'user name on the external broker' },
  ONTAP_MQTT_PASSWORD: { schema: z.string().min(1).optional(), secret: true, help: 'password on the external broker' },
  ONTAP_MQTT_DYNSEC_USERNAME: {
    schema: z.string().min(1).optional(),
    secret: false,
    help: "Mosquitto dynamic-security admin: new meters' credentials are provisioned there",
  },
  ONTAP_MQTT_DYNSEC_PASSWORD: { schema: z.string().min(1).optional(), secret: true, help: 'its password' },
  ONTAP_INFLUX_URL: {
    schema: urlWithProtocols(['http:', 'https:']).optional(),
    secret: true,
    help: 'InfluxDB (v1-compatible API of 1.x, 2.x or 3.x); unset = embedded readings store',
  },
  ONTAP_INFLUX_DB: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_\-.]{1,64}$/, 'expected a database name of letters, digits, _ - . (at most 64)')
      .default('ontap'),
    secret: false,
    help: 'InfluxDB database (or bucket, through its DBRP mapping)',
  },
  ONTAP_INFLUX_TOKEN: { schema: z.string().min(1).optional(), secret: true, help: 'InfluxDB token (2.x/3.x)' },
  ONTAP_DATABASE_URL: {
    schema: urlWithProtocols(['postgres:', 'postgresql:']).optional(),
    secret: true,
    help: 'PostgreSQL for metadata; unset = embedded PGlite under ONTAP_DATA_DIR',
  },
  ONTAP_DATA_DIR: { schema: z.string().min(1).default('./.ontap'), secret: false, help: 'embedded data folder' },
  ONTAP_INGEST_ID: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,48}$/, 'expected letters, digits, _ or - (at most 48)')
      .default('ingest-1'),
    secret: false,
    help: 'this ingest process: its MQTT client id (ontap-<id>) and spool folder; fixed across restarts',
  },
  ONTAP_INGEST_INTAKE: {
    schema: z.enum(mqttIntakeKinds, { error: `expected ${mqttIntakeKinds.join(' or ')}` }).default('paced'),
    secret: false,
    help: 'how ingest reads an external broker: paced (its own subscriber, fastest) or mqttjs (mqtt.js; also ws:// and wss://); both acknowledge a message only once it is spooled',
  },
  ONTAP_BRIDGES: {
    schema: z.string().min(1).optional(),
    secret: false,
    help: 'JSON file of bridges: foreign device topics (Tasmota, ESPHome, TTN, Glow, wmbusmeters, Zigbee2MQTT, Home Assistant) ingest decodes',
  },
  ONTAP_METRICS_PORT: { schema: port.default(9464), secret: false, help: 'HTTP port of ingest /metrics and /health' },
  ONTAP_SPOOL_FSYNC: {
    schema: z.enum(['never', 'always'], { error: 'expected never or always' }).default('never'),
    secret: false,
    help: 'fsync the ingest spool on every message (survives power loss, slower); never = survives a crash of OnTap',
  },
  ONTAP_DEMO: {
    schema: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
    secret: false,
    help: '`ontap start` seeds and streams a demo neighbourhood (once, into ONTAP_DATA_DIR); off starts empty',
  },
  ONTAP_TZ: { schema: timeZone.default('Europe/London'), secret: false, help: "the neighbourhood's time zone" },
  ONTAP_LOG_FORMAT: {
    schema: z.enum(['file', 'json'], { error: 'expected file or json' }).default('file'),
    secret: false,
    help: '`ontap start` writes its JSON log lines to ONTAP_DATA_DIR/ontap.log (file) or to standard output (json); the other commands always to standard output',
  },
  ONTAP_LOG_LEVEL: {
    schema: z.enum(logLevels, { error: `expected one of ${logLevels.join(', ')}` }).default('info'),
    secret: false,
    help: 'log level',
  },
} as const;

type Variables = typeof configVariables;
export type Config = { [K in keyof Variables]: z.output<Variables[K]['schema']> } & {
  /** Names of the variables that were set in the environment (not defaulted). */
  explicitlySet: ReadonlySet<keyof Variables>;
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and validates the configuration; throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  const explicitlySet = new Set<keyof Variables>();
  for (const [name, variable] of Object.entries(configVariables) as [keyof Variables, Variables[keyof Variables]][]) {
    // An empty variable counts as unset, as shells and compose files often leave them so.
    const raw = env[name] === '' ? undefined : env[name];
    if (raw !== undefined) explicitlySet.add(name);
    const result = variable.schema.safeParse(raw);
    if (result.success) {
      values[name] = result.data;
    } else {
      const shown = variable.secret ? '(hidden)' : JSON.stringify(raw);
      problems.push(`${name}: ${result.error.issues[0]?.message ?? 'invalid'}, got ${shown}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...(values as Omit<Config, 'explicitlySet'>), explicitlySet };
}

/** Replaces a URL's password, or a whole secret, with asterisks. */
export function maskSecret(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) {
      url.password = '****';
      return url.toString();
    }
    if (url.protocol && url.host) return value;
  } catch {
    // not a URL: mask whole
  }
  return '****';
}

/** The resolved configuration as printable lines, secrets masked. */
export function describeConfig(config: Config): string[] {
  return Object.entries(configVariables).map(([name, variable]) => {
    const key = name as keyof Variables;
    const value = config[key];
    const origin = config.explicitlySet.has(key) ? '' : value === undefined ? '  (unset)' : '  (default)';
    if (value === undefined) return `${name}=${origin}`;
    const text = value === false ? 'off' : String(value);
    const isPasswordLike = name.endsWith('_PASSWORD') || name.endsWith('_TOKEN');
    const shown = variable.secret ? (isPasswordLike ? '****' : maskSecret(text)) : text;
    return `${name}=${shown}${origin}`;
  });
}
