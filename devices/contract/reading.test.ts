import { describe, expect, it } from 'vitest';
import { ContractError, type RejectionCode } from './errors.ts';
import { parseReadingMessage, plainPayload, readingPayloadSchema } from './reading.ts';

const topic = 'ontap/v1/meters/kitchen-01/readings';
const now = Date.parse('2026-06-01T12:00:00Z');
const parse = (payload: unknown, t = topic) =>
  parseReadingMessage(t, typeof payload === 'string' ? payload : JSON.stringify(payload), now);

describe('valid readings', () => {
  const cases: { name: string; payload: unknown; expected: object[] }[] = [
    {
      name: 'water register in litres, ISO time with Z',
      payload: { ts: '2026-06-01T11:00:00Z', kind: 'water', register: 1234.5, unit: 'L' },
      expected: [{ meterId: 'kitchen-01', kind: 'water', ts: Date.UTC(2026, 5, 1, 11), register: 1234.5 }],
    },
    {
      name: 'water register in m3 becomes litres; ISO time with offset',
      payload: { ts: '2026-06-01T12:00:00+01:00', kind: 'water', register: 12.345, unit: 'm3', seq: 7 },
      expected: [{ meterId: 'kitchen-01', kind: 'water', ts: Date.UTC(2026, 5, 1, 11), register: 12345, seq: 7 }],
    },
    {
      name: 'electricity kWh becomes Wh; epoch milliseconds',
      payload: { ts: Date.UTC(2026, 5, 1, 10, 30), kind: 'electricity', register: 4321.25, unit: 'kWh' },
      expected: [{ meterId: 'kitchen-01', kind: 'electricity', ts: Date.UTC(2026, 5, 1, 10, 30), register: 4321250 }],
    },
    {
      // 1 m3 × 1.02264 × 39.5 MJ/m3 ÷ 3.6 = 11.220633 kWh = 11220.633 Wh (hand-computed)
      name: 'gas m3 becomes Wh by the UK formula',
      payload: { ts: '2026-06-01T11:00:00Z', kind: 'gas', register: 1, unit: 'm3' },
      expected: [{ meterId: 'kitchen-01', kind: 'gas', ts: Date.UTC(2026, 5, 1, 11), register: 11220.633 }],
    },
    {
      name: 'a counting device sends delta instead of register',
      payload: { ts: '2026-06-01T11:00:00Z', kind: 'water', delta: 3, unit: 'L' },
      expected: [{ meterId: 'kitchen-01', kind: 'water', ts: Date.UTC(2026, 5, 1, 11), delta: 3 }],
    },
    {
      name: 'a backlog batch',
      payload: [
        { ts: '2026-06-01T10:00:00Z', kind: 'water', register: 10, unit: 'L' },
        { ts: '2026-06-01T10:15:00Z', kind: 'water', register: 12, unit: 'L' },
      ],
      expected: [
        { meterId: 'kitchen-01', kind: 'water', ts: Date.UTC(2026, 5, 1, 10), register: 10 },
        { meterId: 'kitchen-01', kind: 'water', ts: Date.UTC(2026, 5, 1, 10, 15), register: 12 },
      ],
    },
    {
      // Python's time.time() * 1000: the fraction is dropped, as an ISO string's microseconds are.
      name: 'fractional epoch milliseconds are cut to the millisecond',
      payload: { ts: Date.UTC(2026, 5, 1, 10, 30) + 0.987654, kind: 'water', register: 5, unit: 'L' },
      expected: [{ meterId: 'kitchen-01', kind: 'water', ts: Date.UTC(2026, 5, 1, 10, 30), register: 5 }],
    },
    {
      name: 'a register at the bound (1e10) is accepted',
      payload: { ts: '2026-06-01T11:00:00Z', kind: 'electricity', register: 1e10, unit: 'Wh' },
      expected: [{ meterId: 'kitchen-01', kind: 'electricity', ts: Date.UTC(2026, 5, 1, 11), register: 1e10 }],
    },
    {
      name: 'a timestamp 4 minutes ahead (clock drift) is accepted',
      payload: { ts: '2026-06-01T12:04:00Z', kind: 'water', register: 0, unit: 'L' },
      expected: [{ meterId: 'kitchen-01', kind: 'water', ts: Date.UTC(2026, 5, 1, 12, 4), register: 0 }],
    },
  ];
  it.each(cases)('$name', ({ payload, expected }) => {
    const result = parse(payload);
    expect(result.rejected).toStrictEqual([]);
    expect(result.readings.length).toBe(expected.length);
    result.readings.forEach((reading, i) => {
      const want = expected[i] as Record<string, number | string>;
      expect(Object.keys(reading).sort()).toStrictEqual(Object.keys(want).sort());
      for (const [key, value] of Object.entries(want)) {
        if (typeof value === 'number') expect(reading[key as keyof typeof reading]).toBeCloseTo(value, 3);
        else expect(reading[key as keyof typeof reading]).toBe(value);
      }
    });
  });
});

