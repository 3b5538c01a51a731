// Who a meter is on the MQTT broker. A meter's broker user name — and the one client id it may
// connect with — is its id behind a prefix that no OnTap service account carries, so no meter id
// can ever name (and so re-key, or take the session of) a service: `ontap-ingest` as a meter id
// is the user `meter-ontap-ingest`, nothing like the ingest account. Ids that merely look like
// OnTap's own are refused too, so logs and topics never mislead.
import { isValidMeterId } from './topics.ts';

export const METER_USERNAME_PREFIX = 'meter-';

/** The broker user name and client id of a meter. */
export function meterUsername(meterId: string): string {
  return `${METER_USERNAME_PREFIX}${meterId}`;
}

/** The meter a broker user name belongs to, or undefined when it is not a meter's. */
export function meterIdOfUsername(username: string): string | undefined {
  if (!username.startsWith(METER_USERNAME_PREFIX)) return undefined;
  const meterId = username.slice(METER_USERNAME_PREFIX.length);
  return isValidMeterId(meterId) ? meterId : undefined;
}

/** A client id a household may give its meter (a device that cannot use `meter-<id>`). */
export const DEVICE_CLIENT_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Why `clientId` cannot be `meterId`'s, or undefined when it can: not OnTap's (`ontap…`), not
 * another meter's user name (`meter-…`).
 */
export function deviceClientIdProblem(meterId: string, clientId: string): string | undefined {
  if (!DEVICE_CLIENT_ID_PATTERN.test(clientId)) return 'a client id has 1 to 128 letters, digits, _ . : or -';
  if (RESERVED.test(clientId)) return 'client ids beginning with "ontap" are kept for OnTap’s own services';
  if (clientId.startsWith(METER_USERNAME_PREFIX) && clientId !== meterUsername(meterId))
    return `client ids beginning with "${METER_USERNAME_PREFIX}" are meters' user names`;
  return undefined;
}

/** OnTap's own names (services, roles, client ids) begin with this; no meter id may. */
const RESERVED = /^ontap/i;

export function isReservedMeterId(meterId: string): boolean {
  return RESERVED.test(meterId);
}
