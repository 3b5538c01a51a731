// Where a meter's broker credentials go when the broker keeps its own accounts (Mosquitto's
// dynamic security), besides the hash in our database. The API issues credentials through this
// interface; the broker folder implements it, so the API never depends on a broker.

export interface MeterCredentialSink {
  /** `clientId`: the one client id the meter may connect with (default: its user name). */
  provisionMeter(meterId: string, password: string, clientId?: string): Promise<void>;
  removeMeter(meterId: string): Promise<void>;
}

/** The broker already has an account of that name that OnTap did not make for this meter. */
export class MeterIdentityTakenError extends Error {
  override name = 'MeterIdentityTakenError';
}