describe('whole messages that are refused', () => {
  const cases: { name: string; topic?: string; payload: string; code: RejectionCode; message?: RegExp }[] = [
    { name: 'topic outside the contract', topic: 'ontap/v2/meters/a/readings', payload: '{}', code: 'BAD_TOPIC' },
    { name: 'status topic given to the readings parser', topic: 'ontap/v1/meters/a/status', payload: '{}', code: 'BAD_TOPIC' },
    { name: 'meter id with a space', topic: 'ontap/v1/meters/a b/readings', payload: '{}', code: 'BAD_METER_ID' },
    {
      name: 'meter id of 65 characters',
      topic: `ontap/v1/meters/${'x'.repeat(65)}/readings`,
      payload: '{}',
      code: 'BAD_METER_ID',
    },
    { name: 'meter id with a wildcard', topic: 'ontap/v1/meters/+/readings', payload: '{}', code: 'BAD_METER_ID' },
    {
      name: 'payload over 256 KiB',
      payload: `[${' '.repeat(256 * 1024)}]`,
      code: 'PAYLOAD_TOO_LARGE',
      message: /262146 bytes, at most 262144/,
    },
    { name: 'bad JSON', payload: '{"ts": ', code: 'INVALID_JSON' },
    { name: 'empty batch', payload: '[]', code: 'EMPTY_BATCH' },
    {
      name: 'batch of 1001',
      payload: JSON.stringify(Array.from({ length: 1001 }, () => ({ ts: 0, kind: 'water', register: 1, unit: 'L' }))),
      code: 'BATCH_TOO_LONG',
      message: /1001 readings, at most 1000/,
    },
  ];
  it.each(cases)('$name → $code', ({ topic: t, payload, code, message }) => {
    let caught: unknown;
    try {
      parseReadingMessage(t ?? topic, payload, now);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractError);
    expect((caught as ContractError).code).toBe(code);
    if (message) expect((caught as ContractError).message).toMatch(message);
  });
});

