import { describe, expect, it } from 'vitest';
import { ContractError } from './errors.ts';
import { parseStatusMessage } from './status.ts';
import { allMetersTopic, meterPublishFilter, meterTopic, parseMeterTopic } from './topics.ts';

describe('topics', () => {
  it('builds and parses meter topics', () => {
    expect(meterTopic('m_1-A', 'readings')).toBe('ontap/v1/meters/m_1-A/readings');
    expect(meterTopic('m_1-A', 'status')).toBe('ontap/v1/meters/m_1-A/status');
    expect(parseMeterTopic('ontap/v1/meters/m_1-A/status')).toStrictEqual({ meterId: 'm_1-A', kind: 'status' });
    expect(allMetersTopic('readings')).toBe('ontap/v1/meters/+/readings');
    expect(meterPublishFilter('abc')).toBe('ontap/v1/meters/abc/#');
  });
  it.each(['', 'a/b', 'a+b', 'a#', 'é', 'x'.repeat(65)])('refuses meter id %j', (id) => {
    expect(() => meterTopic(id, 'readings')).toThrow(ContractError);
    expect(() => meterPublishFilter(id)).toThrow(/meter id/);
  });
  it.each(['ontap/v1/meters/a/readings/extra', 'ontap/v1/meters/a', 'ontap/v1/meter/a/readings', 'ontap/v1/meters/a/other'])(
    'refuses topic %s',
    (topic) => {
      expect(() => parseMeterTopic(topic)).toThrow(expect.objectContaining({ code: 'BAD_TOPIC' }));
    },
  );
});

describe('status payload', () => {
  const topic = 'ontap/v1/meters/m1/status';
  it('accepts online with battery and rssi', () => {
    expect(parseStatusMessage(topic, '{"online":true,"battery":80,"rssi":-71}')).toStrictEqual({
      meterId: 'm1',
      status: { online: true, battery: 80, rssi: -71 },
    });
  });
  it.each([
    ['{"online":"yes"}', /online/],
    ['{"online":true,"battery":101}', /battery/],
    ['{"battery":50}', /online/],
  ])('refuses %s', (payload, field) => {
    expect(() => parseStatusMessage(topic, payload)).toThrow(
      expect.objectContaining({ code: 'BAD_STATUS', message: expect.stringMatching(field) }),
    );
  });
  it('refuses bad JSON with INVALID_JSON', () => {
    expect(() => parseStatusMessage(topic, '{')).toThrow(expect.objectContaining({ code: 'INVALID_JSON' }));
  });
});
