// ONTAP_TRUST_PROXY: off unless set, and only in forms Fastify's trustProxy understands.
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from './config.ts';

describe('ONTAP_TRUST_PROXY', () => {
  it('believes no proxy by default', () => {
    expect(loadConfig({}).ONTAP_TRUST_PROXY).toBe(false);
    expect(loadConfig({ ONTAP_TRUST_PROXY: 'off' }).ONTAP_TRUST_PROXY).toBe(false);
    expect(describeConfig(loadConfig({}))).toContain('ONTAP_TRUST_PROXY=off  (default)');
  });

  it('takes a hop count, or addresses and ranges', () => {
    expect(loadConfig({ ONTAP_TRUST_PROXY: '1' }).ONTAP_TRUST_PROXY).toBe(1);
    expect(loadConfig({ ONTAP_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1,fd00::/8,loopback' }).ONTAP_TRUST_PROXY).toStrictEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it.each(['on', 'true', '0', '11', '10.0.0.300', '10.0.0.0/33', 'proxy.example', '10.0.0.1,', '*'])(
    'refuses %j with one line saying what it takes',
    (value) => {
      expect(() => loadConfig({ ONTAP_TRUST_PROXY: value })).toThrow(
        /^ONTAP_TRUST_PROXY: expected off, a number of proxy hops from 1 to 10, or proxy addresses/,
      );
    },
  );
});

describe('ONTAP_ADMIN_PASSWORD', () => {
  it('holds the first admin to the sign-up rule', () => {
    expect(() => loadConfig({ ONTAP_ADMIN_PASSWORD: 'password1234' })).toThrow(
      /ONTAP_ADMIN_PASSWORD: a stronger password is needed/,
    );
    expect(loadConfig({ ONTAP_ADMIN_PASSWORD: 'kettle lantern orchard' }).ONTAP_ADMIN_PASSWORD).toBe('kettle lantern orchard');
  });
});
