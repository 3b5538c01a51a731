// Smoke test: the services the integration tests use are real and set up as OnTap needs them.
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Point } from '@influxdata/influxdb-client';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MosquittoDynsec } from '../broker/mosquitto/mosquitto-dynsec.ts';
import { meterTopic, meterUsername, parseReadingMessage } from '../devices/contract/index.ts';
import { smokeStatements } from '../storage/metadata/testing/smoke-sql.ts';
import { createInfluxDatabase, dropInfluxDatabase } from '../storage/readings/testing/scratch-influx-databases.ts';
import { litresOfMeter } from '../storage/readings/testing/smoke-influxql.ts';
import { testServices } from '../testing/inject.ts';

const services = testServices();

describe('Mosquitto with dynamic security', () => {
  const meterA = `smoke-a-${randomUUID().slice(0, 8)}`;
  const meterB = `smoke-b-${randomUUID().slice(0, 8)}`;
  let dynsec: MosquittoDynsec;

  beforeAll(async () => {
    dynsec = await MosquittoDynsec.connect(services.mqttUrl, services.mqttAdmin);
    await dynsec.provisionMeter(meterA, 'secret-a');
    await dynsec.provisionMeter(meterB, 'secret-b');
  });
  afterAll(async () => {
    await dynsec.removeMeter(meterA);
    await dynsec.removeMeter(meterB);
    await dynsec.close();
  });

  it('delivers a meter’s own reading and refuses a publish under another meter’s id', async () => {
    const subscriber = await mqtt.connectAsync(services.mqttUrl, {
      ...services.mqttIngest,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    const received: { topic: string; payload: string }[] = [];
    subscriber.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
    await subscriber.subscribeAsync('ontap/v1/meters/+/readings', { qos: 1 });

    const meter = await mqtt.connectAsync(services.mqttUrl, {
      username: meterUsername(meterA),
      clientId: meterUsername(meterA),
      password: 'secret-a',
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    const own = JSON.stringify({ ts: new Date().toISOString(), kind: 'water', register: 42, unit: 'L' });
    await meter.publishAsync(meterTopic(meterA, 'readings'), own, { qos: 1 });
    // MQTT 5: the broker answers a refused QoS 1 publish with reason code 0x87 "Not authorized".
    await expect(meter.publishAsync(meterTopic(meterB, 'readings'), own, { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await meter.endAsync();
    await subscriber.endAsync();

    const mine = received.filter((m) => m.topic.includes('/smoke-'));
    expect(mine).toStrictEqual([{ topic: meterTopic(meterA, 'readings'), payload: own }]);
    const [message] = mine;
    expect(parseReadingMessage(message?.topic ?? '', message?.payload ?? '').readings[0]?.register).toBe(42);
  });

  it('refuses a wrong password', async () => {
    await expect(
      mqtt.connectAsync(services.mqttUrl, {
        username: meterUsername(meterA),
        clientId: meterUsername(meterA),
        password: 'wrong',
        protocolVersion: 5,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow(/Bad User Name or Password|Not authorized/i);
  });
});

describe('InfluxDB through the v1 API', () => {
  it('reads back with InfluxQL a point written as line protocol to /write', async () => {
    const db = `ontap_smoke_${randomUUID().slice(0, 8)}`;
    const query = async (q: string) => {
      const response = await fetch(`${services.influxUrl}/query`, {
        method: 'POST',
        body: new URLSearchParams({ q, db, epoch: 'ms' }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { results: { series?: { columns: string[]; values: unknown[][] }[]; error?: string }[] };
    };
    await createInfluxDatabase(services.influxUrl, db);
    const at = Date.UTC(2026, 5, 1, 12);
    const line = new Point('usage').tag('meter', "o'brien-1").floatField('litres', 12.5).timestamp(at).toLineProtocol();
    const write = await fetch(`${services.influxUrl}/write?db=${encodeURIComponent(db)}&precision=ms`, {
      method: 'POST',
      body: line,
    });
    expect(write.status).toBe(204);
    const result = await query(litresOfMeter("o'brien-1"));
    expect(result.results[0]?.series?.[0]?.values).toStrictEqual([[at, 12.5]]);
    await dropInfluxDatabase(services.influxUrl, db);
  });
});

describe('PostgreSQL and PGlite speak the same SQL', () => {
  const { createTempTable: schema, insert, selectById: select } = smokeStatements;
  const row = [1, 'Water Wise', new Date('2026-06-01T12:00:00Z')] as const;

  it('round-trips a row through PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: services.databaseUrl });
    await client.connect();
    try {
      await client.query(schema);
      await client.query(insert, [...row]);
      const { rows } = await client.query(select, [1]);
      expect(rows).toStrictEqual([{ id: 1, alias: 'Water Wise', joined: row[2] }]);
    } finally {
      await client.end();
    }
  });

  it('round-trips the same row through PGlite', async () => {
    const db = new PGlite();
    try {
      await db.query(schema.replace('TEMP ', ''));
      await db.query(insert, [...row]);
      const { rows } = await db.query(select, [1]);
      expect(rows).toStrictEqual([{ id: 1, alias: 'Water Wise', joined: row[2] }]);
    } finally {
      await db.close();
    }
  });
});
