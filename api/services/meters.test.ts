// A meter is registered with its broker account or not at all: when the broker refuses, its row
// goes again and the household may retry.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeterIdentityTakenError } from '../../devices/contract/credentials.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { meterExists } from '../../storage/metadata/repositories/meters.ts';
import { failingOn, InjectedFailure } from '../../storage/metadata/testing/failing-database.ts';
import { databaseKinds, openTestDatabase, seedNeighbourhoods } from '../testing/fixtures.ts';
import { registerMeter } from './meters.ts';

describe.each(databaseKinds)('meter registration on %s', (kind) => {
  let db: Database;
  let close: () => Promise<void>;
  const log = pino({ level: 'silent' });
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(kind));
    await seedNeighbourhoods(db);
  });
  afterAll(async () => close?.());

  const refusingBroker = (error: Error) => ({
    provisionMeter: async () => {
      throw error;
    },
    removeMeter: async () => {},
  });

  it('leaves no meter when the broker is down, or has the id already', async () => {
    const down = registerMeter({ db, brokerCredentials: refusingBroker(new Error('connection refused')), log }, 'h1', {
      meterId: 'h1-gas',
      kind: 'gas',
    });
    await expect(down).rejects.toMatchObject({ statusCode: 503 });
    expect(await meterExists(db, 'h1-gas')).toBe(false);
    const taken = registerMeter({ db, brokerCredentials: refusingBroker(new MeterIdentityTakenError('h1-gas')), log }, 'h1', {
      meterId: 'h1-gas',
      kind: 'gas',
    });
    await expect(taken).rejects.toMatchObject({ statusCode: 409 });
    expect(await meterExists(db, 'h1-gas')).toBe(false);
    const registered = await registerMeter({ db, log }, 'h1', { meterId: 'h1-gas', kind: 'gas' });
    expect(registered.mqtt.username).toBe('meter-h1-gas');
    expect(await meterExists(db, 'h1-gas')).toBe(true);
  });

  it('writes no meter when its row cannot be written', async () => {
    const failing = failingOn(db, { insertInto: 'meters' });
    await expect(registerMeter({ db: failing, log }, 'h1', { meterId: 'h1-power', kind: 'electricity' })).rejects.toThrow(
      InjectedFailure,
    );
    expect(await meterExists(db, 'h1-power')).toBe(false);
  });
});
