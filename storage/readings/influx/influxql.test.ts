import { describe, expect, it } from 'vitest';
import { quoteIdentifier, quoteString, timeLiteral } from './influxql.ts';

describe('InfluxQL quoting', () => {
  it.each([
    ['usage', '"usage"'],
    ['we"ird', '"we\\"ird"'],
    ['back\\slash', '"back\\\\slash"'],
  ])('identifier %s → %s', (input, expected) => expect(quoteIdentifier(input)).toBe(expected));
  it.each([
    ['m1', "'m1'"],
    ["o'brien", "'o\\'brien'"],
    ["x' OR 1=1 --", "'x\\' OR 1=1 --'"],
    ['a\\', "'a\\\\'"],
  ])('string %s → %s', (input, expected) => expect(quoteString(input)).toBe(expected));
  it('writes times as RFC 3339 literals', () => {
    expect(timeLiteral(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe("'2026-01-02T03:04:05.006Z'");
    expect(() => timeLiteral(Number.NaN)).toThrow(RangeError);
  });
});