describe('readings that are refused', () => {
  const base = { ts: '2026-06-01T11:00:00Z', kind: 'water', register: 1, unit: 'L' };
  const cases: { name: string; payload: unknown; code: RejectionCode; message?: RegExp }[] = [
    { name: 'a number instead of an object', payload: 42, code: 'NOT_AN_OBJECT' },
    { name: 'null', payload: null, code: 'NOT_AN_OBJECT' },
    { name: 'unknown kind', payload: { ...base, kind: 'oil' }, code: 'UNKNOWN_KIND', message: /got "oil"/ },
    { name: 'missing kind', payload: { ...base, kind: undefined }, code: 'UNKNOWN_KIND', message: /missing/ },
    { name: 'unknown unit', payload: { ...base, unit: 'gal' }, code: 'UNKNOWN_UNIT' },
    {
      name: 'kWh on a water meter',
      payload: { ...base, unit: 'kWh' },
      code: 'UNIT_NOT_FOR_KIND',
      message: /kWh on a water meter/,
    },
    { name: 'litres on an electricity meter', payload: { ...base, kind: 'electricity' }, code: 'UNIT_NOT_FOR_KIND' },
    { name: 'negative register', payload: { ...base, register: -1 }, code: 'BAD_REGISTER', message: /got -1/ },
    { name: 'register as a string', payload: { ...base, register: '12' }, code: 'BAD_REGISTER' },
    {
      name: 'non-finite register (1e400 parses as Infinity)',
      payload: '{"ts":"2026-06-01T11:00:00Z","kind":"water","register":1e400,"unit":"L"}',
      code: 'BAD_REGISTER',
    },
    { name: 'negative delta', payload: { ts: base.ts, kind: 'water', delta: -2, unit: 'L' }, code: 'BAD_DELTA' },
    { name: 'register and delta together', payload: { ...base, delta: 1 }, code: 'REGISTER_AND_DELTA' },
    { name: 'neither register nor delta', payload: { ...base, register: undefined }, code: 'NO_REGISTER_OR_DELTA' },
    { name: 'fractional seq', payload: { ...base, seq: 1.5 }, code: 'BAD_SEQ' },
    { name: 'negative seq', payload: { ...base, seq: -1 }, code: 'BAD_SEQ' },
    { name: 'timestamp without a zone', payload: { ...base, ts: '2026-06-01T11:00:00' }, code: 'BAD_TIMESTAMP' },
    { name: 'timestamp that is not a date', payload: { ...base, ts: 'yesterday' }, code: 'BAD_TIMESTAMP' },
    { name: 'negative epoch', payload: { ...base, ts: -5 }, code: 'BAD_TIMESTAMP' },
    { name: 'boolean timestamp', payload: { ...base, ts: true }, code: 'BAD_TIMESTAMP' },
    { name: 'timestamp 6 minutes ahead', payload: { ...base, ts: '2026-06-01T12:06:00Z' }, code: 'TIMESTAMP_IN_FUTURE' },
    { name: 'timestamp before 2000', payload: { ...base, ts: '1999-12-31T23:59:59Z' }, code: 'TIMESTAMP_TOO_OLD' },
    {
      name: 'epoch seconds mistaken for milliseconds (1970)',
      payload: { ...base, ts: 1780000000 },
      code: 'TIMESTAMP_TOO_OLD',
      message: /epoch seconds\?/,
    },
    // Poison found by attack: each of these once stopped ingest for good.
    {
      name: 'a ts beyond the range of Date (1e300)',
      payload: { ...base, ts: 1e300 },
      code: 'TIMESTAMP_IN_FUTURE',
      message: /1e\+300 ms/,
    },
    {
      name: 'epoch nanoseconds',
      payload: { ...base, ts: 1_780_000_000_000_000_000 },
      code: 'TIMESTAMP_IN_FUTURE',
      message: /microseconds or nanoseconds/,
    },
    {
      name: 'a register of 1e306 m3 (Infinity in litres)',
      payload: { ...base, register: 1e306, unit: 'm3' },
      code: 'BAD_REGISTER',
    },
    { name: 'a register beyond any meter (1e10 + 1)', payload: { ...base, register: 1e10 + 1 }, code: 'BAD_REGISTER' },
    { name: 'a delta beyond any meter', payload: { ts: base.ts, kind: 'water', delta: 1e12, unit: 'L' }, code: 'BAD_DELTA' },
    {
      name: 'a ts nested 100,000 arrays deep (JSON.stringify of it overflows the stack)',
      payload: `{"ts":${'['.repeat(100_000)}${']'.repeat(100_000)},"kind":"water","register":1,"unit":"L"}`,
      code: 'BAD_TIMESTAMP',
      message: /got an array of 1$/,
    },
    {
      name: 'a 200 kB string as kind (quoted in the message, cut short)',
      payload: { ...base, kind: 'x'.repeat(200_000) },
      code: 'UNKNOWN_KIND',
      message: /^kind must be water, electricity or gas, got "x{40}…"$/,
    },
  ];
  it.each(cases)('$name → $code', ({ payload, code, message }) => {
    const result = parse(payload);
    expect(result.readings).toStrictEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.code).toBe(code);
    expect(result.rejected[0]?.index).toBeUndefined();
    if (message) expect(result.rejected[0]?.message).toMatch(message);
  });

  it('keeps the good readings of a batch and names the position of the bad one', () => {
    const result = parse([base, { ...base, register: -3 }, { ...base, ts: '2026-06-01T11:15:00Z', register: 2 }]);
    expect(result.readings.map((r) => r.register)).toStrictEqual([1, 2]);
    expect(result.rejected).toStrictEqual([
      { index: 1, code: 'BAD_REGISTER', message: 'register must be a number from 0 to 1e10 (in the unit sent), got -3' },
    ]);
  });
});

