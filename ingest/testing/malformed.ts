// A catalogue of what hostile or broken devices publish on their own topics, each with the
// reasons ingest must give. Every poison that once stopped ingest is here (a ts beyond Date's range, epoch
// nanoseconds, a fractional ts, a NUL byte, a register of 1e306 m3, a ts nested 100,000 deep),
// with the plainer faults of real devices. Used by the poison test and `npm run bench:poison`.
// Each payload starts with (or holds) a nonce, so its dead letter can be found again.
import type { RejectionCode } from '../../devices/contract/errors.ts';

export interface MalformedKind {
  name: string;
  topic: 'readings' | 'status';
  /** Reasons its dead letters must carry (one dead letter per reason). */
  reasons: RejectionCode[];
  /** The message; `now` is epoch ms at publishing, `nonce` unique per message. */
  payload(nonce: string, now: number): string | Buffer;
}

const reading = (fields: Record<string, unknown>, nonce: string) =>
  JSON.stringify({ nonce, ts: fields.ts, kind: 'water', unit: 'L', register: 1, ...fields });
const good = (now: number) => ({ ts: now - 60_000, kind: 'water', register: 5, unit: 'L' });
const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

export const malformedKinds: MalformedKind[] = [
  // Not JSON at all.
  { name: 'truncated JSON', topic: 'readings', reasons: ['INVALID_JSON'], payload: (n) => `{"nonce":"${n}","ts":` },
  {
    name: 'random bytes',
    topic: 'readings',
    reasons: ['INVALID_JSON'],
    payload: (n) => Buffer.concat([Buffer.from(n), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x9c, 0x80, 0xc0, 0x00])]),
  },
  { name: 'NUL bytes in text', topic: 'readings', reasons: ['INVALID_JSON'], payload: (n) => `${n}\u0000\u0000 not json \u0000` },
  {
    name: 'invalid UTF-8',
    topic: 'readings',
    reasons: ['INVALID_JSON'],
    payload: (n) =>
      Buffer.concat([Buffer.from(`{"nonce":"${n}","x":"`), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('"')]),
  },
  { name: 'trailing garbage', topic: 'readings', reasons: ['INVALID_JSON'], payload: (n, now) => `${reading(good(now), n)} x` },
  { name: 'single quotes', topic: 'readings', reasons: ['INVALID_JSON'], payload: (n) => `{'nonce':'${n}','ts':1}` },
  { name: 'newlines and escapes', topic: 'readings', reasons: ['INVALID_JSON'], payload: (n) => `${n}\n\r\t\u001b[31m"\\\n{` },
  { name: 'empty payload', topic: 'readings', reasons: ['INVALID_JSON'], payload: () => '' },
  // JSON, but not a reading.
  { name: 'a number', topic: 'readings', reasons: ['NOT_AN_OBJECT'], payload: () => '42' },
  { name: 'a string', topic: 'readings', reasons: ['NOT_AN_OBJECT'], payload: (n) => JSON.stringify(n) },
  { name: 'null', topic: 'readings', reasons: ['NOT_AN_OBJECT'], payload: () => 'null' },
  { name: 'true', topic: 'readings', reasons: ['NOT_AN_OBJECT'], payload: () => 'true' },
  { name: 'empty batch', topic: 'readings', reasons: ['EMPTY_BATCH'], payload: () => '[]' },
  {
    name: 'batch of 1,001',
    topic: 'readings',
    reasons: ['BATCH_TOO_LONG'],
    payload: (n, now) => JSON.stringify([{ nonce: n }, ...Array.from({ length: 1000 }, () => good(now))]),
  },
  {
    name: 'payload over 256 KiB (under the packet limit)',
    topic: 'readings',
    reasons: ['PAYLOAD_TOO_LARGE'],
    payload: (n) => `${n}${' '.repeat(270 * 1024)}`,
  },
  { name: 'a batch of numbers', topic: 'readings', reasons: ['NOT_AN_OBJECT'], payload: (n) => `[1, 2, "${n}"]` },
  // Readings with a bad field.
  {
    name: 'unknown kind',
    topic: 'readings',
    reasons: ['UNKNOWN_KIND'],
    payload: (n, now) => reading({ ...good(now), kind: 'oil' }, n),
  },
  {
    name: 'kind of 200 kB',
    topic: 'readings',
    reasons: ['UNKNOWN_KIND'],
    payload: (n, now) => reading({ ...good(now), kind: 'x'.repeat(200_000) }, n),
  },
  {
    name: 'kind missing',
    topic: 'readings',
    reasons: ['UNKNOWN_KIND'],
    payload: (n, now) => reading({ ...good(now), kind: undefined }, n),
  },
  {
    name: 'kind with a NUL',
    topic: 'readings',
    reasons: ['UNKNOWN_KIND'],
    payload: (n, now) => reading({ ...good(now), kind: 'water\u0000' }, n),
  },
  {
    name: 'unknown unit',
    topic: 'readings',
    reasons: ['UNKNOWN_UNIT'],
    payload: (n, now) => reading({ ...good(now), unit: 'gal' }, n),
  },
  {
    name: 'kWh on a water meter',
    topic: 'readings',
    reasons: ['UNIT_NOT_FOR_KIND'],
    payload: (n, now) => reading({ ...good(now), unit: 'kWh' }, n),
  },
  {
    name: 'negative register',
    topic: 'readings',
    reasons: ['BAD_REGISTER'],
    payload: (n, now) => reading({ ...good(now), register: -1 }, n),
  },
  {
    name: 'register as text',
    topic: 'readings',
    reasons: ['BAD_REGISTER'],
    payload: (n, now) => reading({ ...good(now), register: '12' }, n),
  },
  {
    name: 'register of 1e306 m3 (Infinity in litres)',
    topic: 'readings',
    reasons: ['BAD_REGISTER'],
    payload: (n, now) => reading({ ...good(now), register: 1e306, unit: 'm3' }, n),
  },
  {
    name: 'register 1e400 (Infinity in JSON.parse)',
    topic: 'readings',
    reasons: ['BAD_REGISTER'],
    payload: (n, now) => `{"nonce":"${n}","ts":${now - 60_000},"kind":"water","unit":"L","register":1e400}`,
  },
  {
    name: 'register an object',
    topic: 'readings',
    reasons: ['BAD_REGISTER'],
    payload: (n, now) => reading({ ...good(now), register: { v: 1 } }, n),
  },
  {
    name: 'negative delta',
    topic: 'readings',
    reasons: ['BAD_DELTA'],
    payload: (n, now) => JSON.stringify({ nonce: n, ts: now - 60_000, kind: 'water', unit: 'L', delta: -4 }),
  },
  {
    name: 'register and delta',
    topic: 'readings',
    reasons: ['REGISTER_AND_DELTA'],
    payload: (n, now) => reading({ ...good(now), delta: 1 }, n),
  },
  {
    name: 'neither register nor delta',
    topic: 'readings',
    reasons: ['NO_REGISTER_OR_DELTA'],
    payload: (n, now) => reading({ ...good(now), register: undefined }, n),
  },
  {
    name: 'fractional seq',
    topic: 'readings',
    reasons: ['BAD_SEQ'],
    payload: (n, now) => reading({ ...good(now), seq: 1.5 }, n),
  },
  {
    name: 'seq of 2^60',
    topic: 'readings',
    reasons: ['BAD_SEQ'],
    payload: (n, now) => reading({ ...good(now), seq: 2 ** 60 }, n),
  },
  {
    name: 'ts "yesterday"',
    topic: 'readings',
    reasons: ['BAD_TIMESTAMP'],
    payload: (n, now) => reading({ ...good(now), ts: 'yesterday' }, n),
  },
  {
    name: 'ts without a zone',
    topic: 'readings',
    reasons: ['BAD_TIMESTAMP'],
    payload: (n, now) => reading({ ...good(now), ts: '2026-06-01T11:00:00' }, n),
  },
  {
    name: 'ts a boolean',
    topic: 'readings',
    reasons: ['BAD_TIMESTAMP'],
    payload: (n, now) => reading({ ...good(now), ts: true }, n),
  },
  {
    name: 'ts negative',
    topic: 'readings',
    reasons: ['BAD_TIMESTAMP'],
    payload: (n, now) => reading({ ...good(now), ts: -5 }, n),
  },
  {
    name: 'ts nested 100,000 deep',
    topic: 'readings',
    reasons: ['BAD_TIMESTAMP'],
    payload: (n) => `{"nonce":"${n}","ts":${deep(100_000)},"kind":"water","unit":"L","register":1}`,
  },
  {
    name: 'ts 1e300',
    topic: 'readings',
    reasons: ['TIMESTAMP_IN_FUTURE'],
    payload: (n, now) => reading({ ...good(now), ts: 1e300 }, n),
  },
  {
    name: 'ts in epoch nanoseconds',
    topic: 'readings',
    reasons: ['TIMESTAMP_IN_FUTURE'],
    payload: (n, now) => reading({ ...good(now), ts: (now - 60_000) * 1e6 }, n),
  },
  {
    name: 'ts a day ahead',
    topic: 'readings',
    reasons: ['TIMESTAMP_IN_FUTURE'],
    payload: (n, now) => reading({ ...good(now), ts: now + 86_400_000 }, n),
  },
  {
    name: 'ts in 1999',
    topic: 'readings',
    reasons: ['TIMESTAMP_TOO_OLD'],
    payload: (n, now) => reading({ ...good(now), ts: '1999-12-31T23:59:59Z' }, n),
  },
  {
    name: 'ts in epoch seconds',
    topic: 'readings',
    reasons: ['TIMESTAMP_TOO_OLD'],
    payload: (n, now) => reading({ ...good(now), ts: Math.floor(now / 1000) }, n),
  },
  {
    name: '__proto__ pollution',
    topic: 'readings',
    reasons: ['BAD_TIMESTAMP'],
    payload: (n, now) => `{"nonce":"${n}","__proto__":{"ts":${now}},"kind":"water","unit":"L","register":1}`,
  },
  {
    name: 'object nested 40,000 deep',
    topic: 'readings',
    reasons: ['BAD_TIMESTAMP'],
    payload: (n) => `{"nonce":"${n}","a":${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}}`,
  },
  {
    name: 'gas on a water meter',
    topic: 'readings',
    reasons: ['KIND_MISMATCH'],
    payload: (n, now) => reading({ ...good(now), kind: 'gas', unit: 'm3' }, n),
  },
  {
    name: 'a batch of two reasons (and one good reading)',
    topic: 'readings',
    reasons: ['BAD_TIMESTAMP', 'BAD_REGISTER'],
    payload: (n, now) =>
      JSON.stringify([
        { nonce: n, ts: 'soon', kind: 'water', unit: 'L', register: 1 },
        { ts: now - 120_000, kind: 'water', unit: 'L', register: -9 },
        { ts: now - 180_000, kind: 'water', unit: 'L', register: 3 },
        { ts: 'later', kind: 'water', unit: 'L', register: 1 },
      ]),
  },
  // Status messages.
  { name: 'status not JSON', topic: 'status', reasons: ['INVALID_JSON'], payload: (n) => `${n} online` },
  { name: 'status wrong shape', topic: 'status', reasons: ['BAD_STATUS'], payload: (n) => `{"nonce":"${n}","online":"yes"}` },
  {
    name: 'status battery 200',
    topic: 'status',
    reasons: ['BAD_STATUS'],
    payload: (n) => `{"nonce":"${n}","online":true,"battery":200}`,
  },
  {
    name: 'status rssi 1e400 (Infinity in JSON.parse)',
    topic: 'status',
    reasons: ['BAD_STATUS'],
    payload: (n) => `{"nonce":"${n}","online":true,"rssi":1e400}`,
  },
  {
    name: 'status online nested 100,000 deep',
    topic: 'status',
    reasons: ['BAD_STATUS'],
    payload: (n) => `{"nonce":"${n}","online":${deep(100_000)}}`,
  },
  { name: 'status in a batch', topic: 'status', reasons: ['BAD_STATUS'], payload: (n) => `[{"nonce":"${n}","online":true}]` },
];
