// Registering a household's meter: its row with a password hash, then its account on the broker.
import type { FastifyBaseLogger } from 'fastify';
import { MeterIdentityTakenError } from '../../devices/contract/credentials.ts';
import { deviceClientIdProblem, meterUsername } from '../../devices/contract/identities.ts';
import { meterTopic } from '../../devices/contract/topics.ts';
import { encodePasswordHash, hashPassword, randomSecret } from '../../lib/passwords.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { deleteTombstone, erasedWithinDays } from '../../storage/metadata/repositories/erasure.ts';
import {
  clientIdTaken,
  countMetersOf,
  deleteMeters,
  insertRegisteredMeter,
  meterExists,
} from '../../storage/metadata/repositories/meters.ts';
import type { MeterCredentialSink } from '../context.ts';
import { badRequest, conflict, HttpError } from '../http-errors.ts';
import type { MeterRegistration, RegisteredMeter } from '../schemas/households.ts';

/** Water, electricity, gas and sub-meters; more is a flood in the making. */
export const METERS_PER_HOUSEHOLD = 12;
/** An erased household's meter id stays unused this long. */
const ERASED_ID_QUARANTINE_DAYS = 30;

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * Registers a meter and provisions its broker account; its password is returned once. The checks
 * and the row are one transaction. The broker is no database: when it refuses, the row is
 * deleted again (the household may retry), and a tombstone of the id goes only once it took it.
 */
export async function registerMeter(
  services: { db: Database; brokerCredentials?: MeterCredentialSink | undefined; log: Pick<FastifyBaseLogger, 'error'> },
  householdId: string,
  request: MeterRegistration,
): Promise<RegisteredMeter> {
  const { db, brokerCredentials, log } = services;
  const { meterId, kind } = request;
  const username = meterUsername(meterId);
  const clientId = request.clientId ?? username;
  const clientIdProblem = deviceClientIdProblem(meterId, clientId);
  if (clientIdProblem) throw badRequest(`body.clientId: ${clientIdProblem}`, { reason: 'client_id_invalid', field: 'clientId' });
  const password = randomSecret(18);
  const passwordHash = encodePasswordHash(await hashPassword(password));
  await db
    .transaction(async (tx) => {
      if (await meterExists(tx, meterId))
        throw conflict(`meter ${meterId} is already registered`, { reason: 'meter_taken', field: 'meterId' });
      // Each meter has its own flood allowance on the embedded broker: a household's number is bounded.
      if ((await countMetersOf(tx, householdId)) >= METERS_PER_HOUSEHOLD)
        throw conflict(`a household has at most ${METERS_PER_HOUSEHOLD} meters; remove one first`, { reason: 'meter_limit' });
      // A gateway still publishing for an erased meter would hand its readings to whoever took the id next.
      if (await erasedWithinDays(tx, meterId, ERASED_ID_QUARANTINE_DAYS))
        throw conflict(`meter id ${meterId} belonged to an erased household recently: choose another`, {
          reason: 'meter_id_resting',
          field: 'meterId',
        });
      if (await clientIdTaken(tx, clientId))
        throw conflict(`client id ${clientId} is another meter's`, { reason: 'client_id_taken', field: 'clientId' });
      await insertRegisteredMeter(tx, {
        id: meterId,
        householdId,
        kind,
        passwordHash,
        clientId: clientId === username ? null : clientId,
      });
    })
    .catch((error: unknown) => {
      // The same id or client id registered at the same moment: the unique columns decide.
      if (isUniqueViolation(error))
        throw conflict(`meter ${meterId} or client id ${clientId} is already registered`, { reason: 'meter_taken' });
      throw error;
    });
  try {
    await brokerCredentials?.provisionMeter(meterId, password, clientId);
    // An id erased long ago is free again: its tombstone would drop the new meter's readings.
    await deleteTombstone(db, meterId);
  } catch (error) {
    await deleteMeters(db, [meterId]);
    if (error instanceof MeterIdentityTakenError)
      throw conflict(`meter id ${meterId} is taken on the broker: choose another`, {
        reason: 'meter_taken',
        field: 'meterId',
      });
    log.error({ err: error }, 'meter provisioning on the broker failed');
    throw new HttpError(503, 'unavailable', 'the MQTT broker did not take the new meter; try again in a minute', {
      reason: 'broker_unavailable',
    });
  }
  return { meterId, kind, mqtt: { username, clientId, password, topic: meterTopic(meterId, 'readings') } };
}