describe('the hand-checked fast path', () => {
  // Every combination of good and bad field values: the fast path may only accept what the
  // schema accepts, with the same values, and must accept the ordinary payloads (or it is dead).
  const fieldValues: Record<string, unknown[]> = {
    ts: [
      1_780_000_000_000,
      0,
      -1,
      1.5,
      Number.POSITIVE_INFINITY,
      Number.NaN,
      '2026-11-20T22:00:00.000Z',
      '2026-11-20T22:00:00+01:00',
      '2026-11-20T22:00:00',
      '2026-02-30T00:00:00Z',
      '2024-02-29T23:59:59.123456Z',
      '2026-11-20 22:00:00Z',
      '2026-11-20T24:00:00Z',
      '1780000000000',
      null,
      undefined,
      {},
    ],
    kind: ['water', 'gas', 'electricity', 'Water', 'steam', 1, undefined],
    register: [0, 12.5, -0.1, -0, 1e10, 1e10 + 1, Number.POSITIVE_INFINITY, '12', null, undefined],
    delta: [undefined, 3, -3, '3', 2e10],
    unit: ['L', 'm3', 'kWh', 'Wh', 'litres', undefined, 5],
    seq: [undefined, 7, 0, -1, 1.5, 2 ** 60, '7'],
  };
  let payloads: Record<string, unknown>[] = [{}];
  for (const [field, values] of Object.entries(fieldValues)) {
    const next: Record<string, unknown>[] = [];
    for (const payload of payloads)
      for (const value of values) next.push(value === undefined ? payload : { ...payload, [field]: value });
    payloads = next;
  }

  it(`agrees with the schema on ${payloads.length.toLocaleString('en')} payloads`, () => {
    let acceptedPlainly = 0;
    for (const payload of [...payloads, { ...(payloads[0] as object), extra: 'ignored' }]) {
      const plain = plainPayload(payload);
      if (plain === undefined) continue;
      acceptedPlainly++;
      const schema = readingPayloadSchema.safeParse(payload);
      expect(schema.success, JSON.stringify(payload)).toBe(true);
      const { ts, kind, register, delta, unit, seq } = plain;
      expect({ ts, kind, register, delta, unit, seq }).toStrictEqual({
        seq: undefined,
        delta: undefined,
        register: undefined,
        ...schema.data,
      });
    }
    expect(acceptedPlainly).toBeGreaterThan(100);
    expect(plainPayload({ ts: 1_780_000_000_000, kind: 'water', register: 12, unit: 'L' })).toBeDefined();
    expect(plainPayload({ ts: '2026-11-20T22:00:00.000Z', kind: 'gas', register: 1.5, unit: 'm3' })).toBeDefined();
  });
});
